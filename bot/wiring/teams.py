"""Teams, an adapter around another chat's: with KUBEMEDIC_TEAMS_WEBHOOK_URL set, the alert loop's
chat and the incident summaries' chat also post to Teams (bot.teams.chats); unset, they are left
as they are. Teams takes no requests, so it has no listeners of its own."""

from __future__ import annotations

from dataclasses import replace

from bot.noise.chat import AlertChat
from bot.settings import Settings
from bot.summary.chat import SummaryChat
from bot.teams.chats import MirroredAlerts, MirroredSummaries, TeamsAlertChat
from bot.teams.webhook import TeamsWebhook
from bot.wiring.adapter import ChatParts


def webhook_of(settings: Settings) -> TeamsWebhook | None:
    url = settings.teams_webhook_url
    return TeamsWebhook(url.get_secret_value().strip()) if url is not None else None


def with_teams_alerts(settings: Settings, chat: AlertChat) -> AlertChat:
    webhook = webhook_of(settings)
    return chat if webhook is None else MirroredAlerts(chat, TeamsAlertChat(webhook))


def with_teams_summaries(settings: Settings, chat: SummaryChat) -> SummaryChat:
    webhook = webhook_of(settings)
    return chat if webhook is None else MirroredSummaries(chat, webhook)


def with_teams(settings: Settings, parts: ChatParts) -> ChatParts:
    """A chat's parts, its alerts and incident summaries mirrored to Teams when it is set up."""
    return replace(
        parts,
        alert_chat=with_teams_alerts(settings, parts.alert_chat),
        summary_chat=with_teams_summaries(settings, parts.summary_chat),
    )
