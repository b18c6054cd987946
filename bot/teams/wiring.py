"""Teams in the composition roots: with KUBEMEDIC_TEAMS_WEBHOOK_URL set, the alert loop's chat and the
incident summaries' chat also post to Teams (bot.teams.chats); unset, they are left as they are."""

from __future__ import annotations

from bot.noise.chat import AlertChat
from bot.settings import Settings
from bot.summary.chat import SummaryChat
from bot.teams.chats import MirroredAlerts, MirroredSummaries, TeamsAlertChat
from bot.teams.webhook import TeamsWebhook


def webhook_of(settings: Settings) -> TeamsWebhook | None:
    url = settings.teams_webhook_url
    return TeamsWebhook(url.get_secret_value().strip()) if url is not None else None


def with_teams_alerts(settings: Settings, chat: AlertChat) -> AlertChat:
    webhook = webhook_of(settings)
    return chat if webhook is None else MirroredAlerts(chat, TeamsAlertChat(webhook))


def with_teams_summaries(settings: Settings, chat: SummaryChat) -> SummaryChat:
    webhook = webhook_of(settings)
    return chat if webhook is None else MirroredSummaries(chat, webhook)
