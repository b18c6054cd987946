"""A command starts at once: `kubemedic --version` and `kubemedic match` import only what they
use (never the Kubernetes client, SQLAlchemy, the Slack stack or aiohttp; `--version` not even
the settings, which pydantic-settings reads), and a
catalog is read from YAML once, then from its index cache. Checked through the modules the
console script imports (`python -X importtime`), not by timing; bench/cli_startup_bench.py
measures the CPU time."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot import cli
from tests.cli.runner import SCRIPT, kubemedic

NEVER_AT_START = {
    "kubernetes",
    "sqlalchemy",
    "slack_bolt",
    "slack_sdk",
    "aiohttp",
    "bot.catalog_site",
    "bot.doctor",
    "bot.wiring.root",
}
PASTE = b"Last State: Terminated\n  Reason: OOMKilled\n  Exit Code: 137\n"


def imported(
    *args: str, cache: Path, stdin: bytes = b""
) -> tuple[set[str], subprocess.CompletedProcess[bytes]]:
    """The modules a run of the console script imports (every package level), and the run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KUBEMEDIC_", "SLACK_"))}
    run = subprocess.run(
        [sys.executable, "-X", "importtime", str(SCRIPT), *args],
        input=stdin,
        capture_output=True,
        env=env | {"KUBEMEDIC_CACHE_DIR": str(cache)},
        timeout=60,
        check=False,
    )
    names = set()
    for line in run.stderr.decode().splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            names.update(
                ".".join(name.split(".")[:depth]) for depth in range(1, name.count(".") + 2)
            )
    return names, run


#: runs `kubemedic match` in a process that records every file it opens (an audit hook)
OPENS = """
import sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" else None)
from bot import cli
code = cli.run(["match"])
print("\\n".join(opened), file=sys.stderr)
sys.exit(code)
"""


def catalog_files_opened(cache: Path) -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KUBEMEDIC_", "SLACK_"))}
    run = subprocess.run(
        [sys.executable, "-c", OPENS],
        input=PASTE,
        capture_output=True,
        timeout=60,
        env=env | {"KUBEMEDIC_CACHE_DIR": str(cache)},
        check=False,
    )
    assert run.returncode == 0 and b"[oom-killed]" in run.stdout, run.stderr[-2000:]
    return [path for path in run.stderr.decode().splitlines() if "/intents/catalog/" in path]


def test_version_imports_no_command_and_no_settings(tmp_path: Path) -> None:
    names, run = imported("--version", cache=tmp_path)
    assert run.returncode == 0 and run.stdout.decode().startswith("kubemedic ")
    assert (
        names
        & (
            NEVER_AT_START
            | {"pydantic", "pydantic_settings", "asyncio", "bot.settings", "bot.commands.match_cmd"}
        )
        == set()
    )


#: what `match` leaves out besides NEVER_AT_START: pydantic-settings (and the asyncio and
#: importlib.metadata it imports), the settings model, YAML (the message formats come with the
#: index), and pydantic itself (the cached index holds plain dataclasses, validated when the
#: catalog's YAML was read)
NOT_IN_MATCH = {
    "pydantic",
    "pydantic_core",
    "pydantic_settings",
    "asyncio",
    "importlib.metadata",
    "bot.settings",
    "yaml",
}


def test_match_imports_only_the_matcher_and_reads_the_catalog_from_its_cache(
    tmp_path: Path,
) -> None:
    names, run = imported("match", cache=tmp_path, stdin=PASTE)
    assert run.returncode == 0 and b"[oom-killed]" in run.stdout
    assert names & NEVER_AT_START == set()
    assert len(list(tmp_path.glob("*.pickle"))) == 1
    assert len(catalog_files_opened(tmp_path / "fresh")) > 100  # the first run reads the catalog...
    assert catalog_files_opened(tmp_path / "fresh") == []  # ...the next ones its index


def test_match_with_a_current_index_reads_no_yaml_and_no_settings_model(tmp_path: Path) -> None:
    imported("match", cache=tmp_path, stdin=PASTE)  # fills the index cache
    names, run = imported("match", cache=tmp_path, stdin=PASTE)
    assert run.returncode == 0 and b"[oom-killed]" in run.stdout
    assert names & NOT_IN_MATCH == set()


def test_an_edited_message_format_file_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The formats kept with the index are keyed by their files like the catalog is."""
    import shutil

    from intents import index_cache
    from intents.messages.formats import DATA

    formats = tmp_path / "data"
    shutil.copytree(DATA, formats)
    monkeypatch.setattr(index_cache, "format_folders", lambda: [formats])
    before = index_cache.catalog_signature([])
    assert index_cache.catalog_signature([]) == before
    edited = min(formats.glob("*.yaml"))
    edited.write_text(edited.read_text() + "\n")
    assert index_cache.catalog_signature([]) != before


def test_formats_kept_with_the_index_carry_no_compiled_pattern(tmp_path: Path) -> None:
    """A process that matched before building the index (a long-lived one) must not store the
    RE2 patterns it compiled: each later start would compile them all again (0.7 s)."""
    import pickle

    from intents.index_cache import load_index
    from intents.messages.formats import load_formats

    used = [fmt for fmt in load_formats() if fmt.regex]
    assert all(fmt.pattern is not None for fmt in used)  # compiled in this process
    load_index([], cache_dir=tmp_path)
    [saved] = tmp_path.glob("*.pickle")
    _index, _problems, formats = pickle.loads(saved.read_bytes())
    assert len(formats) == len(load_formats())
    assert [fmt.id for fmt in formats if "pattern" in vars(fmt)] == []


COMPILED_AT_IMPORT = """
import re, sys
compiled = []
plain = re.compile
def counting(pattern, flags=0):
    compiled.append(sys._getframe(1).f_code.co_filename)
    return plain(pattern, flags)
re.compile = counting
import responses.redaction.entry, responses.redaction.fields, responses.redaction.maps, intents.normalize  # noqa: E401
import bot.diagnosis.paste_read  # noqa: F401
print("\\n".join(compiled))
"""
LAZY = (
    "responses/redaction/entry.py",
    "responses/redaction/fields.py",
    "responses/redaction/maps.py",
    "intents/normalize.py",
    "bot/diagnosis/paste_",
)


def test_the_redaction_rules_paste_parsers_and_normaliser_compile_nothing_at_import() -> None:
    """Their patterns (a hundred and more) compile on first use (intents.lazy_re), not at import."""
    run = subprocess.run(
        [sys.executable, "-c", COMPILED_AT_IMPORT],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    callers = run.stdout.splitlines()
    assert len(callers) > 0  # the count sees module-level compiles (the stdlib's and others')
    assert [
        caller for caller in callers if caller.endswith(LAZY) or "/bot/diagnosis/paste_" in caller
    ] == []


def test_an_edited_entry_is_read_again_and_old_indexes_are_pruned(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    entry = (Path(cli.__file__).parents[1] / "intents" / "catalog" / "oom-killed.yaml").read_text()
    (mine / "oom-killed.yaml").write_text(entry.replace("\ntitle: ", "\ntitle: Ours - ", 1))
    env = {"KUBEMEDIC_CACHE_DIR": str(tmp_path / "cache"), "KUBEMEDIC_CATALOG_DIRS": str(mine)}
    assert "Ours - " in kubemedic("match", stdin=PASTE, env=env).stdout
    time.sleep(0.01)  # a new modification time even on coarse-grained file systems
    (mine / "oom-killed.yaml").write_text(entry.replace("\ntitle: ", "\ntitle: Edited - ", 1))
    assert "Edited - " in kubemedic("match", stdin=PASTE, env=env).stdout
    old = [tmp_path / "cache" / f"older-{number}.pickle" for number in range(10)]
    for number, path in enumerate(old):  # indexes of ten catalogs used before, oldest first
        path.write_bytes(b"")
        os.utime(path, (1_000_000 + number, 1_000_000 + number))
    (mine / "oom-killed.yaml").write_text(entry)
    assert "Ours - " not in kubemedic("match", stdin=PASTE, env=env).stdout
    kept = set((tmp_path / "cache").glob("*.pickle"))
    ours = {path for path in kept if not path.name.startswith("older-")}
    assert len(ours) == 3 and kept == ours | set(old[-5:])  # the 8 most recently used


@pytest.mark.parametrize("command", sorted(cli.COMMANDS))
def test_the_help_line_of_each_command_is_its_module_s_own(command: str) -> None:
    """`kubemedic --help` lists commands from cli.COMMANDS without importing them; the line
    must be the one the command's module registers."""
    full = cli.build_parser()
    [subparsers] = [a for a in full._actions if a.dest == "command"]
    listed = {action.dest: action.help for action in subparsers._get_subactions()}
    assert listed[command] == cli.COMMANDS[command][1]
