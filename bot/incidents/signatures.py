"""Who may send a page: PagerDuty signs its v3 webhooks, Opsgenie sends a shared secret.

PagerDuty: `X-PagerDuty-Signature: v1=<hex HMAC-SHA256 of the raw body with the subscription's
secret>`; while a secret is being rotated the header lists several, comma-separated, and one
matching is enough. Opsgenie: the webhook integration's custom header `Authorization: Bearer
<secret>`. Both are compared in constant time; a missing header is as good as a wrong one.
"""

from __future__ import annotations

import hashlib
import hmac

from bot.runtime.shared_secrets import same_secret

SIGNATURE_HEADER = "X-PagerDuty-Signature"


def pagerduty_signed(body: bytes, header: str, secret: str) -> bool:
    """True when one `v1=` signature in `header` is the body's HMAC-SHA256 with `secret`."""
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    good = False
    for part in header.split(",")[:10]:
        scheme, _, signature = part.strip().partition("=")
        if scheme == "v1" and same_secret(signature.strip().lower(), expected):
            good = True
    return good


def sign_pagerduty(body: bytes, secret: str) -> str:
    """The header value PagerDuty would send for `body` (doctor, the docs' curl example)."""
    return "v1=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
