"""The secrets a request proves itself with: chosen by `kubemedic keygen`, compared in constant
time, never an exception.

A header's bytes past 0x7f reach a handler as text it cannot encode (aiohttp decodes them with
`surrogateescape`), and `hmac.compare_digest` refuses a text outside ASCII: both raised, and a
request that proved nothing got a 500 and a traceback. A secret kubemedic accepts is ASCII
(`kubemedic keygen`'s alphabet, a hex digest, a vendor's token), so such a header is simply not
it: the request gets the route's 401 and its one log line.
"""

from __future__ import annotations

import hmac

from bot.runtime import signing_key
from bot.settings import Settings


def same_secret(given: str, expected: str) -> bool:
    """Whether `given` (from a request) is `expected`, in constant time; False outside ASCII."""
    return given.isascii() and hmac.compare_digest(given.encode(), expected.encode())


def bearer_matches(header: str, secret: str) -> bool:
    """Whether an `Authorization` header is `Bearer <secret>` (the scheme in any case)."""
    scheme, _, credentials = header.strip().partition(" ")
    return scheme.lower() == "bearer" and same_secret(credentials.strip(), secret)


OPERATOR_CHOSEN = {
    "KUBEMEDIC_ALERTMANAGER_TOKEN": "alertmanager_token",
    "KUBEMEDIC_OPSGENIE_WEBHOOK_SECRET": "opsgenie_webhook_secret",
    "KUBEMEDIC_JSM_WEBHOOK_SECRET": "jsm_webhook_secret",
    "KUBEMEDIC_MCP_TOKEN": "mcp_token",
}
"""The shared secrets an operator chooses and the bot checks: each must come from `kubemedic
keygen` (bot/runtime/signing_key.py), as the signing key must. A rule list of weak ones (`x`,
`opsgenie`, `changeme` passed the last) misses the next one people type. Those a vendor makes
and the operator only copies are not chosen, so not refused: PagerDuty's webhook signing secret,
Slack's signing secret, Mattermost's slash command token, the Teams app's client secret."""


def typed_secrets(settings: Settings) -> list[str]:
    """One line per operator-chosen secret that is set but did not come from `kubemedic keygen`
    (the variable and why, never the value)."""
    reasons = []
    for name, field in OPERATOR_CHOSEN.items():
        value = getattr(settings, field)
        text = value.get_secret_value().strip() if value is not None else ""
        try:
            if text:
                signing_key.decode(text)
        except signing_key.NotGenerated as exc:
            reasons.append(f"{name} {exc}: {signing_key.KEYGEN}, or unset it")
    return reasons
