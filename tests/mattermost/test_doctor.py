"""`kubemedic doctor --mattermost`: the bot account's token, the bot in its alert channels, the slash
command and the callbacks; with KUBEMEDIC_TEAMS_WEBHOOK_URL, whether the webhook answers (no message sent)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.doctor import run_doctor
from bot.settings import Settings
from responses.doctor import render_doctor_text
from tests.standins.kube_api import KubeStandIn, running_kube_standin, write_kubeconfig
from tests.standins.mattermost_api import MattermostStandIn, running_mattermost
from tests.standins.teams_webhook import TeamsWebhookStandIn, running_teams_webhook

ALERTS = "challerts000000000000000c2"
ELSEWHERE = "chelsewhere00000000000000c"


def _lines(tmp_path: Path, *, token: str | None = None, alert_channel: str = ALERTS) -> list[str]:
    async def scenario() -> list[str]:
        mm, teams = MattermostStandIn(), TeamsWebhookStandIn()
        mm.state.add_channel(ALERTS, "alerts")
        mm.state.add_channel(ELSEWHERE, "elsewhere", bot=False)
        async with (
            running_mattermost(mm) as url,
            running_teams_webhook(teams) as hook,
            running_kube_standin(KubeStandIn(latency=0.0)) as kube_url,
        ):
            environment = {
                "KUBEMEDIC_MATTERMOST_URL": url,
                "KUBEMEDIC_MATTERMOST_TOKEN": token or mm.state.bot_token,
                "KUBEMEDIC_MATTERMOST_CALLBACK_URL": "http://kubemedic.kubemedic.svc",
                "KUBEMEDIC_ALERTMANAGER_TOKEN": "kmsk_mz3wSMlzMFkBREaBCFeZPIPDgg4oJecagr_PEWWE23p519Iv",
                "KUBEMEDIC_ALERT_CHANNEL": alert_channel,
                "KUBEMEDIC_TEAMS_WEBHOOK_URL": hook,
                "KUBECONFIG": str(
                    write_kubeconfig(tmp_path / "kubeconfig", {"lab": kube_url}, current="lab")
                ),
                "KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'kubemedic.db'}",
            }
            settings = Settings(**environment)
            report = await run_doctor(settings, mattermost=True)
            assert teams.messages == []  # doctor posts nothing in Teams
            return render_doctor_text(report, title="kubemedic doctor (Mattermost)").splitlines()

    return asyncio.run(scenario())


def _line(lines: list[str], name: str) -> str:
    return next(line for line in lines if name in line)


def test_a_healthy_mattermost_install_passes_its_chat_checks(tmp_path: Path) -> None:
    lines = _lines(tmp_path)
    assert "ok" in _line(
        lines, "Mattermost token"
    ).lower() and "@kubemedic (a bot account)" in _line(lines, "token")
    assert "member of ~alerts" in _line(lines, "Mattermost alert channels")
    assert "AllowedUntrustedInternalConnections" in "\n".join(
        lines
    )  # an internal callback address is named
    assert "no message was sent" in _line(lines, "Teams webhook")


def test_a_wrong_token_and_a_channel_without_the_bot_fail_with_their_fix(tmp_path: Path) -> None:
    wrong = _lines(tmp_path, token="not-the-token")
    assert "401" in _line(wrong, "Mattermost token")
    missing = _lines(tmp_path, alert_channel=ELSEWHERE)
    assert "not a member" in _line(missing, "Mattermost alert channels")
