"""Per-user identity: which Kubernetes user (and groups) each chat user's requests act as.

The hub's KUBEMEDIC_IDENTITY_FILE maps chat user ids to Kubernetes users; where a user is
mapped, their agent reads and writes impersonating that user (bot/cluster/identity.py), so a
person sees and changes only what their own RBAC allows, and the audit says who. A user the
file does not map gets the agent's own identity (`unmapped: agent`, the default) or is refused
(`unmapped: refuse`). Checked at start-up, every problem named, like the routing file:

    unmapped: refuse
    users:
      U0123ALICE: {user: alice@example.com, groups: [sre]}
      U0456BOB0: {user: bob@example.com}
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.cluster.identity import MAX_GROUPS, Impersonation
from bot.errors import BadInput
from responses.fleet_messages import NO_IDENTITY

Name = Annotated[str, Field(min_length=1, max_length=253, pattern=r"^[^\s,]+$")]
ChatUser = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(_Strict):
    user: Name
    groups: list[Name] = Field(default_factory=list, max_length=MAX_GROUPS)


class IdentityFile(_Strict):
    unmapped: Literal["agent", "refuse"] = "agent"
    users: dict[ChatUser, Person] = Field(default_factory=dict)


class Identities:
    """The mapping, ready to look up (see the module docstring)."""

    def __init__(self, spec: IdentityFile) -> None:
        self.spec = spec

    def of(self, chat_user: str | None) -> Impersonation | None:
        """Who `chat_user` acts as (None: the agent's own identity); BadInput when refused."""
        person = self.spec.users.get(chat_user or "")
        if person is not None:
            return Impersonation(person.user, tuple(person.groups))
        if self.spec.unmapped == "refuse":
            raise BadInput(NO_IDENTITY)
        return None


def load_identities(path: Path | None) -> Identities | None:
    """The identity file (None when unset); BadInput naming every problem (exit 2 at start-up)."""
    if path is None:
        return None
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise BadInput(
            f"KUBEMEDIC_IDENTITY_FILE {path}: cannot read it: {' '.join(str(exc).split())}"
        ) from None
    try:
        return Identities(IdentityFile.model_validate(document))
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(part) for part in error['loc']) or 'file'}: {error['msg']}"
            for error in exc.errors()
        ]
        raise BadInput(f"KUBEMEDIC_IDENTITY_FILE {path}: " + "; ".join(problems)) from None
