"""Incident channels' living summary: record, build, publish (see service.py)."""
