"""Culprit over victim, through the CLI: the deepest failing object of a call chain ranks first,
its callers below it "because of" it, and where the input does not show the call, each ranks by
its own facts and the caller says which edge would tell.

The recordings (tests/suspects/recordings/) are hotel apps in kubectl's own shapes:
`cascade-geo.txt`, routes calling geo (its env GEO_ADDR=geo:8080, its log "dial tcp geo:8080:
connect: connection refused") while geo's pod exits on a missing file; `init-waits-on-db.txt`,
profile's init container waiting on a Service that does not exist. Each row changes what the
recording shows (an edge's evidence taken out, a third tier or a cycle added) and says what
`diagnose namespace`, `diagnose service` and `diagnose pod` must lead with.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from tests.cli.runner import kubemedic_in_process

RECORDINGS = Path(__file__).with_name("recordings")
GEO = (RECORDINGS / "cascade-geo.txt").read_text()
ROUTES_POD = "hotel/routes-5f7c9d8b6-k8m2p"
ROUTES_LOG = (
    "$ kubectl logs routes-5f7c9d8b6-k8m2p -n hotel\n"
    "2026/01/02 11:59:58 ready check: geo: dial tcp geo:8080: connect: connection refused\n"
    "2026/01/02 11:59:59 GET /ready 503\n"
)
FRONTEND = """
$ kubectl describe pod frontend-6c9d8f7b5-q2wxz -n hotel
Name:             frontend-6c9d8f7b5-q2wxz
Namespace:        hotel
Node:             node-a/192.168.1.10
Labels:           app=frontend
                  pod-template-hash=6c9d8f7b5
Status:           Running
Controlled By:    ReplicaSet/frontend-6c9d8f7b5
Containers:
  frontend:
    Image:          hotel/frontend:1.4
    Port:           8080/TCP
    State:          Running
      Started:      Fri, 02 Jan 2026 09:00:05 +0000
    Ready:          False
    Restart Count:  0
Conditions:
  Type              Status
  Ready             False
Events:
  Type     Reason     Age                 From     Message
  ----     ------     ----                ----     -------
  Warning  Unhealthy  10s (x90 over 8m)   kubelet  Readiness probe failed: HTTP probe failed with statuscode: 500

$ kubectl logs frontend-6c9d8f7b5-q2wxz -n hotel
2026/01/02 11:59:59 GET /search: dial tcp routes:8080: connect: connection refused
"""
GEO_CALLS_ROUTES = """
$ kubectl logs geo-7b8c9d6f5-x9z8w -n hotel
2026/01/02 11:57:51 registering with routes
dial tcp routes:8080: connect: connection refused
"""


def _without(*words: str) -> Callable[[str], str]:
    """The recording without the lines holding any of `words`."""
    return lambda text: "\n".join(
        line for line in text.splitlines() if not any(w in line for w in words)
    )


def _without_blocks(*commands: str) -> Callable[[str], str]:
    """The recording without the outputs of these commands (each up to the next `$ ` line)."""

    def change(text: str) -> str:
        kept, skipping = [], False
        for line in text.splitlines():
            if line.startswith("$ "):
                skipping = any(line.startswith(f"$ {c}") for c in commands)
            if not skipping:
                kept.append(line)
        return "\n".join(kept) + ROUTES_EVENTS

    return change


ROUTES_EVENTS = """
$ kubectl get events -n hotel --field-selector involvedObject.name=routes-5f7c9d8b6-k8m2p
LAST SEEN   TYPE      REASON      OBJECT                       MESSAGE
30s         Warning   Unhealthy   pod/routes-5f7c9d8b6-k8m2p   Readiness probe failed: HTTP probe failed with statuscode: 503
"""


def _plus(more: str) -> Callable[[str], str]:
    return lambda text: text + more


def _only_logged(address: str) -> Callable[[str], str]:
    """The recording where only routes' log names geo, as `address` (no env value names it)."""
    log = (
        "\n$ kubectl logs routes-5f7c9d8b6-k8m2p -n hotel\n"
        f"2026/01/02 11:59:58 ready check failed: dial tcp {address}: connect: connection refused\n"
    )
    return lambda text: (
        _without("ready check", "GET /ready", "kubectl logs routes", "GEO_ADDR")(text) + log
    )


class Chain(NamedTuple):
    recording: str
    change: Callable[[str], str]
    first: tuple[str, str] | None
    """(object, id) the answer leads with (None: either of the cycle's)."""
    victims: dict[str, str]
    """object -> the object its suspect is "because of"."""
    asks: str = ""
    """A note the answer must carry (what to run, a cycle)."""


CHAINS = {
    # routes' own log names geo:8080 refusing it: geo is the culprit, routes its victim
    "the log names the callee": Chain(
        "cascade-geo.txt",
        lambda t: t,
        ("service/geo", "crashloop-backoff"),
        {"service/routes": "service/geo"},
    ),
    # no log from routes: its env GEO_ADDR=geo:8080 is the edge
    "the env names the callee": Chain(
        "cascade-geo.txt",
        _without("ready check", "GET /ready", "kubectl logs routes"),
        ("service/geo", "crashloop-backoff"),
        {"service/routes": "service/geo"},
    ),
    # only routes' log names geo, by the ClusterIP its Service has (Go's dial tcp)
    "the log names the callee's ClusterIP": Chain(
        "cascade-geo.txt",
        _only_logged("10.96.10.12:8080"),
        ("service/geo", "crashloop-backoff"),
        {"service/routes": "service/geo"},
    ),
    # only routes' log names geo, by its cluster-wide name
    "the log names the callee's FQDN": Chain(
        "cascade-geo.txt",
        _only_logged("geo.hotel.svc.cluster.local:8080"),
        ("service/geo", "crashloop-backoff"),
        {"service/routes": "service/geo"},
    ),
    # routes seen only in rows and events (no spec, no log): no chain is guessed, the edge is
    # asked for
    "the edge not seen": Chain(
        "cascade-geo.txt",
        _without_blocks(
            "kubectl describe deploy routes",
            "kubectl describe pod routes",
            "kubectl logs routes",
        ),
        None,
        {},
        "routes-5f7c9d8b6-k8m2p calls service/geo",
    ),
    # frontend -> routes -> geo: the deepest failing object leads, both callers its victims
    "a chain of three": Chain(
        "cascade-geo.txt",
        _plus(FRONTEND),
        ("service/geo", "crashloop-backoff"),
        {"service/routes": "service/geo", "service/frontend": "service/geo"},
    ),
    # geo's last log says it calls routes back: a cycle, each ranked by its own facts
    "a cycle": Chain(
        "cascade-geo.txt",
        lambda t: (
            _without("--previous", "loading points", "panic:", "goroutine", "main.main", "main.go")(
                t
            )
            + GEO_CALLS_ROUTES
        ),
        None,
        {},
        "a cycle in the calls",
    ),
    # an init container waiting on a Service that does not exist: the missing Service
    "an init container waits on a missing Service": Chain(
        "init-waits-on-db.txt",
        lambda t: t,
        ("service/mongodb-profile", "env-service-not-found"),
        {"service/profile": "service/mongodb-profile"},
    ),
}


def _run(tmp_path: Path, chain: Chain, *command: str) -> dict[str, Any]:
    outputs = tmp_path / "outputs.txt"
    outputs.write_text(chain.change((RECORDINGS / chain.recording).read_text()))
    result = kubemedic_in_process(*command, "--from-outputs", str(outputs), "--json")
    assert result.code == 0, result.stderr
    found: dict[str, Any] = result.json()
    return found


@pytest.mark.parametrize("name", CHAINS)
def test_diagnose_namespace_leads_with_the_culprit(tmp_path: Path, name: str) -> None:
    chain = CHAINS[name]
    answer = _run(tmp_path, chain, "diagnose", "namespace", "hotel")
    suspects = answer["suspects"]
    assert chain.first is None or (suspects[0]["object"], suspects[0]["id"]) == chain.first
    assert "because" not in suspects[0]
    because = {s["object"]: s["because"]["object"] for s in suspects if "because" in s}
    assert because == chain.victims
    for victim in chain.victims:
        lower = next(s["lower"] for s in suspects if s["object"] == victim)
        assert lower.startswith(f"also failing, because of {chain.victims[victim]}")
    if chain.victims:  # the culprit's why says the chain, with the call's address
        assert any("fails because of" in why for why in suspects[0]["why"])
    if chain.asks:
        assert any(chain.asks in note for note in answer["notes"]), answer["notes"]


WALKED_DOWN = [
    "the log names the callee",
    "the env names the callee",
    "the log names the callee's ClusterIP",
    "the log names the callee's FQDN",
    "a chain of three",
]


@pytest.mark.parametrize("name", WALKED_DOWN)
def test_diagnose_service_walks_down_to_the_culprit(tmp_path: Path, name: str) -> None:
    answer = _run(tmp_path, CHAINS[name], "diagnose", "service", "hotel/routes")
    first = answer["suspects"][0]
    assert (first["object"], first["id"]) == CHAINS[name].first


@pytest.mark.parametrize("name", [n for n in WALKED_DOWN[:4] if "log" in n])
def test_diagnose_pod_names_the_culprit_of_a_victim_pod(tmp_path: Path, name: str) -> None:
    answer = _run(tmp_path, CHAINS[name], "diagnose", "pod", ROUTES_POD)
    assert [s["object"] for s in answer["suspects"]] == ["service/geo", "service/routes"]
    assert any(
        note.startswith(f"pod {ROUTES_POD} fails because of service/geo")
        for note in answer["notes"]
    )
    assert answer["answer"] == "dependency-unreachable"  # its own cause, stated in full below


def test_diagnose_pod_of_the_culprit_itself_is_its_own_answer(tmp_path: Path) -> None:
    answer = _run(
        tmp_path, CHAINS["the log names the callee"], "diagnose", "pod", "hotel/geo-7b8c9d6f5-x9z8w"
    )
    assert answer["answer"] == "crashloop-backoff" and not answer.get("suspects")


def test_match_on_a_paste_of_the_chain_leads_with_the_culprit(tmp_path: Path) -> None:
    paste = tmp_path / "paste.txt"
    paste.write_text(GEO)
    result = kubemedic_in_process("match", str(paste), "--json")
    assert result.code == 0, result.stderr
    suspects = result.json()["suspects"]
    assert suspects[0]["object"] == "service/geo"
    assert suspects[1]["because"]["object"] == "service/geo"


def test_the_chain_is_said_in_the_terminal(tmp_path: Path) -> None:
    outputs = tmp_path / "outputs.txt"
    outputs.write_text(GEO + ROUTES_LOG)
    command = ("diagnose", "namespace", "hotel", "--from-outputs", str(outputs))
    short, verbose = kubemedic_in_process(*command), kubemedic_in_process(*command, "--verbose")
    assert short.code == verbose.code == 0
    said = " ".join(short.stdout.split())
    assert "Most likely: service/geo" in said
    assert "ranks lower: also failing, because of service/geo" in said
    why = " ".join(verbose.stdout.split())
    assert "service/routes fails because of service/geo, which it calls at geo:8080" in why
