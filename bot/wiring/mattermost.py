"""Mattermost, the chat adapter of `kubemedic serve --mattermost`: the same use cases as Slack,
Mattermost's transport. Posted messages and mentions come over the WebSocket, `/diagnose`
over POST /mattermost/command, buttons and dialogs over POST /mattermost/actions and
/mattermost/dialogs (signed callbacks, so buttons only when a callback URL is set); answers,
questions, alert messages and incident summaries go out through Mattermost's REST API."""

from __future__ import annotations

from aiohttp import web

from bot.mattermost.actions import MattermostActions
from bot.mattermost.callbacks import Callbacks
from bot.mattermost.chats import MattermostAlertChat, MattermostSummaryChat
from bot.mattermost.client import MattermostClient
from bot.mattermost.commands import MattermostCommands
from bot.mattermost.dialog_states import DialogStates
from bot.mattermost.events import MattermostEvents, mention_of
from bot.mattermost.surface import MattermostSurface
from bot.mattermost.websocket import MattermostSocket
from bot.remediation.tokens import MATTERMOST_CONTEXT, MATTERMOST_DIALOG, signing_keys
from bot.settings import Settings
from bot.web.server import READINESS, Route
from bot.wiring.adapter import ChatParts, Core, Wired


class MattermostChat:
    """Mattermost's side of the bot; `socket` is made by `listen` (the caller starts it)."""

    def __init__(
        self, settings: Settings, *, client: MattermostClient, bot_user_id: str, bot_username: str
    ) -> None:
        self.settings, self.client = settings, client
        self.bot_user_id, self.bot_username = bot_user_id, bot_username
        self.callback_base = settings.mattermost_callback_url or settings.public_url

    @property
    def socket(self) -> MattermostSocket:
        return self._socket

    def build(self, core: Core) -> ChatParts:
        self._callbacks = Callbacks(
            self.callback_base or "http://kubemedic.invalid",
            signing_keys(self.settings, MATTERMOST_CONTEXT),
        )
        self._states = DialogStates(
            signing_keys(self.settings, MATTERMOST_DIALOG), clock=core.clock
        )
        mention = mention_of(self.bot_username)
        return ChatParts(
            surface=MattermostSurface(self.client, self._callbacks, self._states),
            alert_chat=MattermostAlertChat(self.client),
            summary_chat=MattermostSummaryChat(self.client, bot_user_id=self.bot_user_id),
            bot_user_id=self.bot_user_id,
            unaddressed=lambda text: mention.sub(" ", text),
            prefix="mm_",
            buttons=bool(self.callback_base),
        )

    def listen(self, wired: Wired) -> list[Route]:
        """The WebSocket's events, the buttons' and dialogs' routes, and `/diagnose`'s."""
        background = wired.core.background
        events = MattermostEvents(
            inbox=wired.inbox,
            summaries=wired.summaries,
            bot_user_id=self.bot_user_id,
            bot_username=self.bot_username,
            background=background,
        )
        self._socket = MattermostSocket(self.client, events.on_event)
        routes: list[Route] = MattermostActions(
            flow=wired.flow,
            callbacks=self._callbacks,
            client=self.client,
            states=self._states,
            background=background,
        ).routes()
        token = self.settings.mattermost_command_token
        if token is not None:
            routes.append(
                MattermostCommands(
                    token=token.get_secret_value(),
                    inbox=wired.inbox,
                    body_timeout=self.settings.http_body_timeout_seconds,
                ).route()
            )
        return routes

    def served(self, app: web.Application, wired: Wired) -> None:
        """/readyz also fails while the WebSocket is down."""

        async def connected() -> str | None:
            return self._socket.problem()

        app[READINESS].append(connected)
