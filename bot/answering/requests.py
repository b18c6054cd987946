"""Typed requests, as every input parses them before a use case sees them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.diagnosis.targets import Focus
from responses.redaction import EMPTY, Redacted

Verb = Literal["pod", "namespace", "service", "node", "paste"]

InputKind = Literal["command", "mention", "dm", "message", "cli"]
"""Where a request came from; decides how a low-confidence answer is treated:
a pasted `message` stays quiet, a direct ask (`command`, `mention`, `dm`: a direct message)
is asked "Is it one of these?" or told there is no answer."""


@dataclass(frozen=True)
class DiagnoseRequest:
    """What to diagnose, with names already checked (RFC 1123) by the parser."""

    verb: Verb
    namespace: str | None = None
    name: str | None = None
    context: str | None = None
    """The kubeconfig context to read (None: the default one)."""
    text: Redacted = EMPTY
    """The pasted text, for `paste` (redacted where it arrived)."""
    said: str = ""
    """A line the answer says about how the ask was understood ("your question names pod ...")."""
    asker: str | None = None
    """The chat user whose Kubernetes identity the diagnosis reads as (a fleet hub with per-user
    identity sets it; None: the reader's own identity)."""
    symptom: str = ""
    """For `namespace` and `service`: what the user sees ("checkout is failing"); the objects it
    names and its class (unreachable, errors, restarts, latency) rank the suspects."""
    ticket: bool = False
    """`--ticket`: the answer's problem gets its Jira issue (filed, or commented on)."""

    @property
    def subject(self) -> str:
        if self.verb in ("pod", "service"):
            return f"{self.verb} {self.namespace}/{self.name}"
        if self.verb in ("namespace", "node"):
            return f"{self.verb} {self.name or self.namespace}"
        return "the pasted text"

    @property
    def focus(self) -> Focus:
        """What a pod, Service, namespace or node request asks about (bot/diagnosis/question.py)."""
        assert self.verb != "paste", "a paste has no focus: the whole text is asked"
        name = self.namespace if self.verb == "namespace" else self.name
        assert name is not None, f"a {self.verb} request names its {self.verb}"
        return Focus(self.verb, name, self.namespace, self.context, symptom=self.symptom)

    @classmethod
    def paste(cls, text: Redacted) -> DiagnoseRequest:
        return cls("paste", text=text)


@dataclass(frozen=True)
class Place:
    """Where an answer goes: a channel, a thread in it (or None), and who asked."""

    channel: str
    thread_ts: str | None = None
    user: str | None = None
