"""`kubemedic catalog packs` and packs in `catalog check`, `match` and the settings (the contract:
one line per pack with its component versions, entries and cases; a pack switched off as a
unit; a team's pack added through KUBEMEDIC_CATALOG_DIRS and held to the core's rules)."""

from __future__ import annotations

import re
from pathlib import Path

from intents.packs import builtin_packs
from tests.cli.runner import kubemedic

TEAM_ENTRY = """\
id: frob-overload
title: The frobnicator overloads
summary: A team runbook entry.
symptoms: ["frobnicator quantum flux overload detected"]
patterns: ['frobnicator quantum flux overload']
root_cause: The frobnicator overheats.
fix: [{text: Cool it down., command: "kubectl rollout restart deploy/<deployment> -n <namespace>"}]
links: [{url: "https://runbooks.example.com/frob", title: Runbook}]
sources: [team-runbook]
"""
TEAM_MANIFEST = """\
name: frob
title: Frobnicator
description: The team's frobnicator and its failures.
components: [{name: frobnicator, versions: "2.x"}]
"""
LINE = re.compile(r"^(\S+)\s{2,}(.+?)  (\d+) entries  (\d+) cases(.*)$")


def _team_pack(root: Path, *, manifest: str = TEAM_MANIFEST, case: str | None = None) -> Path:
    pack = root / "frob"
    (pack / "entries").mkdir(parents=True)
    (pack / "pack.yaml").write_text(manifest)
    (pack / "entries" / "frob-overload.yaml").write_text(TEAM_ENTRY)
    cases = pack / "cases" / (case or "frob-overload")
    cases.mkdir(parents=True)
    (cases / "log.txt").write_text("E0101 frobnicator quantum flux overload detected on node-1\n")
    return pack


def test_each_builtin_pack_is_one_line_with_versions_entries_and_cases() -> None:
    result = kubemedic("catalog", "packs")
    assert result.code == 0, result.stderr
    rows = {m.group(1): m for m in map(LINE.match, result.stdout.splitlines()) if m}
    assert len(rows) == len(result.stdout.splitlines())
    packs = builtin_packs()
    assert len(packs) >= 10
    for pack in packs:
        row = rows[pack.name]
        assert int(row.group(3)) == len(pack.entry_ids()) > 0, pack.name
        assert int(row.group(4)) == len(pack.cases()) > 0, pack.name
        assert re.search(r"\d", row.group(2)), row.group(0)


def test_json_rows_name_each_pack_and_its_component_versions() -> None:
    rows = kubemedic("catalog", "packs", "--json").json()
    by_name = {row["name"]: row for row in rows}
    assert {"istio", "linkerd", "consul", "cert-manager", "gitops", "csi", "velero"} <= set(by_name)
    assert by_name["istio"]["versions"]["istio"]
    assert all(row["on"] and row["builtin"] for row in rows)


def test_a_pack_switched_off_keeps_its_line_loses_its_entries_and_check_stays_clean() -> None:
    env = {"KUBEMEDIC_CATALOG_PACKS_OFF": "velero"}
    packs = kubemedic("catalog", "packs", env=env)
    line = next(line for line in packs.stdout.splitlines() if line.startswith("velero "))
    assert line.endswith("off (KUBEMEDIC_CATALOG_PACKS_OFF)")
    ids = {row["id"] for row in kubemedic("catalog", "list", "--json", env=env).json()}
    assert "velero-pod-volume-backup-failed" not in ids
    assert "crashloop-backoff" in ids
    checked = kubemedic("catalog", "check", env=env)
    assert checked.code == 0, checked.stderr
    assert f"({len(builtin_packs()) - 1} packs on)" in checked.stdout


def test_an_unknown_pack_name_switched_off_is_a_problem() -> None:
    checked = kubemedic("catalog", "check", env={"KUBEMEDIC_CATALOG_PACKS_OFF": "istoi"})
    assert checked.code == 2
    assert "KUBEMEDIC_CATALOG_PACKS_OFF names no pack: istoi" in checked.stderr


def test_a_team_pack_is_listed_checked_and_answers(tmp_path: Path) -> None:
    pack = _team_pack(tmp_path)
    env = {"KUBEMEDIC_CATALOG_DIRS": str(tmp_path)}
    listed = kubemedic("catalog", "packs", env=env)
    line = next(line for line in listed.stdout.splitlines() if line.startswith("frob "))
    assert "frobnicator 2.x  1 entries  1 cases" in line
    assert f"from {pack}" in line
    checked = kubemedic("catalog", "check", env=env)
    assert checked.code == 0, checked.stderr
    matched = kubemedic(
        "match", "--json", stdin=b"frobnicator quantum flux overload detected\n", env=env
    ).json()
    assert matched["answer"] == "frob-overload"
    off = kubemedic(
        "match",
        "--json",
        stdin=b"frobnicator quantum flux overload detected\n",
        env=env | {"KUBEMEDIC_CATALOG_PACKS_OFF": "frob"},
    ).json()
    assert off["answer"] != "frob-overload"


def test_a_team_pack_is_held_to_the_same_rules(tmp_path: Path) -> None:
    pack = _team_pack(
        tmp_path, manifest=TEAM_MANIFEST.replace("name: frob", "name: frobs"), case="no-such-entry"
    )
    (pack / "entries" / "frob-typo.yaml").write_text(
        TEAM_ENTRY.replace("frob-overload", "frob-typo").replace("symptoms:", "symtpoms:")
    )
    checked = kubemedic("catalog", "check", env={"KUBEMEDIC_CATALOG_DIRS": str(tmp_path)})
    assert checked.code == 2
    for expected in (
        "frob/pack.yaml: name must be the folder's (frob)",
        "a case of 'no-such-entry', which is no entry",
        "frob-typo.yaml: symtpoms: unknown key",
    ):
        assert expected in checked.stderr, (expected, checked.stderr)
