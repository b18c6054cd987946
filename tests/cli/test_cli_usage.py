"""What a newcomer sees: bare `kubemedic`, `--help`, and `catalog list` as the README and docs/cli.md show it."""

from __future__ import annotations

from pathlib import Path

from tests.cli.runner import kubemedic

COMMANDS = ("match", "preview", "diagnose", "catalog", "serve", "stats", "summarize")


def test_bare_kubemedic_prints_usage_and_exits_2() -> None:
    result = kubemedic()
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("usage: kubemedic")
    for command in COMMANDS:
        assert f"\n  {command} " in result.stderr, command
    assert "Traceback" not in result.stderr


def test_help_says_what_each_command_does_and_where_to_start() -> None:
    result = kubemedic("--help")
    assert result.code == 0
    text = result.stdout
    assert "which known Kubernetes problem is behind an error" in text
    for command in COMMANDS:
        line = next(line for line in text.splitlines() if line.startswith(f"  {command} "))
        assert len(line.split()) > 2, f"{command} has no description"
    start = text[text.index("where to start:") :]
    for example in (
        "kubemedic match error.txt",
        "| kubemedic match",
        "Ctrl-D",
        "kubemedic diagnose pod",
        "kubemedic catalog list",
    ):
        assert example in start, example


def test_a_command_group_without_its_verb_names_the_verbs() -> None:
    result = kubemedic("catalog")
    assert result.code == 2
    assert "check|list" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_catalog_list_prints_id_and_title_of_every_entry_as_the_readme_says() -> None:
    rows = kubemedic("catalog", "list", "--json").json()
    lines = kubemedic("catalog", "list").stdout.splitlines()
    assert lines[0].split() == ["ID", "TITLE"]
    body = lines[1:-1]
    assert [line.split()[0] for line in body] == [row["id"] for row in rows]
    for line, row in zip(body, rows):
        assert line.split(maxsplit=1)[1] == row["title"]
    assert lines[-1].startswith(f"{len(rows)} entries")
    assert {"links", "sources", "file"} <= set(rows[0])


def test_catalog_list_counts_the_users_own_entries(tmp_path: Path) -> None:
    (tmp_path / "frob.yaml").write_text(
        "id: frob\ntitle: Frobnicator overload\nsummary: s\nsymptoms: [frobnicator quantum flux]\n"
        "root_cause: r\nfix: [{text: t}]\nlinks: [{url: 'https://runbooks.example.com/frob', title: t}]\n"
        "sources: [team]\n"
    )
    result = kubemedic("catalog", "list", env={"KUBEMEDIC_CATALOG_DIRS": str(tmp_path)})
    assert "frob  " in result.stdout and "Frobnicator overload" in result.stdout
    assert "1 from KUBEMEDIC_CATALOG_DIRS" in result.stdout.splitlines()[-1]


def test_output_cut_short_by_the_reader_is_not_an_error() -> None:
    import subprocess

    from tests.cli.runner import SCRIPT

    shell = f"'{SCRIPT}' catalog list | head -1"
    completed = subprocess.run(
        ["sh", "-c", shell], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.stdout.startswith("ID")
    assert "Traceback" not in completed.stderr and "BrokenPipe" not in completed.stderr
