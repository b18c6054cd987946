"""Diagnosis: combine cluster evidence with text matching, for a pod, a namespace or a node."""
