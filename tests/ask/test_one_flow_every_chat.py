"""One interaction table, run through every chat: Slack (signed requests to the real bolt app, the
Slack stand-in), Mattermost (its stand-in, the bot's real HTTP routes and WebSocket) and Teams (the
Bot Framework stand-in, activities signed as it signs them). Each row is what a person does and
what they then see; the same rows hold in every chat because the flow behind them is one
(bot/answering/flow.py)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Protocol

import aiohttp
import pytest

from tests.ask.flows import CHANNEL, UNSURE, asked_in_thread
from tests.mattermost.harness import ALICE, GENERAL, MALLORY, MmBot, running_mattermost_bot
from tests.slack.harness import Bot, block_text, running_bot
from tests.standins.slack_requests import SlackRequests
from tests.teams import harness as teams

OOM = Path("examples/pastes/oom-killed-describe.txt").read_text()


class Chat(Protocol):
    """What a person does in a chat, and what they see there."""

    async def ask(self, text: str) -> str: ...  # mention the bot: the id of the question it posts
    async def paste(self, text: str) -> str: ...  # the id of the bot's answer in the paste's thread
    def shown(self, message: str) -> str: ...  # a message's text as it reads now
    def thread(
        self, message: str
    ) -> str: ...  # every reply in the message's thread, as it reads now
    async def click(
        self, message: str, button: str, user: str
    ) -> str: ...  # what the clicker alone is told
    async def forge(self, message: str, button: str) -> str: ...  # a click the chat did not send


class SlackChat:
    def __init__(self, bot: Bot) -> None:
        self.bot, self.asked = bot, ""

    async def ask(self, text: str) -> str:
        question = await asked_in_thread(self.bot, text=text)
        self.asked = str(question.ts)
        return self.asked

    async def paste(self, text: str) -> str:
        await self.bot.send(self.bot.requests.message(CHANNEL, text, ts="1700000000.000500"))
        [answer] = await self.bot.slack.wait_for(
            "chat.postMessage", predicate=lambda c: c.params.get("thread_ts") == "1700000000.000500"
        )
        return str(answer.ts)

    def _message(self, ts: str) -> dict[str, Any]:
        found = self.bot.slack.message(CHANNEL, ts)
        assert found is not None
        return {**found, "channel": CHANNEL}

    def shown(self, message: str) -> str:
        found = self._message(message)
        return f"{found.get('text', '')}\n{block_text(found.get('blocks') or [])}"

    def thread(self, message: str) -> str:
        root = str(self._message(message).get("thread_ts") or message)
        replies = self.bot.slack.channel(CHANNEL).replies.get(root) or []
        return "\n".join(self.shown(reply["ts"]) for reply in replies if reply["ts"] != message)

    def _button(self, message: str, button: str) -> str:
        """An action id, or the choice button of the candidate naming `entry:<id>`."""
        if not button.startswith("entry:"):
            return button
        for block in self._message(message).get("blocks") or []:
            if f"`{button[6:]}`" in (block.get("text") or {}).get("text", ""):
                return str(block["accessory"]["action_id"])
        raise LookupError(button)

    async def click(self, message: str, button: str, user: str) -> str:
        told = len(self.bot.slack.calls_to("response_url"))
        await self.bot.send(
            self.bot.requests.click(
                self._message(message),
                self._button(message, button),
                user_id=user,
                user_name=user.lower(),
            )
        )
        await self.bot.settle()
        return "\n".join(
            str(call.params.get("text") or "")
            for call in self.bot.slack.calls_to("response_url")[told:]
        )

    async def forge(self, message: str, button: str) -> str:
        status, _ = await self.bot.send(
            SlackRequests.bad_signature(self.bot.requests.click(self._message(message), button))
        )
        return f"HTTP {status}"


class MattermostChat:
    def __init__(self, bot: MmBot) -> None:
        self.bot = bot

    async def ask(self, text: str) -> str:
        await self.bot.mm.say(GENERAL, ALICE, f"@{self.bot.mm.state.bot_username} {text}")
        [created] = await self.bot.mm.wait_for("POST", "^/posts$")
        await self.bot.settle()
        return str(created.answer["id"])

    async def paste(self, text: str) -> str:
        before = len(self.bot.mm.calls_to("POST", "^/posts$"))
        await self.bot.mm.say(GENERAL, ALICE, text)
        created = (await self.bot.mm.wait_for("POST", "^/posts$", count=before + 1))[-1]
        await self.bot.settle()
        return str(created.answer["id"])

    def shown(self, message: str) -> str:
        post = self.bot.mm.state.post(message)
        buttons = [
            a["name"]
            for att in (post.get("props") or {}).get("attachments") or []
            for a in att.get("actions") or []
        ]
        return "\n".join([str(post.get("message") or ""), *buttons])

    def thread(self, message: str) -> str:
        root = str(self.bot.mm.state.post(message).get("root_id") or message)
        return "\n".join(
            self.shown(p["id"])
            for p in self.bot.mm.state.thread(root)
            if p["id"] not in (root, message)
        )

    def _action(self, message: str, button: str) -> dict[str, Any]:
        post = self.bot.mm.state.post(message)
        actions = [a for att in post["props"]["attachments"] for a in att.get("actions") or []]
        if button.startswith("entry:"):  # the numbered button of the candidate naming the entry
            [number] = re.findall(rf"^(\d+)\. .*`{button[6:]}`", post["message"], re.MULTILINE)
            return next(a for a in actions if a["name"].startswith(f"{number}. "))
        label = {"choose_none": "None of these", "undo_choice": "Undo", "show_details": "Details"}[
            button
        ]
        return next(a for a in actions if a["name"] == label)

    async def click(self, message: str, button: str, user: str) -> str:
        _, reply = await self.bot.mm.click(message, self._action(message, button)["id"], user)
        await self.bot.settle()
        return str(reply.get("ephemeral_text") or "")

    async def forge(self, message: str, button: str) -> str:
        integration = self.bot.mm.state.posts[message]["props"]["attachments"][0]["actions"][0][
            "integration"
        ]
        forged = {**integration["context"], "action": button}
        request = {"user_id": ALICE, "channel_id": GENERAL, "post_id": message, "context": forged}
        async with (
            aiohttp.ClientSession() as session,
            session.post(integration["url"], json=request) as reply,
        ):
            return str((await reply.json()).get("ephemeral_text"))


class TeamsChat:
    def __init__(self, bot: teams.Teams) -> None:
        self.bot = bot

    async def _said(self, text: str) -> str:
        before = len(self.bot.bf.sent)
        assert (await self.bot.send(self.bot.bf.message(text)))[0] == 200
        [*_, said] = await self.bot.bf.wait_sent(before + 1)
        await self.bot.kubemedic.background.idle()
        return said.id

    async def ask(self, text: str) -> str:
        return await self._said(text)

    async def paste(self, text: str) -> str:
        return await self._said(text)  # a channel message reaches a bot only when it is mentioned

    def shown(self, message: str) -> str:
        return teams.shown(self.bot.bf, message)

    def thread(self, message: str) -> str:
        return teams.thread(self.bot.bf, message)

    def _title(self, message: str, button: str) -> str:
        if button.startswith("entry:"):  # the numbered button of the candidate naming the entry
            [number] = re.findall(rf"^(\d+)\. .*`{button[6:]}`", self.shown(message), re.MULTILINE)
            titles = [str(a.get("title")) for a in self._sent(message).actions()]
            return next(title for title in titles if title.startswith(f"{number}. "))
        return {"choose_none": "None of these", "undo_choice": "Undo", "show_details": "Details"}[
            button
        ]

    def _sent(self, message: str) -> Any:
        return [sent for sent in self.bot.bf.sent if sent.id == message][-1]

    async def click(self, message: str, button: str, user: str) -> str:
        sent = self._sent(message)
        status, answer = await self.bot.send(
            self.bot.bf.invoke(sent, self._title(message, button), user=user, name=user)
        )
        assert status == 200, answer
        await self.bot.kubemedic.background.idle()
        return str(answer.get("value") or "")

    async def forge(self, message: str, button: str) -> str:
        sent = self._sent(message)
        status, _ = await self.bot.send(self.bot.bf.invoke(sent, "None of these"), forged=True)
        return f"HTTP {status}"


@asynccontextmanager
async def teams_chat(tmp_path: Path) -> AsyncIterator[tuple[Chat, dict[str, str]]]:
    async with teams.running_teams_bot(tmp_path) as bot:
        yield TeamsChat(bot), {"asker": "aad-alice", "other": "aad-mallory", "forged": "HTTP 401"}


@asynccontextmanager
async def slack_chat(tmp_path: Path) -> AsyncIterator[tuple[Chat, dict[str, str]]]:
    async with running_bot(tmp_path) as bot:
        yield SlackChat(bot), {"asker": "U0ALICE001", "other": "U0MALLORY1", "forged": "HTTP 401"}


@asynccontextmanager
async def mattermost_chat(tmp_path: Path) -> AsyncIterator[tuple[Chat, dict[str, str]]]:
    async with running_mattermost_bot(tmp_path) as bot:
        yield MattermostChat(bot), {"asker": ALICE, "other": MALLORY, "forged": "not valid"}


CHATS: dict[str, Callable[[Path], Any]] = {
    "slack": slack_chat,
    "mattermost": mattermost_chat,
    "teams": teams_chat,
}


@pytest.mark.parametrize("chat_name", sorted(CHATS))
def test_the_same_asks_and_clicks_do_the_same_in_every_chat(chat_name: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with CHATS[chat_name](tmp_path) as (chat, who):
            question = await chat.ask(UNSURE)
            assert "Is it one of these?" in chat.shown(question) and "`oom-killed`" in chat.shown(
                question
            )
            # choose: the answer in the thread, the question says who chose what, with Undo
            assert await chat.click(question, "entry:oom-killed", who["asker"]) == ""
            assert "chose" in chat.shown(question) and "`oom-killed`" in chat.shown(question)
            assert "Undo" in chat.shown(question) and "`oom-killed`" in chat.thread(question)
            # a refused click: someone else's choice is not theirs to undo; nothing changes
            before = chat.shown(question)
            assert (
                "only the person who chose"
                in (await chat.click(question, "undo_choice", who["other"])).lower()
            )
            assert chat.shown(question) == before
            # undo: the answer gives way to one line, the question is open again
            assert await chat.click(question, "undo_choice", who["asker"]) == ""
            assert "Is it one of these?" in chat.shown(question) and "Withdrawn" in chat.thread(
                question
            )
            # a forged click changes nothing
            assert who["forged"] in await chat.forge(question, "choose_none")
            assert "Is it one of these?" in chat.shown(question)
            # none of these: one line in the question's place
            assert await chat.click(question, "choose_none", who["asker"]) == ""
            assert "chose none of these" in chat.shown(question) and "Is it one" not in chat.shown(
                question
            )
            # an answer, and its details in its thread
            answer = await chat.paste(OOM)
            assert "`oom-killed`" in chat.shown(answer) and "Details" in chat.shown(answer)
            await chat.click(answer, "show_details", who["asker"])
            assert "memory" in chat.thread(answer).lower() and chat.thread(answer) != ""

    asyncio.run(scenario())
