"""`kubemedic catalog test [PACK]` (issue 75 item 7): a team runs its pack's cases in its own CI.

Exit 0 when every case is answered first by its entry, 1 naming each case that is not (with
what was answered instead, a rejected entry's cases under that entry's id), 2 for a pack that
does not exist. A team's pack whose entry now answers a built-in entry's own symptom line is
reported too: a pack never takes over a core answer silently."""

from __future__ import annotations

from pathlib import Path

from tests.cli.runner import kubemedic
from tests.cli.test_catalog_packs import TEAM_ENTRY, TEAM_MANIFEST

CRASHLOOP_ENTRY = """\
id: frob-backoff
title: The frobnicator backs off
summary: A team entry written too broadly.
symptoms: ["Back-off restarting failed container", "CrashLoopBackOff restarting failed container"]
root_cause: The frobnicator backs off.
fix: [{text: Cool it down., command: "kubectl rollout restart deploy/<deployment> -n <namespace>"}]
links: [{url: "https://runbooks.example.com/frob", title: Runbook}]
sources: [team-runbook]
"""


def _pack(root: Path, cases: dict[str, str], *entries: str) -> dict[str, str]:
    """A team pack `frob` with the entries and cases (`entry-id/name.txt` -> text)."""
    pack = root / "frob"
    (pack / "entries").mkdir(parents=True)
    (pack / "pack.yaml").write_text(TEAM_MANIFEST)
    for entry in (TEAM_ENTRY, *entries):
        entry_id = entry.split("\n", 1)[0].removeprefix("id: ")
        (pack / "entries" / f"{entry_id}.yaml").write_text(entry)
    for where, text in cases.items():
        (pack / "cases" / where).parent.mkdir(parents=True, exist_ok=True)
        (pack / "cases" / where).write_text(text)
    return {"KUBEMEDIC_CATALOG_DIRS": str(root)}


def test_a_pack_whose_cases_are_all_answered_first_passes(tmp_path: Path) -> None:
    env = _pack(tmp_path, {"frob-overload/log.txt": "E0101 frobnicator quantum flux overload\n"})
    result = kubemedic("catalog", "test", "frob", env=env)
    assert result.code == 0, result.stdout + result.stderr
    assert "frob: 1 cases, 1 answered first by their entry" in result.stdout
    assert "catalog test: 1 pack(s), 1 cases, all passed" in result.stdout


def test_a_case_its_entry_does_not_answer_first_fails_and_is_named(tmp_path: Path) -> None:
    env = _pack(
        tmp_path,
        {
            "frob-overload/log.txt": "E0101 frobnicator quantum flux overload detected\n",
            # an OOM kill is the core's oom-killed, whatever folder the team put it in
            "frob-overload/oom.txt": "Last State: Terminated\n  Reason: OOMKilled\n  Exit Code: 137\n",
        },
    )
    result = kubemedic("catalog", "test", "frob", env=env)
    assert result.code == 1
    assert "FAIL frob-overload/oom.txt: answered oom-killed first" in result.stdout
    assert "log.txt" not in result.stdout
    assert "1 failed" in result.stdout


def test_a_rejected_entrys_cases_are_named_under_its_id(tmp_path: Path) -> None:
    typo = TEAM_ENTRY.replace("frob-overload", "frob-typo").replace("symptoms:", "symtpoms:")
    env = _pack(tmp_path, {"frob-typo/log.txt": "frobnicator quantum flux overload\n"}, typo)
    result = kubemedic("catalog", "test", "frob", env=env)
    assert result.code == 1
    assert "FAIL frob-typo/log.txt: its entry frob-typo was rejected" in result.stdout
    checked = kubemedic("catalog", "check", env=env)
    assert "a case of 'frob-typo', whose entry was rejected" in checked.stderr
    assert "which is no entry" not in checked.stderr


def test_a_team_entry_that_takes_a_core_entrys_text_is_reported(tmp_path: Path) -> None:
    env = _pack(
        tmp_path,
        {"frob-backoff/log.txt": "frob Back-off restarting failed container\n"},
        CRASHLOOP_ENTRY,
    )
    result = kubemedic("catalog", "test", "frob", env=env)
    assert result.code == 1
    assert "TAKES frob-backoff answers crashloop-backoff's symptom" in result.stdout


def test_an_unknown_or_switched_off_pack_is_refused_in_one_line(tmp_path: Path) -> None:
    env = _pack(tmp_path, {"frob-overload/log.txt": "frobnicator quantum flux overload\n"})
    unknown = kubemedic("catalog", "test", "frobs", env=env)
    assert unknown.code == 2
    assert unknown.stderr.strip().splitlines()[-1].startswith("kubemedic: no pack named 'frobs'")
    off = kubemedic("catalog", "test", "frob", env=env | {"KUBEMEDIC_CATALOG_PACKS_OFF": "frob"})
    assert off.code == 2 and "switched off" in off.stderr


def test_a_builtin_pack_passes_its_own_cases() -> None:
    result = kubemedic("catalog", "test", "linkerd")
    assert result.code == 0, result.stdout
    assert result.stdout.startswith("linkerd: ")
