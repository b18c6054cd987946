"""Healthy-looking kubectl output does not swallow the error it shows, and normal output stays
unanswered (issue 21 item 4)."""

from __future__ import annotations

from pathlib import Path

from bot.diagnosis.paste import diagnose_paste
from bot.diagnosis.paste_read import read_pasted
from intents.matcher import Matcher

PLEG_WITHOUT_HEADER = """\
  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
  ----             ------  -----------------                 ------------------                ------                       -------
  MemoryPressure   False   Mon, 06 May 2024 10:01:02 +0000   Mon, 06 May 2024 09:00:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available
  DiskPressure     False   Mon, 06 May 2024 10:01:02 +0000   Mon, 06 May 2024 09:00:00 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure
  Ready            False   Mon, 06 May 2024 10:01:02 +0000   Mon, 06 May 2024 10:00:30 +0000   KubeletNotReady              PLEG is not healthy: pleg was last seen active 3m12.5s ago; threshold is 3m0s
"""
GATED = "NAME    READY   STATUS            RESTARTS   AGE\nweb-0   0/1     SchedulingGated   0          2m\n"
INGRESS = "NAME   CLASS   HOSTS             ADDRESS   PORTS   AGE\nweb    nginx   app.example.com             80      15m\n"
INGRESS_NEW = INGRESS.replace("15m", "20s")
RBAC_PROXY = """\
I0101 00:00:00.000000       1 main.go:186] Valid token audiences:
I0101 00:00:00.000000       1 main.go:316] Reading certificate files
I0101 00:00:00.000000       1 main.go:349] Starting TCP socket on 0.0.0.0:8443
I0101 00:00:00.000000       1 main.go:356] Listening securely on 0.0.0.0:8443
"""


def _answer(matcher: Matcher, text: str) -> str | None:
    found = diagnose_paste(matcher, text).answer
    return found.match.id if found is not None else None


def test_a_not_ready_condition_row_without_its_header_is_answered(matcher: Matcher) -> None:
    assert _answer(matcher, PLEG_WITHOUT_HEADER) == "node-not-ready"


def test_a_scheduling_gated_pod_is_not_starting(matcher: Matcher) -> None:
    assert not read_pasted(GATED).healthy
    assert _answer(matcher, GATED) == "pod-scheduling-gated"


def test_an_ingress_left_without_an_address_is_not_healthy(tmp_path: Path) -> None:
    assert not read_pasted(INGRESS).healthy
    assert read_pasted(INGRESS_NEW).healthy


def test_kube_rbac_proxy_starting_up_gets_no_answer(matcher: Matcher) -> None:
    assert _answer(matcher, RBAC_PROXY) is None
