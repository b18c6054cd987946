"""Alertmanager alerts in: the webhook payload, its targets, and the alert use case."""
