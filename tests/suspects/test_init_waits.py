"""An init container waiting on a name that nothing serves, through the CLI on a recording.

`init-waits-on-env.txt` is orders, held in Init:0/1 by `until nc -z -w 2 $DB_HOST $DB_PORT`
with DB_HOST=orders-db in the init container's env, its log saying busybox's "bad address".
Each row changes the recording and says, written out here, what `diagnose namespace` leads
with: the caller's own setting when nothing goes by the name, the Service when it exists and
nothing serves it, the missing Service when only the log names it. The open-world rows take
away what the answer rests on and expect no confident answer about it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.cli.runner import Result, kubemedic_in_process

RECORDING = (Path(__file__).with_name("recordings") / "init-waits-on-env.txt").read_text()
INVENTORY = """
$ kubectl get endpoints -n shop
NAME        ENDPOINTS          AGE
frontend    10.244.0.5:8080    3h
orders      <none>             3h
postgres    10.244.0.7:5432    3h
inventory   <none>             3h
"""


def _swap(*pairs: tuple[str, str]) -> Callable[[str], str]:
    def change(text: str) -> str:
        for old, new in pairs:
            assert old in text, old
            text = text.replace(old, new)
        return text

    return change


POSTGRES = "postgres   ClusterIP   10.96.10.14     <none>        5432/TCP   3h\n"


def _inventory(text: str) -> str:
    text = _swap(
        ("DB_HOST:  orders-db", "DB_HOST:  inventory"),
        ("nc: bad address 'orders-db'", "nc: connect to inventory port 5432 (tcp) timed out"),
        (
            POSTGRES,
            POSTGRES + "inventory  ClusterIP   10.96.10.15     <none>        5432/TCP   3h\n",
        ),
    )(text)
    return text + INVENTORY


class Row(NamedTuple):
    change: Callable[[str], str]
    first: tuple[str, str, str] | None
    """(object, resource, id) first at medium or high; None: none about what was taken away."""
    said: str = ""


ROWS = {
    # DB_HOST names orders-db and nothing in shop goes by it: orders' own setting is wrong
    "its env names nothing": Row(
        lambda t: t,
        ("service/orders", "deployment/orders", "env-service-not-found"),
        "DB_HOST=orders-db, DB_PORT=5432 names Service orders-db",
    ),
    # DB_HOST names inventory, a Service with no endpoint and no pods behind it
    "the Service nothing serves": Row(
        _inventory,
        ("service/inventory", "service/inventory", "service-endpoints-empty"),
        "Service inventory: no ready endpoint, and no workload's pods back it",
    ),
    # the command is a script: only the init container's log names what it waits on
    "only its log names it": Row(
        _swap(
            (
                "until nc -z -w 2 $DB_HOST $DB_PORT; do echo waiting for database; sleep 2; done",
                "/scripts/wait-for-db.sh",
            ),
            ("      DB_HOST:  orders-db\n", ""),
        ),
        ("service/orders-db", "service/orders-db", "env-service-not-found"),
        "nc: bad address 'orders-db'",
    ),
    # its curl goes through a mesh sidecar, which answers "no healthy upstream": inventory
    # exists and nothing serves it (the sidecar's words are its effect, not the cause)
    "through a sidecar": Row(
        lambda t: _swap(
            (
                "until nc -z -w 2 $DB_HOST $DB_PORT",
                "until curl -fsS http://$DB_HOST:8080/healthz",
            ),
            ("nc: connect to inventory port 5432 (tcp) timed out", "no healthy upstream"),
        )(_inventory(t)),
        ("service/inventory", "service/inventory", "service-endpoints-empty"),
        "init container wait-for-db waits on inventory",
    ),
    # open world: no endpoints listed, so whether inventory is served is not seen
    "endpoints not shown": Row(
        lambda t: _inventory(t).replace(INVENTORY, ""),
        None,
    ),
}


def _diagnose(tmp_path: Path, text: str, *asked: str) -> Result:
    recording = tmp_path / "outputs.txt"
    recording.write_text(text)
    return kubemedic_in_process(
        "diagnose", *asked, "--json", "--from-outputs", str(recording), env={"HOME": str(tmp_path)}
    )


@pytest.mark.parametrize("name", ROWS)
def test_what_the_init_container_waits_on_is_named(name: str, tmp_path: Path) -> None:
    row = ROWS[name]
    asked = ("namespace", "shop", "--symptom", "orders is down")
    result = _diagnose(tmp_path, row.change(RECORDING), *asked)
    assert result.code == 0, result.stderr
    suspects = result.json()["suspects"]
    confident = [s for s in suspects if s["confidence"] in ("high", "medium")]
    if row.first is None:
        assert not [s for s in confident if s["object"] == "service/inventory"], confident
        return
    first = suspects[0]
    assert (first["object"], first["resource"], first["id"]) == row.first, [
        (s["object"], s["id"]) for s in suspects
    ]
    assert first["confidence"] in ("high", "medium")
    assert any(row.said in fact for fact in first["evidence"]), first["evidence"]


def test_the_held_pod_leads_with_what_it_waits_on(tmp_path: Path) -> None:
    # `diagnose pod` on the pod the init container holds: the sidecar's "no healthy upstream" is
    # a dependency's failure, so the Service nothing serves comes first
    text = ROWS["through a sidecar"].change(RECORDING)
    result = _diagnose(tmp_path, text, "pod", "shop/orders-6d7c8b9f4-h2j3k")
    assert result.code == 0, result.stderr
    suspects = result.json().get("suspects") or []
    assert [(s["object"], s["id"]) for s in suspects][:1] == [
        ("service/inventory", "service-endpoints-empty")
    ], suspects
