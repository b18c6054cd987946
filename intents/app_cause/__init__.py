"""The cause an app states in its own words: the last exception of its traceback, or a line
that says why it failed (a name that does not resolve, credentials a database rejects...).

One reader (`read_app_cause`) for every place such words arrive: a pod's log (current or
previous run), a pasted `kubectl logs`, a container's termination message, a probe's output
in an event. The fact kind `app_cause` (intents.facts.kinds.app_cause) tests it for the
catalog's evidence rules, and the walk and the answer quote it.
"""

from __future__ import annotations

from intents.app_cause.model import CAUSE_KINDS, AppCause
from intents.app_cause.reader import read_app_cause

__all__ = ["CAUSE_KINDS", "AppCause", "read_app_cause"]
