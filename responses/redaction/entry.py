"""Secret redaction: the one entry point for every text matched, stored, posted, logged or
handed off.

People paste whatever their terminal shows: curl commands with bearer tokens, kubeconfigs,
env dumps, connection strings, SQL sessions, prompts, key files, logs in their own language.
A value is secret by a class of reason, not by a list of known leaks:
- its position relative to a key word: on the key's line (`positions`,
  `words`, the Secret data maps and env lists of `maps` and `fields`),
  on the line after it or in a block scalar (`lines`), after a prompt;
- a grammar: a command's arguments (`commands`), SQL and config files and prompts
  (`grammars`), a table's secret column (`lines`), prose (`prose`);
- a shape: gitleaks' token formats and the prefixes it lacks (`shapes`,
  `prefixes`), a key block's armour (`blocks`), randomness (`entropy`).
A secret a terminal wrapped over lines is found in the joined line and removed from each
piece (`wraps`). The error words around a secret are never touched, and the shapes
evidence needs (UUIDs, digests, SHAs, names, IPs, timestamps) stay, so a redacted paste
matches the catalog as the raw one did: redaction runs once, before matching, and again
(idempotent) where anything is stored. Names of secrets ("secret \"db-credentials\" not
found") are names, not values.

`Redacted` lives here too: a model field of that type validates by `redact`, so the type and the
entry point are one module (split, they imported each other). Storage, the fleet wire, the MCP
tools and the diagnosis of a paste take `Redacted`, never a plain `str`; a boundary makes it once
and whatever comes after passes it on. Only this room makes one
(`tests/responses/test_redaction_room.py`); `shown_by_request` is the one way out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from intents.normalize import clean_text, scalar_text, unwrap
from responses.redaction.blocks import redact_key_blocks
from responses.redaction.echoes import followed, remove_echoes, remove_values, removed_values
from responses.redaction.escapes import escaped_spans
from responses.redaction.fields import redact_env_pairs
from responses.redaction.lines import redact_lines
from responses.redaction.maps import redact_secret_maps
from responses.redaction.memo import known_clean, note_redacted
from responses.redaction.positions import redact_positions
from responses.redaction.shapes import replace_spans, shape_spans
from responses.redaction.traces import redact_tracebacks
from responses.redaction.words import is_secret_key
from responses.redaction.wraps import mask_found, mask_joined, unmask, with_wrapped, wrapped_spans

if TYPE_CHECKING:  # pydantic loads only where a model is built: `kubemedic match` starts without it
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema


class Redacted(str):
    """A text with every secret the rules recognise replaced by `[REDACTED]`."""

    __slots__ = ()

    def clip(self, limit: int) -> Redacted:
        """The first `limit` characters: a cut redacted text holds no secret the whole did not."""
        return self if len(self) <= limit else Redacted(self[:limit])

    def strip(self, chars: str | None = None) -> Redacted:
        """Without the characters at its ends (nothing inside moves)."""
        return Redacted(str.strip(self, chars))

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        """A model field of this type holds only redacted text: validating the model redacts a
        plain `str` (a message from outside: the fleet wire, a stored payload) and keeps a
        `Redacted` as it is; it is written as a plain JSON string."""
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(
            _validated,
            json_schema_input_schema=core_schema.str_schema(),
            serialization=core_schema.plain_serializer_function_ser_schema(str, when_used="json"),
        )


EMPTY = Redacted("")
"""No text: nothing to redact (a request that carries no paste)."""


class Shown(Redacted):
    """A text shown as it is because its user asked to see secrets (`shown_by_request`)."""

    __slots__ = ()


def shown_by_request(text: str) -> Redacted:
    """`text` as it is, for a user who asked to see secrets (`kubemedic ... --show-secrets`):
    the one way out, named so a reader of the call site sees the choice."""
    return Shown(text)


def already_redacted(value: Any) -> Any:
    """A JSON value whose every string was redacted before, its strings marked `Redacted` without
    a second pass: what a column that redacts everything written to it gives back
    (bot/storage/redacted.py), and a diagnosis as JSON (`responses.json_view`: every entry point
    of a diagnosis takes `Redacted` text; the rest is the bot's own words)."""
    if isinstance(value, str):
        return value if isinstance(value, Redacted) else Redacted(value)
    if isinstance(value, dict):
        return {key: already_redacted(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [already_redacted(item) for item in value]
    return value


def _validated(value: object) -> Redacted:
    if not isinstance(value, str):
        raise ValueError("a text is expected")  # noqa: TRY004 (pydantic reports a ValueError)
    return redact(value)


REDACTED = "[REDACTED]"


MINTED_FIELDS = frozenset({"signed_button"})
"""Fields holding a value the bot minted and signed itself and already posted in the channel (a
remediation button's value): public, and useless without the bot's signing key. Redacting it would
break the click a replica takes over."""


def redact_json(value: Any, limit: int | None = None) -> Any:
    """A JSON-like value with every string redacted and every secret-named field's value replaced
    (a field of MINTED_FIELDS kept as it is); so is the `value` of a `{"name": ..., "value": ...}`
    pair whose name is secret-like (a container's env, a cookie, a Helm value). With `limit`, a
    longer string is cut to it and says so (`redact_clipped`)."""
    if isinstance(value, str):
        return _scalar(value, limit)
    if isinstance(value, dict):
        return _object(value, limit)
    if isinstance(value, (list, tuple)):
        return [redact_json(item, limit) for item in value]
    return value


def _object(value: dict[Any, Any], limit: int | None) -> dict[Any, Any]:
    """A JSON object redacted, field by field (a loop, not a call a field: a cluster's objects
    hold hundreds of fields, read again on every walk)."""
    named = value.get("name")
    pair = isinstance(named, str) and isinstance(value.get("value"), str) and is_secret_key(named)
    redacted: dict[Any, Any] = {}
    for key, item in value.items():
        if isinstance(item, str):  # a minted field kept; a secret-named one's value replaced
            if key not in MINTED_FIELDS:
                secret = item and (is_secret_key(str(key)) or (pair and key == "value"))
                item = Redacted(REDACTED) if secret else _scalar(item, limit)
        elif isinstance(item, (dict, list, tuple)):
            item = redact_json(item, limit)
        redacted[scalar_text(key) if isinstance(key, str) else key] = item
    return redacted


def _scalar(text: str, limit: int | None) -> Redacted:
    """One string of a JSON value redacted: at once when it was scanned clean before, as most of
    a cluster's objects, read again on every walk, are (what `redact` would return, less its
    steps: no surrogate, no escape for `_as_read` to open)."""
    if limit is not None:
        return redact_clipped(text, limit, noted=True)
    if type(text) is str and known_clean(text) and text.isascii() and "\\" not in text:
        return Redacted(text)
    return redact(text)


def _redact_once(text: str) -> str:
    """Every rule over the text as it is, once (the layout as given)."""
    text = redact_key_blocks(text)
    text = redact_secret_maps(text, REDACTED)
    text = redact_env_pairs(text, REDACTED)
    text = redact_lines(text)
    text = redact_positions(text)
    text = redact_tracebacks(text)
    text = replace_spans(text, shape_spans(text), REDACTED)
    while REDACTED + REDACTED in text:  # two rules met on one value: one mark
        text = text.replace(REDACTED + REDACTED, REDACTED)
    return text


def redact(text: str) -> Redacted:
    """The text with every recognised secret value replaced by [REDACTED]: also a secret a
    terminal wrapped over lines, found in the joined line and removed from each piece, or one
    its escapes hid (`_as_read`). A text already `Redacted` is returned as it is (redaction is
    idempotent: no second pass)."""
    if isinstance(text, Redacted):
        return text
    text = scalar_text(text)
    return _as_read(text, _redact_whole(text))


def _redact_whole(text: str) -> Redacted:
    """`redact` without reading the text cleaned."""
    if known_clean(text):  # scanned before, nothing found (responses/redaction/memo.py)
        return Redacted(text)
    given = text
    text = text.replace("\r\n", "\n")  # the rules read lines: a Windows line end is one
    redacted = _redact_once(text)
    hidden = wrapped_spans(text, _redact_once) + escaped_spans(text, _redact_once)
    if hidden:
        redacted = with_wrapped(text, redacted, hidden, _redact_once)
    text = unmask(redacted)
    while REDACTED + REDACTED in text:
        text = text.replace(REDACTED + REDACTED, REDACTED)
    if REDACTED in text:  # a value found once, wherever the text repeats it
        text = remove_echoes(given.replace("\r\n", "\n"), text)
    note_redacted(given, text)
    return Redacted(text)


def redacted_again(original: str, derived: str) -> Redacted:
    """`derived`, a text made from a redacted one (unescaped, unwrapped, cleaned), redacted as
    its own: what the making reveals (a secret escaped inside a JSON log line) is found there.
    As it is when the original was shown by request (`--show-secrets`)."""
    if isinstance(original, Shown):
        return Shown(derived)
    return redact(derived)


def redact_paste(text: str) -> Redacted:
    """A pasted text redacted as the matcher will read it: a terminal's hard wrapping undone
    first (as `intents.normalize.clean_text` does), so a secret wrapped over two lines is
    found whole, and the redacted paste still unwraps into the lines the answer rests on.
    What the lines show before the joining is removed too: a line the joining glues to the
    next (a command exactly 80 wide, then the password it printed) keeps its secret's mark."""
    if isinstance(text, Redacted):
        return text
    text = scalar_text(text).replace("\r\n", "\n")
    joined = unwrap(text)
    if joined == text:
        return redact(text)
    redacted = _redact_whole(
        mask_joined(joined, unwrap(mask_found(text, _redact_once)), _redact_once)
    )
    return _as_read(text, redacted)


def _as_read(text: str, redacted: Redacted) -> Redacted:
    """The redacted paste without the secrets its reading reveals: the matcher reads it cleaned
    (escapes undone, JSON log records opened: `intents.normalize.clean_text`), and a value the
    rules find only there (a traceback whose lines are a container runtime's records) is removed
    from the paste too, wherever it stands whole."""
    if "\\" not in text:
        return redacted
    cleaned = clean_text(text)
    if cleaned == text:
        return redacted
    values = followed(removed_values(cleaned, _redact_whole(cleaned)))
    return Redacted(remove_values(redacted, values)) if values else redacted


def redact_clipped(text: str, limit: int, *, noted: bool = False) -> Redacted:
    """The first `limit` characters of the redacted text: redacting first, so a secret the cut
    would split is still recognised whole (a clipped token no longer has its shape). `noted`: a
    text longer than `limit` starts with a note of the cut (where a renderer that shortens it
    again still shows it), so whoever reads it knows it is a part."""
    clipped = redact(text[: limit + 4096]).clip(limit)
    if not noted or len(text) <= limit:
        return clipped
    return Redacted(f"[cut: {len(text):,} characters, the first {limit:,} shown] {clipped}")
