"""Fast takeover on PostgreSQL: work acked by a replica that is killed is answered within 30 s.

Two real `kubemedic serve --http` processes share one PostgreSQL, with the
default work lease. Eighty `/diagnose` commands (four sweeps' worth when a sweep
took over at most 20) are acked by one replica, which is then killed (SIGKILL) before it answers any; the other replica
takes them over when their lease runs out and answers each once, within
30 s of its ack.
"""

from __future__ import annotations

import time
from pathlib import Path

from bot.settings import Settings
from tests.replicas.test_two_processes import two_replicas
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn

TAKEOVER_TARGET = 30.0


def test_a_killed_replicas_commands_are_answered_within_30_seconds(tmp_path: Path) -> None:
    kube = KubeStandIn(latency=0.0)
    cases = [scenarios.oom_killed_deployment(kube, name=f"checkout{n}") for n in range(4)]
    hold = kube.delay(r"/pods/", 5.0, method="GET")  # no diagnosis finishes before the kill
    lease = str(Settings.model_fields["work_lease_seconds"].default)
    with two_replicas(tmp_path, kube, extra={"KUBEMEDIC_WORK_LEASE_SECONDS": lease}) as replicas:
        channels = [f"C0FAST{n:05d}" for n in range(80)]
        acked: dict[str, float] = {}
        for n, channel in enumerate(channels):
            case = cases[n % len(cases)]
            command = replicas.requests.slash_command(
                f"pod {case.namespace}/{case.pod}", channel_id=channel, user_id=f"U0FAST{n:04d}"
            )
            assert replicas.send(command, replicas.one) == [200]
            acked[channel] = time.monotonic()
        replicas.one.kill()
        hold.seconds = 0.0
        assert not any(replicas.posts_in(channel) for channel in channels)
        answered: dict[str, float] = {}
        for channel in channels:
            [posted] = replicas.slack.wait_for_sync(
                "chat.postMessage",
                timeout=TAKEOVER_TARGET + 5,
                predicate=lambda c, ch=channel: c.params.get("channel") == ch,
            )
            answered[channel] = posted.at  # when the stand-in received the answer
        waited = {ch: round(answered[ch] - acked[ch], 1) for ch in channels}
        assert max(waited.values()) < TAKEOVER_TARGET, waited
        time.sleep(1.0)  # a duplicate would show now
        assert {ch: len(replicas.posts_in(ch)) for ch in channels} == dict.fromkeys(channels, 1)
        assert "taking over" in replicas.two.log()
