"""Jira tickets by fingerprint, through the real bot: `/diagnose ... --ticket` and the "Open
ticket" buttons file one issue per problem on the Jira stand-in (Cloud v3 with ADF, Server v2
with wiki text), comment on it while it is open, and never file two, even when Jira's answer
to a filing is lost."""

from __future__ import annotations

import json
from pathlib import Path

from tests.alerts.payloads import body as alert_body
from tests.alerts.payloads import group
from tests.alerts.test_receiver import oom_cluster
from tests.incidents.harness import CHANNEL, Paged, running_paged_bot
from tests.slack.harness import Bot, block_text
from tests.standins import kube_scenarios as scenarios
from tests.standins.jira_api import JiraStandIn
from tests.standins.kube_api import KubeStandIn
from tests.standins.slack_record import RecordedCall

AM_TOKEN = "kmsk_mz3wSMlzMFkBREaBCFeZPIPDgg4oJecagr_PEWWE23p519Iv"


def oom_pod(kube: KubeStandIn) -> str:
    case = scenarios.oom_killed_deployment(kube)
    return f"pod {case.namespace}/{case.pod}"


async def told(bot: Bot, count: int) -> list[str]:
    """What the response_url was told (the answer's lines to the asker), the first `count`."""
    calls = await bot.slack.wait_for("response_url", count=count)
    return [str(c.params.get("text") or block_text(c.params.get("blocks") or [])) for c in calls]


def action_ids(posted: RecordedCall) -> list[str]:
    return [e["action_id"] for b in posted.blocks if b["type"] == "actions" for e in b["elements"]]


async def test_diagnose_with_ticket_files_one_issue_then_comments_while_it_is_open(
    tmp_path: Path,
) -> None:
    kube, jira = KubeStandIn(latency=0.0), JiraStandIn(version="3")
    ask = oom_pod(kube)
    async with running_paged_bot(tmp_path, kube=kube, jira=jira) as paged:
        bot = paged.bot
        await bot.send(bot.requests.slash_command(f"{ask} --ticket"))
        [line] = await told(bot, 1)
        [issue] = jira.issues.values()
        assert line == f"Opened {issue.key} for this: {jira.url}/browse/{issue.key}"
        assert issue.summary.startswith("Container killed for exceeding its memory limit")
        assert issue.labels[0] == "kubemedic" and issue.labels[1].startswith("kubemedic-")
        text = json.dumps(issue.description)
        assert "oom-killed" in text and "OOMKilled" in text  # the diagnosis and its evidence
        assert '"type": "doc"' in text  # Atlassian Document Format (Cloud, REST v3)

        await bot.send(bot.requests.slash_command(f"{ask} --ticket"))
        [_, again] = await told(bot, 2)
        assert again.startswith(f"{issue.key} is still open for this problem")
        assert len(jira.issues) == 1 and len(issue.comments) == 1

        jira.close(issue.key)
        await bot.send(bot.requests.slash_command(f"{ask} --ticket"))
        [_, _, reopened] = await told(bot, 3)
        assert reopened.startswith("Opened OPS-2")


async def test_the_answer_button_files_the_issue_on_jira_server_with_wiki_text(
    tmp_path: Path,
) -> None:
    kube, jira = KubeStandIn(latency=0.0), JiraStandIn(version="2", email=None)
    ask = oom_pod(kube)
    async with running_paged_bot(tmp_path, kube=kube, jira=jira) as paged:
        bot = paged.bot
        await bot.send(bot.requests.slash_command(ask))
        [posted] = await bot.slack.wait_for("chat.postMessage")
        assert "file_ticket" in action_ids(posted)
        await bot.send(bot.requests.click(posted, "file_ticket"))
        [_, line] = await bot.slack.wait_for("chat.postMessage", count=2)
        assert line.params["thread_ts"] == posted.ts  # said in the answer's thread
        [issue] = jira.issues.values()
        assert f"Opened {issue.key}" in (line.text or "")
        assert isinstance(issue.description, str) and "h3. Evidence" in issue.description
        assert jira.calls_to("GET", r"/rest/api/2/search$")  # looked for an open one first


async def test_a_project_that_does_not_exist_is_refused_in_one_line(tmp_path: Path) -> None:
    kube, jira = KubeStandIn(latency=0.0), JiraStandIn(projects={"PLAT": "Platform"})
    ask = oom_pod(kube)
    async with running_paged_bot(tmp_path, kube=kube, jira=jira) as paged:
        await paged.bot.send(paged.bot.requests.slash_command(f"{ask} --ticket"))
        [line] = await told(paged.bot, 1)
        assert line == "Jira refused the ticket: HTTP 400: project: valid project is required"
        assert jira.issues == {}


async def test_an_alert_messages_ticket_is_its_groups_even_when_a_filing_answer_is_lost(
    tmp_path: Path,
) -> None:
    kube, crash = oom_cluster()
    jira = JiraStandIn()
    jira.fail("POST", r"/issue$", drop=True)  # Jira files it; kubemedic never hears so
    async with running_paged_bot(
        tmp_path, kube=kube, jira=jira, KUBEMEDIC_ALERTMANAGER_TOKEN=AM_TOKEN
    ) as paged:
        bot = paged.bot
        assert (await bot.post_alert(alert_body(group(crash)), token=AM_TOKEN))[0] == 200
        [posted] = await bot.slack.wait_for(
            "chat.postMessage", predicate=lambda c: c.channel == CHANNEL
        )
        assert "alert_ticket" in action_ids(posted)
        await bot.send(bot.requests.click(posted, "alert_ticket", channel_id=CHANNEL))
        [_, doubt] = await bot.slack.wait_for("chat.postMessage", count=2)
        assert "may have been filed" in (doubt.text or "")
        await bot.send(bot.requests.click(posted, "alert_ticket", channel_id=CHANNEL))
        [_, _, found] = await bot.slack.wait_for("chat.postMessage", count=3)
        [issue] = jira.issues.values()
        assert f"{issue.key} is still open for this problem" in (found.text or "")
        assert len(jira.calls_to("POST", r"/issue$", ok=None)) == 1 and len(issue.comments) == 1
        assert issue.summary.startswith("Container killed for exceeding its memory limit")
        assert "kubepodcrashlooping" in json.dumps(issue.description)  # the alert's runbook link


async def test_without_jira_the_buttons_are_not_offered(tmp_path: Path) -> None:
    kube = KubeStandIn(latency=0.0)
    ask = oom_pod(kube)
    async with running_paged_bot(tmp_path, kube=kube) as paged:
        await paged.bot.send(paged.bot.requests.slash_command(f"{ask} --ticket"))
        [posted] = await paged.bot.slack.wait_for("chat.postMessage")
        assert "file_ticket" not in action_ids(posted)
        [line] = await told(paged.bot, 1)
        assert line.startswith("Tickets are off: set KUBEMEDIC_JIRA_URL")


__all__ = ["Paged"]
