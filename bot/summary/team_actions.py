"""The fixes people write in an incident channel: "bumped the limit to 1Gi", `kubectl scale ...`.

A post-mortem needs what the team did, not only what the bot saw. Two
general rules, no list of known phrases:

- a command that changes a cluster, written anywhere in the message:
  `kubectl scale|set|rollout restart|apply|patch|delete|drain|...` (also
  `oc`), or `helm upgrade|rollback|install|uninstall`;
- a sentence, outside pasted code, that starts (after "I", "we", "just",
  a mention, ...) with an action verb done or being done ("bumped",
  "scaling", "rolled back") followed by something it acts on:
  a Kubernetes object (limit, replicas, node group, deployment, image, ...)
  or a quantity (1Gi, 500m, "to 5"). Questions ("should we bump ...?"),
  proposals ("let's", "maybe") and negations ("didn't scale") are not fixes.
"""

from __future__ import annotations

import re

MAX_CHARS = 200
SCAN_CHARS = 4000

_COMMAND = re.compile(
    r"\b(?:(?:kubectl|oc)\s+(?:(?:-n|--namespace|--context)[=\s]\S+\s+){0,4}"
    r"(?:scale|set|rollout\s+(?:restart|undo)|apply|patch|edit|delete|cordon|uncordon|drain|label|annotate"
    r"|taint|create|replace|autoscale)"
    r"|helm\s+(?:upgrade|rollback|install|uninstall))\b[^\n`]*"
)
_VERBS = (
    "bump",
    "raise",
    "increase",
    "lower",
    "decrease",
    "reduce",
    "scale",
    "restart",
    "revert",
    "redeploy",
    "deploy",
    "delete",
    "drain",
    "cordon",
    "uncordon",
    "patch",
    "add",
    "remove",
    "evict",
    "resize",
    "expand",
    "upgrade",
    "downgrade",
    "pin",
    "double",
    "bounce",
    "kill",
    "recreate",
    "rotate",
    "renew",
    "taint",
    "untaint",
    "free",
    "clean",
    "move",
    "migrate",
    "bump up",
    "roll out",
    "rollout",
)


def _forms(verb: str) -> list[str]:
    head, _, tail = verb.partition(" ")
    stem = head.removesuffix("e")
    double = head + head[-1] if re.fullmatch(r"\A[a-z]*[^aeiou][aeiou][bdgmnpt]", head) else head
    past = head + "d" if head.endswith("e") else double + "ed"
    forms = [past, stem + "ing" if head.endswith("e") else double + "ing"]
    return [f"{form} {tail}".strip() for form in forms]


_DONE = re.compile(
    r"^(?:(?:i|we|i'?ve|we'?ve|i'?m|we'?re|i have|we have|have|has|just|now|also|then|and|ok|okay|so"
    r"|finally|already|done|@[\w.-]+)[,:]?\s+)*(?P<verb>"
    + "|".join(
        sorted(
            {f for v in _VERBS for f in _forms(v)}
            | {"rolled back", "rolling back", "set", "setting", "put", "gave", "giving"},
            key=len,
            reverse=True,
        )
    )
    + r")\b(?P<rest>.{0,80})",
    re.IGNORECASE,
)
_TARGET = re.compile(
    r"\b(?:limits?|requests?|memory|cpu|replicas?|replica count|node ?groups?|node ?pools?|nodes?|workers?"
    r"|pods?|deployments?|deploy|statefulsets?|sts|daemonsets?|hpa|pdb|pvcs?|pvs?|volumes?|disks?|images?"
    r"|tags?|config ?maps?|secrets?|quotas?|taints?|ingress(?:es)?|services?|svc|autoscaler|namespaces?"
    r"|releases?|charts?|probes?|heap|max-?surge|max-?unavailable)\b"
    r"|\b\d+(?:\.\d+)?\s?(?:Ki|Mi|Gi|Ti|[KMGT]i?B?|m|%|cores?)\b|\bto \d+\b",
    re.IGNORECASE,
)
_NOT_DONE = re.compile(
    r"^(?:should|could|can|would|shall|maybe|perhaps|let'?s|lets|do we|did (?:you|anyone|someone)"
    r"|has anyone|anyone|if|whether|how|why|what|need to|we need|going to|gonna|plan)\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(r"\b(?:not|never|no|without)\b|n't\b", re.IGNORECASE)
_CODE = re.compile(r"```.*?(?:```|$)", re.DOTALL)
_SENTENCES = re.compile(r"(?<=[.!;])\s+|\n+")


def _clipped(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1].rstrip() + "…"


def _sentence_action(sentence: str) -> str | None:
    sentence = sentence.strip().strip("`*_~")
    if not sentence or sentence.endswith("?") or _NOT_DONE.match(sentence):
        return None
    found = _DONE.match(sentence)
    if (
        found is None
        or _NEGATION.search(sentence[: found.start("verb")])
        or not _TARGET.search(found.group("rest"))
    ):
        return None
    return _clipped(sentence.rstrip(" ;,.:"))


def team_action(text: str) -> str | None:
    """What the message says was done (its command, or its sentence), or None."""
    text = text[:SCAN_CHARS]
    command = _COMMAND.search(text)
    if command is not None:
        return _clipped(command.group(0).strip())
    for sentence in _SENTENCES.split(_CODE.sub("\n", text)):
        action = _sentence_action(sentence)
        if action is not None:
            return action
    return None
