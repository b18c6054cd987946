"""The secrets a request proves itself with: compared in constant time, never an exception.

A header's bytes past 0x7f reach a handler as text it cannot encode (aiohttp decodes them with
`surrogateescape`), and `hmac.compare_digest` refuses a text outside ASCII: both raised, and a
request that proved nothing got a 500 and a traceback. A secret kubemedic accepts is ASCII
(`kubemedic keygen`'s alphabet, a hex digest, a vendor's token), so such a header is simply not
it: the request gets the route's 401 and its one log line.
"""

from __future__ import annotations

import hmac


def same_secret(given: str, expected: str) -> bool:
    """Whether `given` (from a request) is `expected`, in constant time; False outside ASCII."""
    return given.isascii() and hmac.compare_digest(given.encode(), expected.encode())


def bearer_matches(header: str, secret: str) -> bool:
    """Whether an `Authorization` header is `Bearer <secret>` (the scheme in any case)."""
    scheme, _, credentials = header.strip().partition(" ")
    return scheme.lower() == "bearer" and same_secret(credentials.strip(), secret)
