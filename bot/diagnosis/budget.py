"""How long one diagnosis may spend running catalog regexes, and what it says when it runs out.

Matching runs on a worker thread (asyncio.to_thread), never on the event loop, and
every catalog regex runs on RE2 (intents.regex_engine), linear in the text, so one
search is short and bounded.  The budget is the backstop for a huge user catalog:
a search started after it raises RegexBudgetExceeded, so the worker stops within
one bounded search of the budget. The budget is the worker thread's CPU time, not the wall
clock: on a machine at load 40 a pod's text is matched as fully as on an idle one.
"""

from __future__ import annotations

MATCH_BUDGET_SECONDS = 5.0
OVER_BUDGET_NOTE = (
    f"matching stopped: this text took more than {MATCH_BUDGET_SECONDS:g} s of CPU to match "
    "against the catalog; paste only the error lines"
)
