"""The hand-off's notes in Slack; the agent endpoint itself is bot.web.agent_client (every chat's)."""

from __future__ import annotations

from bot.answering.handoff import AgentAnswered, Forwarding, HandoffNote, Tell
from bot.slack.render import Say
from bot.web.agent_client import ANSWER_FIELDS, MAX_REPLY_BYTES, HttpAgent, agent_of, answer_text
from responses.handoff_blocks import agent_reply_message, failed_text, forwarding_text

__all__ = ["ANSWER_FIELDS", "MAX_REPLY_BYTES", "HttpAgent", "agent_of", "answer_text", "slack_teller"]

def slack_teller(say: Say | None) -> Tell:
    """Tell hand-off notes where the ask was answered (`say`: a thread, or the command's response_url)."""

    async def tell(note: HandoffNote) -> None:
        if say is None:
            return
        if isinstance(note, Forwarding):
            await say(text=forwarding_text(note.agent, note.timeout))
        elif isinstance(note, AgentAnswered):
            await say(**agent_reply_message(note.agent, note.text, note.seconds))
        else:
            await say(text=failed_text(note.agent, note.why))

    return tell
