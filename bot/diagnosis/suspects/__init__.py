"""The walk from a symptom to the objects that could cause it (docs/suspects.md)."""
