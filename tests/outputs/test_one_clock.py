"""One clock: a recording is judged at the moment it was made, whatever day it is read.

Its moment is `--at` when the person gives it, else what the recording says: a table's age
and a describe's date of the same object, else its newest date. Ages are placed before that
moment and dates stay as written, so the wall clock (KUBEMEDIC_NOW here, injected through the
settings) changes nothing: the same folder diagnosed a day or a year later gives the same
answer, byte for byte.
"""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cluster.outputs import OutputsReader
from bot.cluster.outputs.ages import Clock
from tests.cli.runner import kubemedic_in_process
from tests.outputs.conftest import Record

RECORDED = "2026-01-02T12:34:00Z"
"""When the recordings below were made: the Deployment's describe gives its creation date, its
row in `get deploy` its age (2d) at the recording."""

PODS = """
$ kubectl get pods -n shop
NAME                    READY   STATUS    RESTARTS      AGE
web-7d4b9c-2xkqp        1/1     Running   3 (10m ago)   2d
cart-5c8f7d9b4-k2x9q    1/1     Running   0             2d
"""

DEPLOY = """
$ kubectl get deploy -n shop
NAME   READY   UP-TO-DATE   AVAILABLE   AGE
web    1/1     1            1           2d

$ kubectl describe deploy web -n shop
Name:                   web
Namespace:              shop
CreationTimestamp:      Wed, 31 Dec 2025 12:34:00 +0000
Labels:                 app=web
Selector:               app=web
Replicas:               1 desired | 1 updated | 1 total | 1 available | 0 unavailable
Pod Template:
  Labels:  app=web
  Containers:
   web:
    Image:      repo/web:2.1
    Port:       8080/TCP
"""

WEB = """
$ kubectl describe pod web-7d4b9c-2xkqp -n shop
Name:             web-7d4b9c-2xkqp
Namespace:        shop
Node:             node-a/192.168.1.10
Start Time:       Wed, 31 Dec 2025 12:34:00 +0000
Labels:           app=web
                  pod-template-hash=7d4b9c
Status:           Running
Controlled By:    ReplicaSet/web-7d4b9c
Containers:
  web:
    Image:          repo/web:2.1
    Port:           8080/TCP
    State:          Running
      Started:      Fri, 02 Jan 2026 12:24:10 +0000
    Last State:     Terminated
      Reason:       OOMKilled
      Exit Code:    137
      Started:      Fri, 02 Jan 2026 12:10:00 +0000
      Finished:     Fri, 02 Jan 2026 12:24:00 +0000
    Ready:          True
    Restart Count:  3
    Limits:
      memory:  64Mi
Conditions:
  Type              Status
  Initialized       True
  Ready             True
  ContainersReady   True
  PodScheduled      True
Events:
  Type     Reason     Age                From     Message
  ----     ------     ----               ----     -------
  Warning  BackOff    10m (x3 over 40m)  kubelet  Back-off restarting failed container web
"""


def _folder(tmp_path: Path, *texts: str) -> Path:
    for number, text in enumerate(texts, start=1):
        (tmp_path / f"{number:02d}.txt").write_text(textwrap.dedent(text).lstrip("\n"))
    return tmp_path


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


async def test_an_age_and_a_date_of_one_moment_say_when_the_outputs_were_recorded(
    tmp_path: Path,
) -> None:
    # the Deployment created on Dec 31 at 12:34 is 2d old: recorded on Jan 2 at 12:34, and the
    # pods' ages are placed before that moment, whatever the wall clock says
    folder = _folder(tmp_path, PODS, DEPLOY, WEB)
    reader = OutputsReader(folder, clock=Clock(fallback=datetime(2030, 1, 1, tzinfo=UTC)))
    assert _stamp(reader.as_of()) == RECORDED
    pod = await reader.get("pods", "cart-5c8f7d9b4-k2x9q", "shop")
    assert pod["metadata"]["creationTimestamp"] == "2025-12-31T12:34:00Z"
    web = await reader.get("pods", "web-7d4b9c-2xkqp", "shop")
    finished = web["status"]["containerStatuses"][0]["lastState"]["terminated"]["finishedAt"]
    assert finished == "2026-01-02T12:24:00Z"  # a date stays as written, never moved to today


def test_without_ages_the_newest_date_says_when(tmp_path: Path) -> None:
    reader = OutputsReader(_folder(tmp_path, WEB.replace("10m (x3 over 40m)", "<unknown>")))
    assert _stamp(reader.as_of()) == "2026-01-02T12:24:10Z"  # the container's last start


async def test_at_says_when_and_the_ages_follow_it(tmp_path: Path) -> None:
    at = datetime(2026, 1, 2, 13, 0, tzinfo=UTC)
    reader = OutputsReader(_folder(tmp_path, PODS, DEPLOY, WEB), clock=Clock(at))
    assert reader.as_of() == at
    pod = await reader.get("pods", "cart-5c8f7d9b4-k2x9q", "shop")
    assert pod["metadata"]["creationTimestamp"] == "2025-12-31T13:00:00Z"


def test_a_recording_of_ages_only_is_judged_at_the_wall_clock(record: Record) -> None:
    # no date anywhere: every time is relative, so any moment judges it alike
    reader = record(PODS)
    assert reader.as_of() == datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


LATER = {
    "as recorded": {},
    "a day later": {"KUBEMEDIC_NOW": "2026-01-03T12:34:00Z"},
    "a year later": {"KUBEMEDIC_NOW": "2027-01-02T12:34:00Z"},
    "ten years later": {"KUBEMEDIC_NOW": "2036-01-02T12:34:00Z"},
}


@pytest.mark.parametrize(
    "command",
    [
        ("diagnose", "pod", "shop/web-7d4b9c-2xkqp"),
        ("diagnose", "namespace", "shop"),
        ("diagnose", "service", "shop/web"),
    ],
    ids=["pod", "namespace", "service"],
)
def test_the_same_recording_read_on_any_later_day_gets_the_same_answer(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    service = """
    $ kubectl get svc -n shop
    NAME   TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)    AGE
    web    ClusterIP   10.96.12.40    <none>        8080/TCP   2d
    """
    folder = _folder(tmp_path, PODS, DEPLOY, WEB, service)
    answers = {
        when: kubemedic_in_process(*command, "--from-outputs", str(folder), "--json", env=env)
        for when, env in LATER.items()
    }
    at = kubemedic_in_process(
        *command,
        "--from-outputs",
        str(folder),
        "--json",
        "--at",
        RECORDED,
        env=LATER["a year later"],
    )
    assert {r.code for r in answers.values()} == {0} and at.code == 0
    first = answers["as recorded"].stdout
    assert all(r.stdout == first for r in answers.values()) and at.stdout == first
    if command[1] == "pod":  # it restarted (OOMKilled) 10 min before the recording: current
        assert "OOMKilled" in first and "no problem found" not in first


def test_the_example_dump_gets_the_same_answer_on_any_later_day() -> None:
    answers = [
        kubemedic_in_process(
            "diagnose", "namespace", "shop", "--from-dump", "examples/dump", "--json", env=env
        )
        for env in LATER.values()
    ]
    assert answers[0].code == 0 and answers[0].json()["suspects"]
    assert all(r.stdout == answers[0].stdout for r in answers)


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (("--at", "yesterday"), "--at must be an RFC 3339 time"),
        (("--at", RECORDED), "--at is when a recording was made"),
    ],
    ids=["not a time", "a live cluster"],
)
def test_a_bad_at_gets_one_line(arguments: tuple[str, ...], said: str) -> None:
    result = kubemedic_in_process(
        "diagnose", "namespace", "shop", *arguments, env={"KUBECONFIG": "/nonexistent"}
    )
    assert result.code == 2 and said in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_match_judges_a_paste_at_its_own_time(tmp_path: Path) -> None:
    paste = tmp_path / "paste.txt"
    service = """
    $ kubectl describe svc web -n shop
    Name:              web
    Namespace:         shop
    Selector:          app=web
    Type:              ClusterIP
    Port:              http  8080/TCP
    TargetPort:        8080/TCP
    Endpoints:         10.1.0.7:8080
    """
    paste.write_text("".join(textwrap.dedent(t) for t in (PODS, DEPLOY, WEB, service)))
    answers = [
        kubemedic_in_process("match", str(paste), "--json", env=env).stdout
        for env in LATER.values()
    ]
    at = kubemedic_in_process("match", str(paste), "--json", "--at", RECORDED).stdout
    assert all(a == answers[0] for a in answers) and at == answers[0]
