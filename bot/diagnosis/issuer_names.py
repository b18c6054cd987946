"""The cert-manager issuer a message says does not exist.

cert-manager names the issuer a certificate asks for in its refusal (`Referenced "ClusterIssuer"
not found: clusterissuer.cert-manager.io "letsencrypt-prod" not found`): a message, read here from
the text. The issuer a Certificate asks for (`spec.issuerRef`) and an Ingress's annotation
names are fields of the recorded objects (bot.diagnosis.paste_names).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_NAME = r"[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?"
_NOT_FOUND = re.compile(
    rf"\b(?:cluster)?issuers?(?:\.cert-manager\.io|\.certmanager\.k8s\.io)? \\?\"({_NAME})\\?\" "
    r"not found",
    re.IGNORECASE,
)


def issuer_names(text: str) -> Iterator[tuple[str, str]]:
    """(kind, value): `issuer` and `missing-issuer` for an issuer a message says was not found."""
    if "ssuer" not in text:
        return
    for line in text.splitlines():
        if "ssuer" in line:
            for match in _NOT_FOUND.finditer(line):
                yield from (("issuer", match.group(1)), ("missing-issuer", match.group(1)))
