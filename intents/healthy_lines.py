"""Lines that report normal operation, which a fuzzy symptom must never take for a failure.

A Normal event ("Normal  Pulled  ...  Successfully pulled image", "Normal
SuccessfulRescale", "Normal  NodeHasNoDiskPressure") shares most of its words
with the failure entries written about the same objects, so fuzzy similarity
alone would read it as the failure.  Such a line counts for an entry only
through the entry's own regex `patterns` (serialized-image-pulls names the
"Successfully pulled image ... in 11m12s" it means).  A few Normal events do
report trouble (FailedBinding, NodeNotReady, NodeHasDiskPressure, a kill
after a failed probe): their reason says so, and they count as usual.
Entry-specific healthy opposites are data: each entry's `excludes`.
Linear regex only.
"""

from __future__ import annotations

import re

from intents.reasons import TROUBLE_NORMAL

TROUBLE_REASON = re.compile(
    r"Fail|Error|BackOff|Backoff|Unhealthy|NotReady|Evict|Insufficient|Timeout|Invalid"
)
_NORMAL_EVENT = re.compile(r"(?:^|\s)Normal\s+([A-Z][A-Za-z]{2,60})\s")
_SUCCESS_VERB = re.compile(
    r"\b(?:pass(?:es|ed)?|succeed(?:s|ed)?)\b"
    # kubectl's name printer after a change it made: "<resource>[.<group>]/<name> <operation>"
    # (apply, create, delete, label, annotate, patch, scale, rollout restart, cordon, drain)
    r"|\b[a-z][\w.-]{0,252}/[\w.-]{1,253} (?:created|configured|unchanged|serverside-applied|deleted|patched"
    r"|labeled|annotated|scaled|restarted|exposed|replaced|cordoned|uncordoned|drained|rolled back)(?=\s|$)",
    re.IGNORECASE,
)
_FAILURE_WORD = re.compile(
    r"fail|error|err[A-Z]|\bnot?\b|n't|never|crash|unable|cannot|time[sd]? ?out|refused|denied|stuck|pending|"
    r"back-?off|kill|unhealthy|evict|exceed|invalid|broken|wrong|warning|\bbut\b|\binstead\b",
    re.IGNORECASE,
)


def trouble_reason(reason: str) -> bool:
    """An event reason that names a failure, whatever the event's type."""
    return reason in TROUBLE_NORMAL or TROUBLE_REASON.search(reason) is not None


def states_success(text: str) -> bool:
    """The segment says a check passed or an action succeeded, and names no failure at all
    ("The pods pass the readiness probe within a minute"): no failure symptom may read it."""
    return _SUCCESS_VERB.search(text) is not None and _FAILURE_WORD.search(text) is None


_NEGATION = re.compile(r"\b(?:not|no|never|cannot|unable)\b|n't", re.IGNORECASE)
_STATE_WORD = re.compile(
    r"expire|unknown|missing|\blost\b|forbidden|panic|fatal|\boom|exception|insufficient|unavailable|unreachable"
    r"|\bun(?:mounted|attached|bound|ready|schedulable)\b",
    re.IGNORECASE,
)


def states_a_negation(text: str) -> bool:
    """The text says something is not so ("was not created", "no capacity", "unable to mount")."""
    return _NEGATION.search(text) is not None


def names_no_failure(text: str) -> bool:
    """The text holds no word of failure, negation or trouble at all ("persistentvolumeclaim/data
    created", "the claim is bound to the volume"): a symptom that states a negation cannot be it."""
    return _FAILURE_WORD.search(text) is None and _STATE_WORD.search(text) is None


def reports_normal_event(text: str) -> bool:
    """The segment holds a Normal event row whose reason reports progress, not trouble."""
    if "Normal" not in text:
        return False
    return any(not trouble_reason(found.group(1)) for found in _NORMAL_EVENT.finditer(text))
