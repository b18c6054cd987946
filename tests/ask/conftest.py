"""Asking's end-to-end tests also run on PostgreSQL (a choice on one replica, an answer on another)."""

from tests.slack.conftest import database_url

__all__ = ["database_url"]
