"""A replica keeps accepting for a while after SIGTERM, so its Service takes it out first (issue 76).

An idle replica used to stop listening 0.8 s after SIGTERM: a Service (kube-proxy) or balancer
that had not yet seen its /readyz fail kept sending new connections to a closed port. Now it
answers /readyz 503 from SIGTERM on and keeps accepting for KUBEMEDIC_STOP_DELAY_SECONDS before it
stops listening; then it exits 0 as before.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.slack.harness import BOT_TOKEN, SECRET
from tests.standins.bot_process import BotProcess
from tests.standins.slack_api import SlackStandIn
from tests.standins.slack_api import start_in_thread as start_slack
from tests.waiting import PATIENCE


def _get(url: str) -> tuple[int, str] | None:
    """The status and body, or None when the connection is refused (nothing listens)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except (urllib.error.URLError, ConnectionError):
        return None


def test_an_idle_replica_is_unready_before_it_stops_accepting(tmp_path: Path) -> None:
    slack = SlackStandIn(bot_token=BOT_TOKEN)
    with start_slack(slack) as server:
        env = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": server.api_url,
            "KUBECONFIG": "",
            "KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'kubemedic.db'}",
            "KUBEMEDIC_STOP_DELAY_SECONDS": "10",
        }
        replica = BotProcess(env, tmp_path / "replica.log").wait_ready()
        replica.process.terminate()  # SIGTERM, idle: nothing in flight to drain
        seen: list[tuple[int, str] | None] = []
        deadline = time.monotonic() + PATIENCE
        while replica.process.poll() is None and time.monotonic() < deadline:
            seen.append(_get(f"{replica.url}/readyz"))
            time.sleep(0.05)
        assert replica.process.wait(PATIENCE) == 0, replica.log()
        answered = [reply for reply in seen if reply is not None]
        draining = [reply for reply in answered if reply[0] == 503 and "draining" in reply[1]]
        assert len(draining) >= 3, (
            seen[:5],
            replica.log(),
        )  # a balancer polling had time to see it
        first = seen.index(draining[0])
        assert None not in seen[first : seen.index(draining[-1])]  # accepting all along
        replica.stop()
