"""Answer one request wherever it came from (slash command or @mention).

Expected failures (bad names, a pod that does not exist, a context that is
not allowed, an unreachable cluster) reach the user as one line; anything
else is logged with its traceback and the user gets a short apology.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import UserFacingError
from bot.slack import incident
from bot.slack.deps import BotDeps
from bot.slack.flows import diagnose_request
from bot.slack.replies import publish
from bot.slack.request_text import DiagnoseRequest
from responses import messages
from responses.block_kit import diagnosis_blocks, fallback_text

log = logging.getLogger(__name__)

Say = Callable[..., Awaitable[Any]]
"""Sends a message only the asker sees (respond ephemeral, or a thread reply)."""


async def answer(deps: BotDeps, client: AsyncWebClient, request: DiagnoseRequest, *, channel: str,
                 user: str | None, thread_ts: str | None, say_private: Say,
                 say_public: Say | None = None) -> None:
    """Diagnose and post; errors go privately to the asker."""
    if request.verb == "summary":
        await incident.answer_summary(deps, client, channel=channel, say_private=say_private)
        return
    try:
        result = await diagnose_request(deps, request)
    except UserFacingError as exc:
        await say_private(text=messages.user_error(exc.reason))
        return
    except Exception:
        log.exception("diagnosis of %s failed", request.subject)
        await say_private(text=messages.GENERIC_APOLOGY)
        return
    if request.verb == "paste" and result.diagnosis.answer is None:
        await say_private(blocks=diagnosis_blocks(result.diagnosis), text=fallback_text(result.diagnosis))
        return
    try:
        posted = await publish(deps, client, result, channel=channel, thread_ts=thread_ts, user=user)
    except SlackApiError as exc:
        error = str(exc.response.get("error"))  # counted by the client's error handler (webapi.py)
        if say_public is not None and error in ("not_in_channel", "channel_not_found"):
            await say_public(blocks=diagnosis_blocks(result.diagnosis), text=fallback_text(result.diagnosis))
            return
        # the retry handlers gave up (persistent 5xx, ratelimited past the retries, ...)
        log.warning("the answer to %s was not posted in %s: Slack answered %s", request.subject, channel, error)
        await say_private(text=messages.not_posted(error))
        return
    await incident.on_diagnosis(deps, client, channel=channel, ts=posted.ts,
                                diagnosis_id=posted.diagnosis_id, thread_ts=thread_ts)
