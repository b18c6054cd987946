"""Agent tokens: issued by the hub (`kubemedic fleet token issue CLUSTER`), kept only as digests.

A token reads `kmf_<id>_<secret>`: the id finds its row, the secret is never stored (its
SHA-256 digest is), and the digests are compared in constant time. The cluster an agent
serves is the one its token was issued for, never a name the agent gives itself, so an
agent cannot ask for or answer another cluster's requests.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.storage.fleet_records import TokenRecord
from responses.fleet_messages import token_binding, used_from_two_places

PREFIX = "kmf"
_SHAPE = re.compile(r"^kmf_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{32,64})$")
CLUSTER_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
"""A cluster's name in the fleet: an RFC 1123 label, as people type it in `/diagnose pod prod:NS/NAME`."""


@dataclass(frozen=True)
class Issued:
    """A new token: `text` is shown once; `record` is what the database keeps."""

    text: str
    record: TokenRecord


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def check_cluster_name(name: str) -> str:
    """The name, or ValueError saying what a cluster name may be."""
    if not CLUSTER_NAME.match(name):
        raise ValueError(
            f"invalid cluster name {name[:64]!r}: lower-case letters, digits and '-', "
            "at most 63, starting and ending with a letter or digit"
        )
    return name


def issue(
    cluster: str, *, now: datetime, remediation: bool = False, key: str | None = None
) -> Issued:
    """A new token for `cluster`; `remediation`: the cluster opted in to remediation through its
    agent (the hub's record, whatever the agent says); `key`: the public key of the agent it is
    bound to from now on (bot/fleet/agent_key.py; None: unbound, a copy of the token is enough)."""
    token_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    record = TokenRecord(
        id=token_id,
        cluster=check_cluster_name(cluster),
        digest=digest(secret),
        created_at=now,
        remediation=remediation,
        bind=key is not None,
        agent_key=key,
    )
    return Issued(text=f"{PREFIX}_{token_id}_{secret}", record=record)


def token_id(text: str) -> str | None:
    """The id part of a well-formed token, else None (nothing is looked up for a malformed one)."""
    found = _SHAPE.match(text.strip())
    return found.group(1) if found else None


def matches(text: str, record: TokenRecord) -> bool:
    """True when `text` is the token behind `record` and it is not revoked (constant time)."""
    found = _SHAPE.match(text.strip())
    secret = found.group(2) if found else ""
    same = hmac.compare_digest(digest(secret), record.digest)
    return same and found is not None and found.group(1) == record.id and record.revoked_at is None


TWO_PLACES_SHOWN = timedelta(days=1)
"""How long a refused second connection is shown by `/diagnose clusters` and `doctor --hub`."""


def two_places(records: Iterable[TokenRecord], now: datetime) -> dict[str, str]:
    """Cluster -> what its valid token used from two places lately says (the latest such token)."""
    found: dict[str, tuple[datetime, str]] = {}
    for record in records:
        at = record.conflict_at
        if at is None or record.revoked_at is not None or now - at > TWO_PLACES_SHOWN:
            continue
        if record.cluster not in found or found[record.cluster][0] < at:
            said = used_from_two_places(record.id, record.conflict_from, at, now, record.held_from)
            found[record.cluster] = (at, said)
    return {cluster: said for cluster, (_, said) in found.items()}


def bindings(records: Iterable[TokenRecord], now: datetime) -> dict[str, str]:
    """Cluster -> what its token is bound to: the token its agent is connected with (and from
    where), else its newest valid token."""
    shown: dict[str, tuple[bool, datetime, str]] = {}
    for record in records:
        if record.revoked_at is not None:
            continue
        live = record.live_holder(now)
        said = token_binding(record.id, record.agent_key, record.held_from if live else None)
        rank = (live, record.created_at, said)
        if record.cluster not in shown or shown[record.cluster][:2] < rank[:2]:
            shown[record.cluster] = rank
    return {cluster: said for cluster, (_, _, said) in shown.items()}
