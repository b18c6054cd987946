"""App Home, `/diagnose doctor` and the catalog at /catalog, through the real bolt app over HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import aiohttp

from bot.cluster.permissions import READ, REMEDIATION
from bot.storage.records import DiagnosisRecord
from bot.storage.tables import SCHEMA_VERSION
from responses import messages
from tests.slack.harness import ADMIN, Bot, block_text, running_bot

HOME_OPENED = {
    "type": "app_home_opened",
    "user": "U0ALICE001",
    "channel": "D0HOME0001",
    "tab": "home",
    "event_ts": "1715677200.000100",
}


async def test_opening_the_home_tab_publishes_usage_and_the_catalog_link(tmp_path: Path) -> None:
    async with running_bot(
        tmp_path, KUBEMEDIC_PUBLIC_URL="https://kubemedic.example.com/slack/events"
    ) as bot:
        status, _ = await bot.send(bot.requests.event(HOME_OPENED))
        assert status == 200
        [published] = await bot.slack.wait_for("views.publish")
    assert published.params["user_id"] == "U0ALICE001"
    view = published.params["view"]
    assert view["type"] == "home"
    text = block_text(view["blocks"])
    assert "/diagnose pod NS/NAME" in text and "/diagnose doctor" in text
    assert "<https://kubemedic.example.com/catalog/|open the catalog>" in text
    assert bot.slack.homes["U0ALICE001"]["blocks"] == view["blocks"]


async def test_without_a_public_url_home_says_how_to_get_the_catalog(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        await bot.send(bot.requests.event(HOME_OPENED))
        [published] = await bot.slack.wait_for("views.publish")
        await bot.send(bot.requests.event({**HOME_OPENED, "tab": "messages"}))
    assert "kubemedic catalog site DIR" in block_text(published.params["view"]["blocks"])
    assert len(bot.slack.calls_to("views.publish")) == 1  # the Messages tab publishes nothing


async def test_doctor_is_refused_to_non_admins_in_the_ack(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        status, body = await bot.send(bot.requests.slash_command("doctor", user_id="U0ALICE001"))
    assert status == 200 and json.loads(body) == {
        "response_type": "ephemeral",
        "text": messages.DOCTOR_ADMINS_ONLY,
    }
    assert bot.slack.calls_to("response_url") == [] and bot.kube.requests == []


async def test_an_admin_gets_the_checklist_privately(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        status, body = await bot.send(bot.requests.slash_command("doctor", user_id=ADMIN))
        assert status == 200 and json.loads(body)["text"] == messages.DOCTOR_RUNNING
        [answer] = await bot.slack.wait_for("response_url")
    assert answer.params["response_type"] == "ephemeral"
    text = block_text(answer.params["blocks"])
    assert text.startswith("kubemedic doctor")
    assert ":white_check_mark: *Slack token*: valid (auth.test)" in text
    assert (
        ":white_check_mark: *Database*:" in text
        and f"schema version {SCHEMA_VERSION} (current)" in text
    )
    assert f":white_check_mark: *read permissions (cluster lab)*: all {len(READ)} granted" in text
    # HTTP mode without KUBEMEDIC_PUBLIC_URL: the one failing check, with its fix
    assert ":x: *Slack events and commands (HTTP)*: the request URL is not known" in text
    assert "_fix:_ pass the bot's public address" in text
    assert answer.params["text"].endswith("fix the FAIL lines above")
    assert len(bot.kube.requests_to("POST", "selfsubjectaccessreviews")) == len(READ) + len(
        REMEDIATION
    )


async def _get(bot: Bot, path: str, *, method: str = "GET") -> tuple[int, dict[str, str], str]:
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, f"{bot.url}{path}", allow_redirects=False) as response,
    ):
        return response.status, dict(response.headers), await response.text()


async def test_the_catalog_is_served_read_only_with_feedback_precision(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        saved = await bot.kubemedic.store.save_diagnosis(
            DiagnosisRecord(subject="paste", catalog_ids=["oom-killed"])
        )
        await bot.kubemedic.store.add_feedback(
            diagnosis_id=saved, catalog_id="oom-killed", user=ADMIN, verdict="helpful"
        )
        redirect = await _get(bot, "/catalog")
        index = await _get(bot, "/catalog/")
        page = await _get(bot, "/catalog/entries/oom-killed.html")
        script = await _get(bot, "/catalog/search.js")
        escape = await _get(bot, "/catalog/../../etc/passwd")
        missing = await _get(bot, "/catalog/entries/no-such-entry.html")
        post = await _get(bot, "/catalog/", method="POST")
    assert redirect[0] == 302 and redirect[1]["Location"] == "/catalog/"
    status, headers, body = index
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert (
        "script-src 'self'" in headers["Content-Security-Policy"]
        and headers["X-Content-Type-Options"] == "nosniff"
    )
    assert 'href="entries/oom-killed.html"' in body
    assert page[0] == 200 and "Shown 1 times; 1 helpful, 0 not this; precision 100%." in page[2]
    assert script[0] == 200 and script[1]["Content-Type"].startswith("text/javascript")
    assert escape[0] == 404 and missing[0] == 404 and post[0] == 405


async def test_the_catalog_can_be_switched_off(tmp_path: Path) -> None:
    async with running_bot(tmp_path, KUBEMEDIC_CATALOG_SITE="false") as bot:
        assert (await _get(bot, "/catalog/"))[0] == 404
        assert (await _get(bot, "/healthz"))[0] == 200
