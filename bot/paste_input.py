"""Read pasted text from a file or stdin, bounded and tolerant of bad bytes."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from bot.errors import BadInput, input_too_large, unreadable_input

MAX_PASTE_BYTES = 2 * 1024 * 1024
MIN_PASTE_CHARS = 12
"""A chat message shorter than this is chat, not a paste: never matched unless it asks the bot."""
COUNT_AT_MOST = 1024 * 1024 * 1024
"""Past the limit, the rest of a stream is counted (to name its size), never kept, up to this."""
_CHUNK = 1024 * 1024


def decode_paste(data: bytes) -> str:
    """Bytes to text: invalid UTF-8 is replaced, never fatal."""
    return data.decode("utf-8", errors="replace")


def _count_rest(stream: BinaryIO, seen: int) -> tuple[int, bool]:
    """Bytes of the whole stream (`seen` already read), reading the rest in chunks it drops;
    (COUNT_AT_MOST, False) when the stream is longer than that."""
    while seen < COUNT_AT_MOST:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return seen, True
        seen += len(chunk)
    return COUNT_AT_MOST, False


def read_paste(source: str, stdin: BinaryIO) -> str:
    """Read FILE or '-' (stdin); refuse empty, unreadable or oversized input with BadInput."""
    name = "standard input" if source == "-" else source
    try:
        if source == "-":
            data = stdin.read(MAX_PASTE_BYTES + 1)
            if len(data) > MAX_PASTE_BYTES:
                size, complete = _count_rest(stdin, len(data))
                raise BadInput(input_too_large(size, MAX_PASTE_BYTES, at_least=not complete))
        else:
            path = Path(source)
            if path.is_dir():
                raise BadInput(unreadable_input(name, "it is a directory"))
            size = path.stat().st_size
            if size > MAX_PASTE_BYTES:
                raise BadInput(input_too_large(size, MAX_PASTE_BYTES))
            with path.open("rb") as handle:
                data = handle.read(MAX_PASTE_BYTES + 1)
    except FileNotFoundError:
        raise BadInput(unreadable_input(name, "no such file")) from None
    except PermissionError:
        raise BadInput(unreadable_input(name, "permission denied")) from None
    except OSError as exc:
        raise BadInput(unreadable_input(name, exc.strerror or str(exc))) from None
    if len(data) > MAX_PASTE_BYTES:
        raise BadInput(input_too_large(len(data), MAX_PASTE_BYTES))
    text = decode_paste(data)
    if not text.replace("\x00", "").strip():
        raise BadInput(f"nothing to match: {name} is empty")
    return text
