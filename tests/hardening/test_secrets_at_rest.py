"""No secret at rest, none in public (issue 12): a hostile run through the real bot.

Every kind in `planted_secrets` (400+: by position, by shape, an attacker's shapes, one drawn
from each rule of the rule set) is pasted in a channel,
in `/diagnose <paste>`, in an @mention, in an incident channel (recorded for its summary),
sent as Alertmanager alert annotations (stored in alert_inbox and alert_threads, posted),
and printed by a crashing pod whose logs `/diagnose pod` reads; `kubemedic summarize`
reads them all from a Slack export, and `kubemedic preview` draws the answer to them as a page. Then the database is scanned - on SQLite the raw
bytes of the file and its WAL, free pages included; on PostgreSQL every row of every
table - and so is everything the bot posted (public and ephemeral) and logged.
The run is checked to have stored what it should (diagnoses, work, messages, with the
error words and [REDACTED] in them), so an empty database cannot pass.
"""

from __future__ import annotations

import asyncio
import html
import io
import json
import logging
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.logs import HANDLER_NAME, configure_logging
from bot.storage.records import WorkItem
from bot.storage.sql import SqlStore
from bot.storage.tables import metadata
from bot.summary.recording import message_text
from tests.alerts.payloads import alert, body, group
from tests.cli.runner import kubemedic
from tests.hardening.planted_secrets import PLANTED, SECRETS
from tests.slack.harness import Bot, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn
from tests.standins.slack_events import member_joined_channel_event, message_event
from tests.storage.backends import fresh_postgres_database
from tests.storage.conftest import postgres_base_url

OOM = "Last State:     Terminated\n  Reason:       OOMKilled\n  Exit Code:    137\n"
INCIDENT = "C0INCSEC01"
EXPORT = Path(__file__).resolve().parents[2] / "examples" / "slack-export"
ALERTS, ALERT_TOKEN = "C0ALERTSEC", "kmsk_mz3wSMlzMFkBREaBCFeZPIPDgg4oJecagr_PEWWE23p519Iv"
ALERTING = {
    "KUBEMEDIC_ALERTMANAGER_TOKEN": ALERT_TOKEN,
    "KUBEMEDIC_ALERT_CHANNEL": ALERTS,
    "KUBEMEDIC_ALERT_EDIT_INTERVAL_SECONDS": "0",
    "KUBEMEDIC_ALERT_POST_INTERVAL_SECONDS": "0.05",
    "KUBEMEDIC_LEADER_LEASE_SECONDS": "3",
}
PER_PASTE, PER_GROUP = 20, 36


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'kubemedic.db'}"
        return
    with fresh_postgres_database(postgres_base_url(), prefix="kubemedic_secrets") as url:
        yield url


async def _settled(bot: Bot, *, quiet: float = 1.0, timeout: float = 90.0) -> None:
    """Wait until no background work has run for `quiet` seconds."""
    loop = asyncio.get_running_loop()
    deadline, calm_since = loop.time() + timeout, None
    while loop.time() < deadline:
        if bot.kubemedic.background.tasks:
            calm_since = None
        elif calm_since is None:
            calm_since = loop.time()
        elif loop.time() - calm_since >= quiet:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the bot never settled")


async def _hostile_run(bot: Bot, pod: str) -> None:
    user = bot.slack.bot_user_id
    bot.slack.add_channel(INCIDENT, "inc-secrets", members=["U0ALICE001"])
    await bot.send(bot.requests.event(member_joined_channel_event(INCIDENT)))
    await bot.slack.wait_for("chat.postMessage")
    kinds = sorted(PLANTED)
    for index, start in enumerate(
        range(0, len(kinds), PER_PASTE)
    ):  # a few kinds per paste, each on its lines
        paste = OOM + "\n".join(PLANTED[kind] for kind in kinds[start : start + PER_PASTE]) + "\n"
        channel = f"C0SEC{index:05d}"
        await bot.send(bot.requests.message(channel, paste, ts=f"17000{index:05d}.000100"))
        await bot.send(bot.requests.slash_command(paste, channel_id=channel))
        await bot.send(
            bot.requests.app_mention(channel, f"<@{user}> {paste}", ts=f"17000{index:05d}.000200")
        )
        await bot.send(
            bot.requests.event(
                message_event(INCIDENT, "U0ALICE001", paste, ts=f"17000{index:05d}.000300")
            )
        )
        if index % 3 == 0:
            await _settled(bot, quiet=0.2)
    await _settled(bot, quiet=0.2)
    namespace, name = pod.split("/")
    for start in range(
        0, len(kinds), PER_GROUP
    ):  # each kind in its alert's annotations, and in common ones
        firing = [
            alert(
                "KubePodCrashLooping",
                namespace=namespace,
                pod=name,
                reason="CrashLoopBackOff",
                fingerprint=f"fp-secret-{number:03d}",
                summary=PLANTED[kind],
                instance=kind,
            )
            for number, kind in enumerate(kinds[start : start + PER_GROUP], start)
        ]
        for each in firing:
            each["annotations"]["description"] = f"{each['annotations']['summary']}\n{OOM}"
        notification = group(*firing)
        notification["commonAnnotations"]["message"] = "\n".join(
            PLANTED[k] for k in kinds[start : start + PER_GROUP]
        )
        for _attempt in range(20):  # a busy SQLite answers 503; Alertmanager retries, so do we
            if (answer := await bot.post_alert(body(notification), token=ALERT_TOKEN))[0] != 503:
                break
            await asyncio.sleep(0.5)
        assert answer == (200, "ok\n")
    await bot.send(bot.requests.slash_command(f"pod {pod}", channel_id="C0SECPOD01"))
    await _settled(bot)
    await bot.slack.wait_for("chat.postMessage", predicate=lambda call: call.channel == ALERTS)


async def _rows(url: str) -> str:
    """Every row of every table as text (PostgreSQL: there is no file to read)."""
    store = SqlStore(url)
    await store.start()
    try:
        dumped: list[str] = []
        async with store._tx() as conn:  # a test reading everything back, not product code
            for table in metadata.sorted_tables:
                for row in await conn.execute(text(f'SELECT * FROM "{table.name}"')):
                    dumped.append(json.dumps([str(value) for value in row], ensure_ascii=False))
        return "\n".join(dumped)
    finally:
        await store.close()


def _sqlite_bytes(path: Path) -> str:
    files = [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]
    return b"".join(p.read_bytes() for p in files).decode("utf-8", errors="replace")


def test_no_planted_secret_is_stored_posted_or_logged(tmp_path: Path, database_url: str) -> None:
    kube = KubeStandIn(latency=0.0)
    case = scenarios.oom_killed_deployment(kube)
    pod_name = str(case.pod)
    kube.set_log(
        case.namespace,
        pod_name,
        case.container or "checkout",
        previous=True,
        text="\n".join(PLANTED.values()) + "\n" + OOM,
    )
    logged = io.StringIO()
    level = logging.getLogger().level
    configure_logging(logged, level=logging.DEBUG, json=True)

    async def scenario() -> Bot:
        async with running_bot(
            tmp_path,
            kube=kube,
            database_url=database_url,
            KUBEMEDIC_SUMMARY_DEBOUNCE_SECONDS="0",
            # one user plants every secret: past the per-user budget (tests/storms)
            KUBEMEDIC_USER_REQUESTS_PER_MINUTE="1000",
            KUBEMEDIC_CHANNEL_REQUESTS_PER_MINUTE="1000",
            **ALERTING,
        ) as bot:
            await _hostile_run(bot, f"{case.namespace}/{pod_name}")
            return bot

    try:
        bot = asyncio.run(scenario())
    finally:
        root = logging.getLogger()
        for handler in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
            root.removeHandler(handler)
        root.setLevel(level)
    stored = (
        _sqlite_bytes(tmp_path / "kubemedic.db")
        if database_url.startswith("sqlite")
        else asyncio.run(_rows(database_url))
    )
    posted = "\n".join(json.dumps(call.params, ensure_ascii=False) for call in bot.slack.calls)

    # the run stored and posted what a real one does, so the scan below means something
    assert stored.count("OOMKilled") >= len(PLANTED) and "[REDACTED]" in stored
    assert "password authentication failed" in stored  # error words survive redaction
    assert "oom-killed" in posted and "[REDACTED]" in posted
    assert kube.requests_to("GET", rf"/pods/{pod_name}/log$")  # /diagnose pod read the logs
    assert "fp-secret-000" in stored and "KubePodCrashLooping" in posted  # alerts stored and posted
    leaks = {
        where: sorted(kind for kind, secret in SECRETS.items() if secret in found)
        for where, found in (("database", stored), ("slack", posted), ("logs", logged.getvalue()))
    }
    assert leaks == {"database": [], "slack": [], "logs": []}
    assert len(SECRETS) >= 300


def test_a_taken_over_paste_is_answered_from_its_redacted_text(tmp_path: Path) -> None:
    """What a dead replica left is the redacted request; the replica taking it over gives the
    same answer from it, and quotes the redacted lines."""

    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            now = bot.kubemedic.clock()
            paste = OOM + "\n".join(PLANTED.values())
            assert await bot.kubemedic.store.accept_work(
                WorkItem(
                    id="paste:dead",
                    kind="paste",
                    owner="dead-replica",
                    payload={
                        "type": "message",
                        "text": paste,
                        "channel": "C0TAKEN001",
                        "ts": "1700000000.000100",
                        "user": "U0ALICE001",
                    },
                    lease_until=now - timedelta(seconds=1),
                    created_at=now - timedelta(seconds=30),
                )
            )
            stored = await bot.kubemedic.store.get_work("paste:dead")
            assert stored is not None and "[REDACTED]" in stored.payload["text"]
            assert not [
                kind for kind, secret in SECRETS.items() if secret in stored.payload["text"]
            ]
            assert "Reason:       OOMKilled" in stored.payload["text"]
            assert [item.id for item in await bot.kubemedic.work.sweep()] == ["paste:dead"]
            [answer] = await bot.slack.wait_for("chat.postMessage")
            posted = json.dumps(answer.params)
            assert "oom-killed" in posted and answer.params.get("thread_ts") == "1700000000.000100"
            assert not [kind for kind, secret in SECRETS.items() if secret in posted]

    asyncio.run(scenario())


def test_summarize_of_an_export_full_of_secrets_prints_none(tmp_path: Path) -> None:
    """The Slack-export path: every planted kind pasted in an incident channel's day file, and
    said in a "mitigated with ..." note, which the timeline quotes."""
    export = tmp_path / "export"
    shutil.copytree(EXPORT, export)
    day = export / "inc-142-checkout-502" / "2024-05-15.json"
    messages = json.loads(day.read_text())
    kinds = sorted(PLANTED)
    for number, start in enumerate(range(0, len(kinds), PER_PASTE)):
        paste = OOM + "\n".join(PLANTED[kind] for kind in kinds[start : start + PER_PASTE])
        messages.append(
            {
                "type": "message",
                "user": "U05ALICE001",
                "text": f"```{paste}```",
                "ts": f"1715760000.{number:06d}",
            }
        )
    for number, kind in enumerate(kinds):  # chat notes, quoted in the timeline
        messages.append(
            {
                "type": "message",
                "user": "U05DEEPA004",
                "text": f"mitigated, with:\n{PLANTED[kind]}",
                "ts": f"1715770000.{number:06d}",
            }
        )
    day.write_text(json.dumps(messages))
    for extra in ((), ("--markdown",)):
        result = kubemedic("summarize", str(export), "--channel", "inc-142-checkout-502", *extra)
        assert result.code == 0, result.stderr
        assert "oom-killed" in result.stdout.lower() or "OOMKilled" in result.stdout
        printed = result.stdout + result.stderr
        assert [kind for kind, secret in SECRETS.items() if secret in printed] == []


@pytest.mark.parametrize("before", [3_990, 3_995, 3_999])
def test_a_secret_cut_by_the_record_limit_leaves_no_prefix(before: int) -> None:
    """Recorded incident messages are capped at 4,000 characters: redacting after the cut
    let the first characters of a token through, since a clipped token lost its shape."""
    token = SECRETS["github token"]
    recorded = message_text({"text": "x" * before + " " + token + " rejected"})
    assert len(recorded) <= 4_000
    assert token[:4] not in recorded  # not even "ghp_"


def test_the_preview_page_of_a_paste_full_of_secrets_shows_none(tmp_path: Path) -> None:
    """`kubemedic preview` draws the message and the answer as Slack would show them: the
    pasted text (the user's message) and the quoted lines, redacted as the bot redacts them."""
    paste = tmp_path / "paste.txt"
    paste.write_text(OOM + "\n".join(PLANTED.values()) + "\n")
    page_file = tmp_path / "answer.html"
    result = kubemedic("preview", str(paste), "--output", str(page_file))
    assert result.code == 0, result.stderr
    page = page_file.read_text()
    shown = page + html.unescape(page)
    assert "oom-killed" in page and "[REDACTED]" in shown  # the page is the answer, with marks
    assert [kind for kind, secret in SECRETS.items() if secret in shown] == []


def test_kubemedic_match_of_a_paste_full_of_secrets_prints_none_and_the_same_answer(
    tmp_path: Path,
) -> None:
    """`kubemedic match` redacts the paste as the bot does, so what it prints can be pasted on
    (an issue, a channel) and names the same entry."""
    paste = tmp_path / "paste.txt"
    paste.write_text(OOM + "\n".join(PLANTED.values()) + "\n")
    result = kubemedic("match", str(paste), "--json")
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["matches"][0]["id"] == "oom-killed"
    printed = result.stdout + result.stderr
    assert [kind for kind, secret in SECRETS.items() if secret in printed] == []
