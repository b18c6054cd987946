"""Read pasted text from a file or stdin, bounded and tolerant of bad bytes."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from bot.errors import BadInput, input_too_large, unreadable_input

MAX_PASTE_BYTES = 2 * 1024 * 1024


def decode_paste(data: bytes) -> str:
    """Bytes to text: invalid UTF-8 is replaced, never fatal."""
    return data.decode("utf-8", errors="replace")


def read_paste(source: str, stdin: BinaryIO) -> str:
    """Read FILE or '-' (stdin); refuse empty, unreadable or oversized input with BadInput."""
    name = "standard input" if source == "-" else source
    try:
        if source == "-":
            data = stdin.read(MAX_PASTE_BYTES + 1)
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
