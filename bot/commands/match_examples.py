"""The team's examples `kubemedic match` reads: a file, or the configured database.

A paste the team has answered before (by choosing under "Is it one of these?", by "Not this",
or from an examples file) is answered the same in the terminal as in chat: `--examples FILE`
reads a file `kubemedic examples export` wrote (or one written by hand, same format), and
without it the database KUBEMEDIC_DATABASE_URL names, when it is set, is asked for the
examples the paste may read the same as. A database that cannot be read is said in one line
on stderr and the paste is matched without them.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime

from bot.commands.io import CommandIO
from bot.errors import BadInput
from intents.examples import TeamExample, words_of
from responses.redaction import Redacted


def from_file(path: str, *, known: Collection[str]) -> tuple[TeamExample, ...]:
    """The examples of an examples file, newest first; BadInput naming every problem."""
    from bot.answering.example_files import load  # PyYAML and pydantic only with --examples
    from bot.commands.examples_cmd import _read as read_file

    text = read_file(path)
    try:
        entries = load(text, known=lambda: known)
    except BadInput as exc:
        raise BadInput(f"{path}: {exc.reason}") from None
    oldest = datetime.min.replace(tzinfo=UTC)
    ordered = sorted(entries, key=lambda e: e.example.chosen_at or oldest, reverse=True)
    return tuple(
        TeamExample(
            entry_id=e.example.entry,
            words=words_of(e.text),
            chooser=e.example.chooser,
            chosen_on=(e.example.chosen_at or datetime.now(UTC)).date().isoformat(),
        )
        for e in ordered
    )


def from_database(text: Redacted, io: CommandIO, *, database_url: str) -> tuple[TeamExample, ...]:
    """The examples the configured database holds for this paste (none when no database is
    configured, or when it cannot be read: said on stderr)."""
    if not database_url:
        return ()
    import asyncio

    from bot.storage.base import StoreError

    try:
        return asyncio.run(_stored(text))
    except (StoreError, OSError, ValueError) as exc:
        print(
            f"kubemedic: the team's examples were not read ({exc}); matched without them",
            file=io.stderr,
        )
        return ()


async def _stored(text: Redacted) -> tuple[TeamExample, ...]:
    from pydantic import ValidationError

    from bot.answering.examples import TeamExamples
    from bot.commands.stores import started_store  # SQLAlchemy only when a database is configured
    from bot.settings import Settings

    try:
        settings = Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        raise BadInput(f"invalid setting {first['loc'][0]}: {first['msg']}") from None
    async with started_store(settings) as store:
        return await TeamExamples(store).for_paste(text)
