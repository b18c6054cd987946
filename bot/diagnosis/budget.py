"""How long one diagnosis may spend running catalog regexes, and what it says when it runs out.

Matching runs on a worker thread (asyncio.to_thread), never on the event loop, and
every catalog regex runs on RE2 (intents.regex_engine), linear in the text, so one
search is short and bounded.  The budget is the backstop for a huge user catalog:
a search started after it raises RegexBudgetExceeded, so the worker stops within
one bounded search of the budget.
"""

from __future__ import annotations

MATCH_BUDGET_SECONDS = 5.0
OVER_BUDGET_NOTE = (
    f"matching stopped: this text took longer than {MATCH_BUDGET_SECONDS:g} s to match "
    "against the catalog; paste only the error lines"
)
