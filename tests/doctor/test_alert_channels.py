"""Issue 24: doctor checks every channel alerts are routed to (membership, private, archived)."""

from __future__ import annotations

from pathlib import Path

from tests.doctor.install import Install, lines, status

ROUTING = """\
default: {channel: C0ALERTS01}
rules:
  - match: {namespace: payments}
    channel: C0PAYSECRT
  - match: {namespace: shop}
    channel: C0SHOPPUB1
  - match: {namespace: legacy}
    channel: "#old-alerts"
"""


def _routing(install: Install, text: str = ROUTING) -> dict[str, str]:
    path = install.tmp / "routing.yaml"
    path.write_text(text)
    return {
        "KUBEMEDIC_ALERTMANAGER_TOKEN": "kmsk_mz3wSMlzMFkBREaBCFeZPIPDgg4oJecagr_PEWWE23p519Iv",
        "KUBEMEDIC_ROUTING_FILE": str(path),
    }


def test_a_routed_channel_the_bot_is_not_in_fails_with_the_fix(install: Install) -> None:
    install.slack.add_channel("C0ALERTS01", "alerts")
    install.slack.add_channel("C0PAYSECRT", "payments-oncall", is_private=True, is_member=False)
    install.slack.add_channel("C0SHOPPUB1", "shop-alerts", is_member=False)
    result = install.doctor(**_routing(install))
    assert result.code == 1
    line = lines(result)["Alert channels"]
    assert line.startswith("FAIL  Alert channels: ")
    assert "C0PAYSECRT (#payments-oncall, private): kubemedic is not a member" in line
    assert "C0SHOPPUB1 (#shop-alerts): kubemedic is not a member" in line
    assert "#old-alerts: named, not an id" in line
    assert (
        "/invite @kubemedic in #payments-oncall" in line
        and "/invite @kubemedic in #shop-alerts" in line
    )
    assert "fine: C0ALERTS01 (#alerts)" in line


def test_every_routed_channel_joined_passes(install: Install, tmp_path: Path) -> None:
    for channel, name in (
        ("C0ALERTS01", "alerts"),
        ("C0PAYSECRT", "payments-oncall"),
        ("C0SHOPPUB1", "shop"),
    ):
        install.slack.add_channel(channel, name, is_private=name == "payments-oncall")
    env = _routing(
        install, ROUTING.replace('  - match: {namespace: legacy}\n    channel: "#old-alerts"\n', "")
    )
    result = install.doctor(**env)
    assert status(result)["Alert channels"] == "ok", result.stdout
    assert "C0PAYSECRT (#payments-oncall, private)" in lines(result)["Alert channels"]


def test_a_token_with_a_trailing_newline_is_named_and_passes(install: Install) -> None:
    """Issue 51: a Secret made from a file (`kubectl create secret --from-file`) ends the token in a
    newline; the receiver strips it, and doctor says so (an info line, doctor still passes)."""
    install.slack.add_channel("C0ALERTS01", "alerts")
    env = {
        "KUBEMEDIC_ALERTMANAGER_TOKEN": "kmsk_mz3wSMlzMFkBREaBCFeZPIPDgg4oJecagr_PEWWE23p519Iv\n",
        "KUBEMEDIC_ALERT_CHANNEL": "C0ALERTS01",
    }
    result = install.doctor(**env)
    line = lines(result)["Alertmanager token"]
    assert line.startswith(
        "info  Alertmanager token: KUBEMEDIC_ALERTMANAGER_TOKEN ends in a newline"
    ), line
    assert (
        "strips them" in line
        and "kmsk_mz3wSMlzMFkBREaBCFeZPIPDgg4oJecagr_PEWWE23p519Iv" not in result.stdout
    )
    assert result.code == 0, result.stdout
    assert "Alertmanager token" not in lines(
        install.doctor(
            **{
                **env,
                "KUBEMEDIC_ALERTMANAGER_TOKEN": "kmsk_mz3wSMlzMFkBREaBCFeZPIPDgg4oJecagr_PEWWE23p519Iv",
            }
        )
    )
