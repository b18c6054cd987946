"""The cert-manager issuer a paste names, and whether the paste says it does not exist.

cert-manager names the issuer a certificate asks for in its refusal (`Referenced "ClusterIssuer"
not found: clusterissuer.cert-manager.io "letsencrypt-prod" not found`), an Ingress names it in
its annotation (`cert-manager.io/cluster-issuer: letsencrypt-prod`), and a Certificate in its
`issuerRef` (`kubectl describe certificate`'s `Issuer Ref:` / `Name:`). The fix names that
issuer, and says so when the paste shows it missing.
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
_ANNOTATION = re.compile(rf"\bcert-manager\.io/(?:cluster-)?issuer\"?:\s*\"?({_NAME})\b")
_REFERENCE = re.compile(r"^(?P<indent>\s*)(?:issuerRef|Issuer Ref):\s*$")
_REFERENCE_NAME = re.compile(rf"^\s*(?:name|Name):\s*[\"']?({_NAME})[\"']?\s*$")
MAX_REFERENCE_LINES = 4
"""Lines under an `issuerRef:` read for its name (its group, kind and name)."""


def issuer_names(text: str) -> Iterator[tuple[str, str]]:
    """(kind, value): `issuer` for every issuer the paste names, `missing-issuer` for one it says
    was not found."""
    if "ssuer" not in text:
        return
    lines = text.splitlines()
    for line in lines:
        if "ssuer" not in line:
            continue
        for match in _NOT_FOUND.finditer(line):
            yield from (("issuer", match.group(1)), ("missing-issuer", match.group(1)))
        yield from (("issuer", match.group(1)) for match in _ANNOTATION.finditer(line))
    for at, line in enumerate(lines):
        head = _REFERENCE.match(line)
        if head is None:
            continue
        for inner in lines[at + 1 : at + 1 + MAX_REFERENCE_LINES]:
            if len(inner) - len(inner.lstrip()) <= len(head.group("indent")):
                break
            named = _REFERENCE_NAME.match(inner)
            if named is not None:
                yield "issuer", named.group(1)
                break
