"""`kubemedic examples export|import` and `kubemedic catalog suggest`, run as a user runs them, on a
real SQLite file filled the way the bot fills it."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

import yaml

from bot.answering.examples import TeamExamples, example_of
from bot.diagnosis.paste import diagnose_paste
from bot.storage.ask_records import QuestionRecord, new_question_id
from bot.storage.records import utcnow
from responses.redaction import redact
from tests.cli.runner import kubemedic, kubemedic_in_process
from tests.slack.harness import shared_matcher
from tests.storage.backends import opened

UNSURE = (
    "the init container was killed, exit code 137, no idea why. DB_PASSWORD=hunter2-s3cr3t-value"
)
NOW = utcnow()


def _env(db: Path, **more: str) -> dict[str, str]:
    return {"KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{db}", **more}


async def _choose(db: Path, text: str, entry: str, chooser: str = "alice") -> None:
    async with opened(f"sqlite+aiosqlite:///{db}") as store:
        await store.add_example(
            example_of(
                text,
                entry,
                chosen_by="U0ALICE001",
                chooser=chooser,
                chosen_at=NOW,
                channel="C0GENERAL1",
                question_id="q-1",
            )
        )


async def _answer(db: Path, text: str) -> str | None:
    """The answer the bot gives a paste with this database's examples (its first finding, if high or medium)."""
    async with opened(f"sqlite+aiosqlite:///{db}") as store:
        examples = await TeamExamples(store).for_paste(text)
    answer = diagnose_paste(
        shared_matcher(), redact(text), examples=examples
    ).answer  # redacted, as the bot does
    return answer.match.id if answer else None


def test_exported_examples_are_reviewable_and_import_answers_the_same_paste_elsewhere(
    tmp_path: Path,
) -> None:
    asyncio.run(_choose(tmp_path / "a.db", UNSURE, "oom-killed"))
    exported = kubemedic(
        "examples", "export", str(tmp_path / "examples.yaml"), env=_env(tmp_path / "a.db")
    )
    assert exported.code == 0 and "examples: 1 written to" in exported.stdout, exported.stderr
    text = (tmp_path / "examples.yaml").read_text()
    assert text.startswith("# kubemedic's team examples") and "hunter2" not in text
    [example] = yaml.safe_load(text)["examples"]
    assert (example["entry"], example["chooser"], example["confirmed_by"]) == (
        "oom-killed",
        "alice",
        None,
    )
    assert asyncio.run(_answer(tmp_path / "b.db", UNSURE)) is None  # a fresh database: no answer
    imported = kubemedic_in_process(
        "examples", "import", str(tmp_path / "examples.yaml"), env=_env(tmp_path / "b.db")
    )
    assert (imported.code, imported.stdout.strip()) == (
        0,
        f"examples: 1 imported from {tmp_path / 'examples.yaml'}",
    )
    assert (
        asyncio.run(_answer(tmp_path / "b.db", UNSURE)) == "oom-killed"
    )  # importing it confirmed it
    again = yaml.safe_load(
        kubemedic_in_process("examples", "export", "-", env=_env(tmp_path / "b.db")).stdout
    )
    assert [(e["chosen_by"], e["confirmed_by"]) for e in again["examples"]] == [
        ("U0ALICE001", "import")
    ]
    again = kubemedic_in_process(
        "examples", "import", str(tmp_path / "examples.yaml"), env=_env(tmp_path / "b.db")
    )
    assert "examples: 0 imported" in again.stdout and "(1 already there)" in again.stdout


def test_an_import_with_any_bad_example_stores_none_and_lists_every_problem(tmp_path: Path) -> None:
    file = tmp_path / "examples.yaml"
    file.write_text(
        yaml.safe_dump(
            {
                "format": "kubemedic.examples/v1",
                "examples": [
                    {"entry": "oom-killed", "text": UNSURE},
                    {"entry": "no-such-entry", "text": "pods are sad"},
                    {"entry": "oom-killed", "text": "x", "colour": "red"},
                ],
            }
        )
    )
    done = kubemedic_in_process(
        "examples", "import", str(file), env=_env(tmp_path / "kubemedic.db")
    )
    assert done.code == 2 and done.stdout == ""
    [line] = done.stderr.strip().splitlines()  # one line, every problem
    assert "examples.1.entry: 'no-such-entry' is not in the catalog" in line
    assert "examples.2.colour: Extra inputs are not permitted" in line
    assert kubemedic_in_process(
        "examples", "export", "-", env=_env(tmp_path / "kubemedic.db")
    ).stdout.endswith("examples: []\n")
    assert (
        kubemedic_in_process("examples", "import", str(tmp_path / "missing.yaml"))
        .stderr.strip()
        .endswith("no such file")
    )


BOMB = "".join(
    [
        f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9 if n else ["lol"] * 9) + "]\n"
        for n in range(9)
    ]
)
HOSTILE = [
    (
        "deep",
        "format: kubemedic.examples/v1\nexamples: " + "[" * 100_000 + "]" * 100_000 + "\n",
        "not YAML: ",
    ),
    (
        "aliases",
        f"format: kubemedic.examples/v1\n{BOMB}examples: *l8\n",
        "its aliases expand it past 10 times",
    ),
    (
        "too many",
        "format: kubemedic.examples/v1\nexamples:\n" + "- 0\n" * 10_001,
        "10,001 examples; one file holds at most 10,000: split it",
    ),  # counted before any is read
]


def test_a_hostile_examples_file_is_refused_in_one_line_naming_the_limit(tmp_path: Path) -> None:
    env = _env(tmp_path / "kubemedic.db")
    for name, content, said in HOSTILE:
        file = tmp_path / f"{name}.yaml"
        file.write_text(content)
        done = kubemedic_in_process("examples", "import", str(file), env=env)
        assert done.code == 2 and said in done.stderr and done.stderr.count("\n") == 1, (
            name,
            done.stderr,
        )
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as out:
        out.truncate(60 * 1024 * 1024)  # a 60 MB file (sparse: its size is what is checked first)
    done = kubemedic_in_process("examples", "import", str(huge), env=env)
    assert done.code == 2 and "larger than 16 MB, the most one examples file may be" in done.stderr


def test_examples_export_as_a_labelled_corpus_for_retraining(tmp_path: Path) -> None:
    asyncio.run(_choose(tmp_path / "a.db", UNSURE, "oom-killed"))
    done = kubemedic_in_process(
        "examples", "export", "--corpus", str(tmp_path / "team"), env=_env(tmp_path / "a.db")
    )
    assert done.code == 0, done.stderr
    [row] = [
        json.loads(line)
        for line in (tmp_path / "team" / "index-team.jsonl").read_text().splitlines()
    ]
    assert {"file", "url", "repo", "kind", "class", "expected", "also", "note"} <= set(row)
    assert (row["class"], row["expected"], row["repo"]) == (
        "positive",
        ["oom-killed"],
        "team:C0GENERAL1",
    )
    assert "exit code 137" in (tmp_path / "team" / row["file"]).read_text()
    assert kubemedic_in_process("examples", "export").code == 2  # neither FILE nor --corpus


async def _unanswered(db: Path, pastes: list[tuple[str, str]]) -> None:
    async with opened(f"sqlite+aiosqlite:///{db}") as store:
        for number, (channel, text) in enumerate(pastes):
            await store.save_question(
                QuestionRecord(
                    id=new_question_id(),
                    kind="ask",
                    asked_via="mention",
                    state="none" if number % 2 else "unanswered",
                    channel=channel,
                    text=text,
                    created_at=NOW + timedelta(seconds=number),
                )
            )


NFS = 'MountVolume.SetUp failed for volume "data-{n}" : mount failed: exit status 32 nfs: access denied by server'
PASTES = [
    ("C0TEAMA0001", f"hi, this again on the reports job\n{NFS.format(n=1)}\nretrying did not help"),
    (
        "C0TEAMA0001",
        f"{NFS.format(n=7)}\nWarning FailedMount 3m kubelet Unable to attach or mount volumes",
    ),
    ("C0TEAMB0001", f"anyone? {NFS.format(n=2)}\n{NFS.format(n=2)}"),
    ("C0TEAMB0001", "grafana shows a gap every night around 2am, dashboards are empty"),
]


def test_catalog_suggest_drafts_an_entry_that_catalog_check_accepts(tmp_path: Path) -> None:
    db = tmp_path / "kubemedic.db"
    asyncio.run(_unanswered(db, PASTES))
    done = kubemedic_in_process(
        "catalog", "suggest", "--out", str(tmp_path / "drafts"), env=_env(db)
    )
    assert done.code == 0 and "catalog suggest: 1 draft(s)" in done.stdout, done.stderr
    [path] = list((tmp_path / "drafts").glob("*.yaml"))
    text = path.read_text()
    assert (
        "3 pastes in 2 channels" in text and "#   retrying did not help" in text
    )  # counts, example texts
    draft = yaml.safe_load(text)
    assert draft["id"] == path.stem and draft["id"].startswith("draft-mountvolume-setup-failed")
    assert draft["symptoms"] == [NFS.format(n=1)] and draft["patterns"]
    assert "3 unanswered pastes in 2 channels" in draft["sources"][0]
    checked = kubemedic_in_process(
        "catalog", "check", env=_env(db, KUBEMEDIC_CATALOG_DIRS=str(tmp_path / "drafts"))
    )
    assert checked.code == 0, checked.stderr
    matched = kubemedic_in_process(
        "match",
        "--json",
        stdin=NFS.format(n=9).encode(),
        env={"KUBEMEDIC_CATALOG_DIRS": str(tmp_path / "drafts")},
    )
    assert (
        matched.json()["matches"][0]["id"] == draft["id"]
    )  # finished or not, it answers what it was drafted from
    stats = kubemedic_in_process("stats", env=_env(db))
    assert "questions asked: 4 (0 chosen, 2 none, 2 unanswered, 0 open)" in stats.stdout
    assert "draft entries from unanswered pastes: 1 (kubemedic catalog suggest)" in stats.stdout


def test_catalog_suggest_without_enough_pastes_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "kubemedic.db"
    asyncio.run(_unanswered(db, PASTES[3:]))
    done = kubemedic_in_process("catalog", "suggest", env=_env(db))
    assert (done.code, done.stdout) == (
        0,
        "",
    ) and "0 draft(s) from 1 unanswered paste(s)" in done.stderr
    assert kubemedic_in_process("catalog", "suggest", "--min-pastes", "1", env=_env(db)).code == 2
