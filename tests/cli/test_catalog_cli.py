"""`kubemedic catalog check|list` as the contract describes them, run in process (`--version`
through the console script)."""

from __future__ import annotations

from pathlib import Path

from tests.cli.runner import kubemedic, kubemedic_in_process

REQUIRED_IDS = Path(__file__).resolve().parents[3] / "shared" / "catalog-ids.md"

GOOD_ENTRY = """\
id: {id}
title: {title}
summary: A team runbook entry.
symptoms: ["frobnicator quantum flux overload detected"]
root_cause: The frobnicator overheats.
fix: [{{text: Cool it down., command: "kubectl rollout restart deploy/frob", fixed_names: [frob]}}]
links: [{{url: "https://runbooks.example.com/frob", title: Runbook}}]
sources: [team-runbook]
"""


def test_builtin_catalog_checks_clean() -> None:
    result = kubemedic_in_process("catalog", "check")
    assert result.code == 0, result.stderr
    assert "no problems" in result.stdout


def test_every_required_id_is_listed_with_links_and_sources() -> None:
    rows = kubemedic_in_process("catalog", "list", "--json").json()
    by_id = {row["id"]: row for row in rows}
    if REQUIRED_IDS.exists():
        required = {
            line.split("|")[1].strip()
            for line in REQUIRED_IDS.read_text().splitlines()
            if line.startswith("| ") and not line.startswith("| id ") and "---" not in line
        }
        assert required <= set(by_id), sorted(required - set(by_id))
    for row in rows:
        assert row["title"] and row["links"] and row["sources"], row["id"]
        assert all(link.startswith(("https://", "http://")) for link in row["links"])


def test_broken_user_catalog_lists_every_problem_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "id: bad\ntitle: B\nsummary: s\nsymptoms: []\npatterns: ['(?<!not )oomkilled']\nroot_cause: r\n"
        "fix: [{text: t}]\nlinks: [{url: 'not a url', title: t}]\nsources: [x]\n"
        "remediation: [{kind: rm-rf, label: no}]\nsymtpoms: [misspelt]\n"
    )
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n")
    (tmp_path / "one.yaml").write_text(GOOD_ENTRY.format(id="dup", title="One"))
    (tmp_path / "two.yaml").write_text(GOOD_ENTRY.format(id="dup", title="Two"))
    result = kubemedic_in_process("catalog", "check", env={"KUBEMEDIC_CATALOG_DIRS": str(tmp_path)})
    assert result.code == 2
    for expected in (
        "symptoms",
        "bad.yaml:5: patterns: RE2 cannot run regex '(?<!not )oomkilled'",
        "lookaround is not supported",
        "malformed link",
        "unknown action kind 'rm-rf'",
        "invalid YAML",
        "duplicate id 'dup'",
        "file name must be the entry id",
        "bad.yaml:11: symtpoms: unknown key (not part of the catalog schema; a typo?)",
        "bad.yaml:8: links.0.url: malformed link",
        "bad.yaml:4: symptoms: List should have at least 1 item",
    ):
        assert expected in result.stderr, expected


def test_patterns_that_backtrack_elsewhere_are_accepted_and_answer_at_once(tmp_path: Path) -> None:
    """RE2 runs them in linear time, so `catalog check` has no reason to refuse them."""
    (tmp_path / "frob-overload.yaml").write_text(
        GOOD_ENTRY.format(id="frob-overload", title="Frob")
        + "patterns: ['(x|x)*y', '(.|\\s)*ZZZ', '(a+)+$', '(\\w+\\s?)*done']\n"
    )
    env = {"KUBEMEDIC_CATALOG_DIRS": str(tmp_path)}
    checked = kubemedic_in_process("catalog", "check", env=env)
    assert checked.code == 0, checked.stderr
    paste = (
        b"frobnicator quantum flux overload detected\n"
        + b"x" * 10_000
        + b"\n"
        + b"a" * 10_000
        + b"!"
    )
    match = kubemedic_in_process("match", "--json", stdin=paste, env=env)
    assert match.json()["matches"][0]["id"] == "frob-overload"


def test_user_catalog_adds_and_overrides_entries(tmp_path: Path) -> None:
    (tmp_path / "frob-overload.yaml").write_text(
        GOOD_ENTRY.format(id="frob-overload", title="Frob")
    )
    (tmp_path / "oom-killed.yaml").write_text(
        GOOD_ENTRY.format(id="oom-killed", title="Our OOM runbook")
    )
    env = {"KUBEMEDIC_CATALOG_DIRS": str(tmp_path)}
    rows = {
        row["id"]: row for row in kubemedic_in_process("catalog", "list", "--json", env=env).json()
    }
    assert rows["oom-killed"]["title"] == "Our OOM runbook"
    match = kubemedic_in_process(
        "match", "--json", stdin=b"frobnicator quantum flux overload detected", env=env
    )
    assert match.json()["matches"][0]["id"] == "frob-overload"


def test_missing_catalog_directory_is_reported(tmp_path: Path) -> None:
    result = kubemedic_in_process(
        "catalog", "check", env={"KUBEMEDIC_CATALOG_DIRS": str(tmp_path / "nope")}
    )
    assert result.code == 2
    assert "not a readable directory" in result.stderr


def test_version_names_the_installed_release() -> None:
    result = kubemedic("--version")
    assert result.code == 0
    assert result.stdout.strip().startswith("kubemedic 0.")


def test_guards_that_contradict_the_entrys_own_symptoms_are_reported(tmp_path: Path) -> None:
    # an `excludes` matching the entry's own symptom would blind the entry to its own failure;
    # a `requires` that none of its symptoms satisfies would keep it from ever being answered
    def entry(entry_id: str, guards: str) -> str:
        return (
            GOOD_ENTRY.format(id=entry_id, title="T").replace(
                'symptoms: ["frobnicator quantum flux overload detected"]',
                'symptoms: ["frobnicator quantum flux overload detected", "NodeHasNoFlux but overload"]',
            )
            + guards
        )

    (tmp_path / "blind.yaml").write_text(entry("blind", "excludes: ['NodeHasNoFlux']\n"))
    (tmp_path / "mute.yaml").write_text(entry("mute", "requires: ['(?i)istio']\n"))
    (tmp_path / "fine.yaml").write_text(
        entry("fine", "excludes: ['FluxNominal']\nrequires: ['(?i)frobnicator']\n")
    )
    result = kubemedic_in_process("catalog", "check", env={"KUBEMEDIC_CATALOG_DIRS": str(tmp_path)})
    assert result.code == 2
    assert (
        "blind.yaml:9: entry: excludes[0] 'NodeHasNoFlux' matches the entry's own symptoms[1]"
        in result.stderr
    )
    assert "mute.yaml:9: entry: requires: none of the entry's symptoms" in result.stderr
    assert "fine.yaml" not in result.stderr
    assert "2 problem(s)" in result.stderr


def test_a_go_stack_frame_as_a_fuzzy_symptom_is_refused(tmp_path: Path) -> None:
    # read fuzzily, helm's storage frame resembled every helm frame of a --debug trace
    (tmp_path / "frob-trace.yaml").write_text(
        GOOD_ENTRY.format(id="frob-trace", title="Frob").replace(
            'symptoms: ["frobnicator quantum flux overload detected"]',
            'symptoms: ["frobnicator quantum flux overload detected", '
            '"example.com/frob/pkg/storage.(*Storage).DeployedAll"]',
        )
    )
    result = kubemedic_in_process("catalog", "check", env={"KUBEMEDIC_CATALOG_DIRS": str(tmp_path)})
    assert result.code == 2
    assert "frob-trace.yaml:4: symptoms: symptoms[1] is a Go stack frame" in result.stderr, (
        result.stderr
    )
