"""The team's examples as files: reviewable YAML, and the labelled-corpus layout for retraining.

`kubemedic examples export FILE` writes every example in use as YAML a person can read, edit
and review in a pull request (format `kubemedic.examples/v1`); `import FILE` reads it back,
checking every example before storing any, in bounded time: a file over MAX_FILE_BYTES or
with more than MAX_EXAMPLES examples, nested too deep, or whose YAML aliases multiply it
(bot.runtime.yaml_bounds) is refused in one line naming the limit. Aliases that multiply its
text instead (one long text, then `text: *it` ten thousand times) multiplied the import's cost
with it: every example's text was redacted and read into words again, so the work grew as
examples times text length, both up to the file's size. Now the texts, expanded, may add up to
no more than MAX_FILE_BYTES either, and each distinct text is redacted once (`Imported`).
`export --corpus DIR` writes them in the layout of tests/corpus/real (one paste per file, an
`index-team.jsonl` labelling each), which tests/real_corpus.py reads and the calibration's
training reads its pastes with.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.errors import BadInput
from bot.runtime import json_depth, yaml_bounds
from bot.storage.ask_records import ExampleRecord
from intents.examples import words_of
from intents.policy import POLICY
from responses.redaction import Redacted, redact

FORMAT: Literal["kubemedic.examples/v1"] = "kubemedic.examples/v1"
MAX_TEXT = 64 * 1024
MAX_FILE_BYTES = 16 * 1024 * 1024
"""A file this large holds thousands of examples; the largest export measured is far below it."""
MAX_EXAMPLES = 10_000
HEADER = """\
# kubemedic's team examples: each is a paste (secrets redacted) and the catalog entry a person
# chose for it (chosen_by: who taught it). A later paste that reads the same gets that entry:
# in the example's own channel until it is confirmed (confirmed_by: a second person, an admin,
# or an import), then everywhere. Review, edit or delete examples here, then
# `kubemedic examples import FILE`: importing confirms what the file holds (docs/asking.md).
"""
CORPUS_INDEX = "index-team.jsonl"
MAX_PROBLEMS = 20


class ExampleEntry(BaseModel):
    """One example in the file."""

    model_config = ConfigDict(extra="forbid")
    entry: str = Field(min_length=1, max_length=255)
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    chosen_by: str = Field(default="import", min_length=1, max_length=255)
    chooser: str = Field(default="import", min_length=1, max_length=255)
    chosen_at: datetime | None = None
    channel: str | None = Field(default=None, max_length=255)
    source: str = "choice"
    confirmed_by: str | None = Field(default=None, min_length=1, max_length=255)
    confirmed_at: datetime | None = None


class ExamplesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: Literal["kubemedic.examples/v1"]
    examples: list[dict[str, Any]]


class _Literal(yaml.SafeDumper):
    """Multi-line texts as literal blocks, so a paste reads as pasted."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None
    )


_Literal.add_representer(str, _text)
_Literal.add_representer(Redacted, _text)  # the stored texts


def entry_of(record: ExampleRecord) -> dict[str, Any]:
    return {
        "entry": record.entry_id,
        "chosen_by": record.chosen_by,
        "chooser": record.chooser,
        "chosen_at": record.chosen_at.isoformat(),
        "channel": record.channel,
        "source": record.source,
        "confirmed_by": record.confirmed_by,
        "confirmed_at": record.confirmed_at.isoformat() if record.confirmed_at else None,
        "text": record.text.rstrip("\n") + "\n" if "\n" in record.text else record.text,
    }


def dump(records: Sequence[ExampleRecord]) -> str:
    body = yaml.dump(
        {"format": FORMAT, "examples": [entry_of(r) for r in records]},
        Dumper=_Literal,
        sort_keys=False,
        allow_unicode=True,
        width=120,
    )
    return HEADER + body


def _problems(error: ValidationError, where: str) -> list[str]:
    return [
        f"{'.'.join([where, *map(str, e['loc'])]).strip('.') or 'file'}: {e['msg']}"
        for e in error.errors()
    ]


@dataclass(frozen=True)
class Imported:
    """An example as a file gave it, and its text redacted (an import is a boundary: the file
    came from anywhere)."""

    example: ExampleEntry
    text: Redacted


def _expanded_size(examples: list[dict[str, Any]]) -> int:
    """How many characters the examples' texts hold, each alias counted as often as it is used."""
    return sum(len(item["text"]) for item in examples if isinstance(item.get("text"), str))


def load(text: str, *, known: Callable[[], Collection[str]]) -> list[Imported]:
    """The examples in a file; BadInput listing every problem (nothing is half-read). `known`
    gives the catalog's ids, asked only once the file itself is sound."""
    try:
        data = yaml_bounds.load(text, getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise BadInput(f"not YAML: {str(exc).splitlines()[0]}") from None
    except json_depth.TooDeep:
        raise BadInput(
            f"nested more than {json_depth.MAX_DEPTH} levels deep; an examples file is three"
        ) from None
    except yaml_bounds.TooExpanded as exc:
        raise BadInput(str(exc)) from None
    examples_given = data.get("examples") if isinstance(data, dict) else None
    if isinstance(examples_given, list) and len(examples_given) > MAX_EXAMPLES:
        raise BadInput(
            f"{len(examples_given):,} examples; one file holds at most {MAX_EXAMPLES:,}: split it"
        )
    try:
        parsed = ExamplesFile.model_validate(data)
    except ValidationError as exc:
        raise BadInput("; ".join(_problems(exc, "")[:MAX_PROBLEMS])) from None
    if (size := _expanded_size(parsed.examples)) > MAX_FILE_BYTES:
        raise BadInput(
            f"its examples' texts add up to {size:,} characters once its aliases are expanded; "
            f"a file holds at most {MAX_FILE_BYTES:,}: write each text out, or split the file"
        )
    examples: list[Imported] = []
    problems: list[str] = []
    catalog = known()
    redacted: dict[str, Redacted] = {}  # aliases share one text: redacted and measured once
    for number, item in enumerate(parsed.examples):
        try:
            example = ExampleEntry.model_validate(item)
        except ValidationError as exc:
            problems += _problems(exc, f"examples.{number}")
            continue
        if example.entry not in catalog:
            problems.append(f"examples.{number}.entry: {example.entry!r} is not in the catalog")
        if example.text not in redacted:
            redacted[example.text] = redact(example.text)
            problems += [
                f"examples.{number}.text: {reason}"
                for reason in [too_short(redacted[example.text])]
                if reason
            ]
        examples.append(Imported(example, redacted[example.text]))
    if problems:
        more = f" (and {len(problems) - MAX_PROBLEMS} more)" if len(problems) > MAX_PROBLEMS else ""
        raise BadInput("; ".join(problems[:MAX_PROBLEMS]) + more)
    return examples


def too_short(text: Redacted) -> str | None:
    """Why an example could never answer a paste, or None: it needs `example_min_words` words
    once read as the matcher reads (intents.examples), and a shorter one never reads the same."""
    count, least = len(words_of(text)), POLICY.example_min_words
    if count >= least:
        return None
    return (
        f"too short to ever answer: it reads as {count} word{'s' if count != 1 else ''} (as "
        f"a paste is read), and an example needs at least {least}"
    )


def write_corpus(records: Sequence[ExampleRecord], directory: Path) -> int:
    """One file per example and `index-team.jsonl` labelling them (tests/real_corpus.py's layout)."""
    directory.mkdir(parents=True, exist_ok=True)
    rows = []
    for number, record in enumerate(records, start=1):
        name = f"team-{number:05d}-{record.entry_id}.txt"
        (directory / name).write_text(record.text, encoding="utf-8")
        rows.append(
            {
                "file": name,
                "url": f"kubemedic:example/{record.id}",
                "repo": f"team:{record.channel or 'direct'}",
                "kind": "mixed",
                "class": "positive",
                "expected": [record.entry_id],
                "also": [],
                "note": f"chosen by @{record.chooser} on {record.chosen_at.date().isoformat()}",
            }
        )
    (directory / CORPUS_INDEX).write_text(
        "".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8"
    )
    return len(rows)
