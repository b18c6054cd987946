"""A token used from two places, said loudly in chat: the hub's own alert, naming both addresses.

Whoever holds a copy of an agent's token can try to take its cluster's traffic over; a refused
second connection used to be logged at info and shown only to whoever asked `/diagnose clusters`.
The refusing replica now stores an alarm in the alert inbox (bot/fleet/report_inbox.py, at most
once an hour per token, reason and address, as the refusal is audited), and the alert leader
posts it like an alert (bot/fleet/fleet_threads.py): routed by the hub's routing file as a critical
alert of the token's cluster, one message per token, a thread note for each new address. The
message says where the token is connected from (and whether that connection proved the agent's
key), where the refused one came from and why, and the two commands that end it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.noise.merging import Signal
from bot.noise.routing import Destination, Facts, Routing
from bot.storage.fleet_records import TokenRecord
from responses.alert_detail import AlertDetail, AlertTexts

NAME = "KubemedicAgentTokenCopied"
KEY = "fleet:alarm:"


def copied(record: TokenRecord, where: str, reason: str, now: datetime) -> dict[str, Any]:
    """What the alarm says of a refused connection with `record`'s token from `where`."""
    return {
        "token_id": record.id,
        "refused_from": where,
        "reason": reason,
        "holder": record.held_from if record.live_holder(now) else None,
        "last_from": record.held_from,
        "bound": record.agent_key is not None,
    }


def _holder(alarm: dict[str, Any]) -> str:
    if alarm.get("holder"):
        proof = "its bound key proven" if alarm.get("bound") else "an unbound token: no key proven"
        return f"connected from {alarm['holder']} ({proof})"
    last = f" (last from {alarm['last_from']})" if alarm.get("last_from") else ""
    return f"no connection holds it now{last}"


def _texts(cluster: str, alarm: dict[str, Any]) -> dict[str, str]:
    token, where = alarm["token_id"], alarm["refused_from"]
    return {
        "name": NAME,
        "severity": "critical",
        "summary": f"Token {token} of cluster {cluster}: {_holder(alarm)}; refused a connection "
        f"from {where}",
        "description": f"{alarm['reason']}. If {where} is not your agent, someone holds a copy of "
        f"the token: revoke it (`kubemedic fleet token revoke {token}`) and issue a new one bound "
        f"to its agent's key (`kubemedic fleet token issue {cluster} --secret`).",
    }


def alarm_signal(
    cluster: str, alarm: dict[str, Any], routing: Routing, *, at: datetime
) -> tuple[Signal, dict[str, Any]] | None:
    """The alarm as a signal and the detail its message shows; None with nowhere to post it. The
    routing file's rules pick the channel (a cluster's own), never its deny lists: it is loud."""
    facts = Facts("alertmanager", cluster=cluster, severity="critical", reasons=(NAME,))
    destination: Destination | None = routing.destination(facts)
    if destination is None:
        return None
    where = str(alarm["refused_from"])
    signal = Signal(
        key=KEY + str(alarm["token_id"]),
        source="alertmanager",
        title=f"agent token {alarm['token_id']} of cluster {cluster} used from two places",
        destination=destination,
        at=at,
        firing=frozenset({where}),
        names={where: f"refused a connection from {where}"},
        notes=True,
        facts=facts,
    )
    detail = AlertDetail(
        cluster=cluster, alert=AlertTexts(**_texts(cluster, alarm), cluster=cluster)
    )
    return signal, detail.stored()
