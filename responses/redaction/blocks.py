"""Key blocks known by their armour (PEM, OpenSSH, PGP, SSH2, OpenVPN, PuTTY, JWK), whole or cut.

A key arrives whole (`kubectl get secret -o yaml | base64 -d`), inside JSON with escaped
`\\n` (a GCP service-account file), or cut: the tail of a log starts in the middle of the
block and only the END line is left, or the head was pasted and the END line never came.
What marks the key is the armour line; the key material is the base64 lines next to it.
So: from a BEGIN line, every following base64 or header line goes, up to the END line or
the first line that is not key material; from an END line with no BEGIN before it, every
base64 line before it goes, back to the first one. The armour lines stay, so a reader still
sees that a key was there. Certificates and public keys (not secret) are left alone.

Other armours work alike: an OpenVPN static or tls-crypt-v2 key (`-----BEGIN OpenVPN Static
key V1-----`, in `<tls-auth>`, `<tls-crypt>`, `<secret>`), an SSH2 key (`---- BEGIN SSH2
ENCRYPTED PRIVATE KEY ----`); a PuTTY key file loses its `Private-Lines` and `Private-MAC`
(its public lines stay); a JSON Web Key (an object with `"kty"`) loses its private members
(`d`, `p`, `q`, `dp`, `dq`, `qi`, and `k` of a symmetric key); OpenVPN's inline
`<auth-user-pass>` its password line.

Linear: lines are walked once from each armour line, never re-scanned.
"""

from __future__ import annotations

from intents.lazy_re import lazy_compile

_ARMOUR = lazy_compile(
    r"(?:-----|---- )(?P<edge>BEGIN|END) "
    r"(?:(?:[A-Z0-9]{1,20} ){0,4}PRIVATE KEY(?: BLOCK)?"
    r"|OpenVPN (?:Static key V\d|tls-crypt-v2 (?:client|server) key))"
    r"(?:-----| ----)"
)
_ARMOURS = ("PRIVATE KEY", "OpenVPN ")
_PUTTY = lazy_compile(r"(?m)^[ \t]*+Private-Lines:[ \t]*+(?P<count>\d{1,4}+)[ \t]*+\r?$")
_PUTTY_MAC = lazy_compile(r"(?m)^(?P<keep>[ \t]*+Private-(?:MAC|Hash):[ \t]*+)[0-9a-fA-F]++")
_AUTH_USER_PASS = lazy_compile(
    r"(?P<keep><auth-user-pass>[ \t]*+\r?\n[^\n]*+\r?\n)"
    r"(?!\[REDACTED\])[^\n<]++(?=\r?\n</auth-user-pass>)"
)
"""OpenVPN's inline credentials: a user name, then the password, between the tags."""
_JWK_PRIVATE = lazy_compile(
    r"(?P<keep>\\?\"(?:d|p|q|dp|dq|qi|k)\\?\"[ \t]*+:[ \t]*+\\?\")"
    r"(?!\[REDACTED\])[A-Za-z0-9_+/=-]++"
)
_MATERIAL = lazy_compile(
    r"\A[ \t]*+(?:[A-Za-z0-9+/]{8,}+={0,2}|=[A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{1,7}={1,2})[ \t]*+"
)
_HEADER = lazy_compile(
    r"\A[ \t]*+(?:Proc-Type|DEK-Info|Version|Comment|Hash|Charset):[^\n\\]{0,200}+"
)
_TAIL = lazy_compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{16,}+={0,2}[ \t]*+$")
_BREAK = lazy_compile(r"\\r\\n|\\n|\r?\n")
"""Line breaks inside a block: real ones, or escaped inside a JSON string."""

REDACTED = "[REDACTED]"


def _material(line: str, *, after_begin: bool) -> bool:
    if not line.strip():
        return after_begin  # the blank line between PGP headers and the body
    return _MATERIAL.fullmatch(line) is not None or (
        after_begin and _HEADER.fullmatch(line) is not None
    )


def _forward(text: str, start: int) -> int:
    """Where the key material after a BEGIN line ending at `start` ends."""
    end = at = start
    while at < len(text):
        gap = _BREAK.match(text, at)
        if gap is None:
            break
        line_end = _BREAK.search(text, gap.end())
        stop = len(text) if line_end is None else line_end.start()
        if not _material(text[gap.end() : stop], after_begin=True):
            break
        end = at = stop
    return end


def _backward(text: str, stop: int, floor: int) -> int:
    """Where the base64 lines before an END line starting at `stop` begin (not before `floor`):
    at the line break before the first of them, or at `floor` when they start the text."""
    breaks = [(floor, floor), *((m.start(), m.end()) for m in _BREAK.finditer(text, floor, stop))]
    begin = stop
    for index in range(len(breaks) - 1, -1, -1):
        line_stop = stop if index == len(breaks) - 1 else breaks[index + 1][0]
        line = text[breaks[index][1] : line_stop]
        if index == len(breaks) - 1 and not line.strip():
            continue  # the END line's own break
        if not line.strip() or not _material(line, after_begin=False):
            tail = _TAIL.search(line)  # material after a quote or key on the first line
            return breaks[index][1] + tail.start() if tail else begin
        begin = breaks[index][0]
    return begin


def _putty(text: str) -> str:
    """A PuTTY key file without its private lines and MAC (`Private-Lines: N`, then N lines)."""
    lines = text.split("\n")
    for header in [match for match in _PUTTY.finditer(text)]:
        first = text.count("\n", 0, header.start()) + 1
        for at in range(first, min(len(lines), first + int(header.group("count")))):
            if _MATERIAL.fullmatch(lines[at].rstrip("\r")) is not None:
                lines[at] = REDACTED
    return _PUTTY_MAC.sub(lambda match: match.group("keep") + REDACTED, "\n".join(lines))


def _jwk(text: str) -> str:
    """Every JSON Web Key in `text` without its private members."""
    return _JWK_PRIVATE.sub(lambda match: match.group("keep") + REDACTED, text)


def redact_key_blocks(text: str) -> str:
    """`text` with the material of every key block, whole or cut, replaced."""
    if "Private-Lines:" in text:
        text = _putty(text)
    if '"kty' in text:
        text = _jwk(text)
    if "<auth-user-pass>" in text:
        text = _AUTH_USER_PASS.sub(lambda match: match.group("keep") + REDACTED, text)
    if not any(armour in text for armour in _ARMOURS):
        return text
    parts: list[str] = []
    done = after = 0  # `after`: the last armour line's end; no material runs back across one
    for armour in _ARMOUR.finditer(text):
        floor, after = max(done, after), armour.end()
        if armour.start() < done:
            continue
        if armour.group("edge") == "BEGIN":
            end = _forward(text, armour.end())
            if end > armour.end():
                gap = _BREAK.match(text, armour.end())
                parts += (text[done : armour.end()], (gap.group() if gap else "\n") + REDACTED)
                done = end
            continue
        begin = _backward(text, armour.start(), floor)
        if begin < armour.start():
            region = list(_BREAK.finditer(text, begin, armour.start()))
            first = region[0].group() if region and region[0].start() == begin else ""
            last = region[-1].group() if region and region[-1].end() == armour.start() else ""
            parts += (text[done:begin], first + REDACTED + last)
            done = armour.start()
    parts.append(text[done:])
    return "".join(parts)
