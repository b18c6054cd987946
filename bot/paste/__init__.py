"""Pasted kubectl output read as facts (one module per shape, plus the detector)."""
