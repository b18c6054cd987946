"""`/diagnose` text parsing lives with the use cases (bot.answering.request_text): every chat parses
the same words; the Slack listeners import it from here."""

from bot.answering.request_text import Ask, parse_request

__all__ = ["Ask", "parse_request"]
