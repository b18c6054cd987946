"""Turning a diagnosis into terminal text, JSON and Slack Block Kit."""
