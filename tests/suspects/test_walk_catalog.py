"""Which entry names what the walk finds, and the fix said with it, is catalog data: each entry's
`walk:` claims findings of intents/walk_findings.py with a one-line fix. Every finding the walk
reports is claimed once by the built-in catalog, `catalog check` refuses a claim it cannot
use, and a team's catalog that rewords a fix (or drops a claim) changes what the walk says."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import get_args

from bot.diagnosis.naming import KINDS
from bot.diagnosis.pod import Judge
from bot.diagnosis.suspects.clues import CONFIRMED, Clue
from bot.diagnosis.suspects.rank import rank
from bot.diagnosis.suspects.symptom import read_symptom
from intents.schema import WalkClaim
from intents.walk_findings import WALK_NAMES, WalkFinding
from intents.walk_table import WalkTable
from tests.cli.runner import kubemedic_in_process
from tests.cli.test_catalog_cli import GOOD_ENTRY


def test_every_finding_is_claimed_once_with_names_the_walk_fills(judge: Judge) -> None:
    entries = list(judge.matcher.index.entries)
    table = WalkTable.of(entries)
    assert set(table.claims) == set(get_args(WalkFinding))
    assert set(WALK_NAMES) <= set(KINDS)  # each placeholder is a kind of name the walk checks


def test_catalog_check_refuses_walk_claims_it_cannot_use(tmp_path: Path) -> None:
    claims = {
        "twice": "walk: [{finding: node_cordoned, fix: 'Uncordon it: kubectl uncordon <node>'}]\n",
        "made-up": "walk: [{finding: cosmic_rays, fix: 'Wait'}]\n",
        "unfilled": "walk: [{finding: host_port_taken, fix: 'Free <the-port> on <node>'}]\n",
    }
    for entry_id, extra in claims.items():
        (tmp_path / f"{entry_id}.yaml").write_text(
            GOOD_ENTRY.format(id=entry_id, title=entry_id) + extra
        )
    result = kubemedic_in_process("catalog", "check", env={"KUBEMEDIC_CATALOG_DIRS": str(tmp_path)})
    assert result.code == 2
    assert (
        "twice.yaml:9: walk: finding node_cordoned is also claimed by pending-node-unschedulable"
        in (result.stderr)
    )
    assert "made-up.yaml:9: walk.0.finding" in result.stderr
    assert "unfilled.yaml:9: walk.0: walk fix: unknown placeholder(s) the-port" in result.stderr


def _cordon() -> Clue:
    return Clue(
        "node_cordoned",
        "service/cart",
        "node/worker-1",
        ("cordoned node(s): worker-1",),
        ("service/cart",),
        CONFIRMED,
        fix_names={"node": "worker-1; rm -rf /"},
    )


def test_a_teams_catalog_rewords_the_fix_and_a_dropped_claim_is_not_said(judge: Judge) -> None:
    entries = {entry.id: entry for entry in judge.matcher.index.entries}
    symptom = read_symptom("", ())
    [said] = rank([_cordon()], symptom=symptom, entries=entries)
    assert said.id == "pending-node-unschedulable"
    assert said.fix == "Uncordon the node: kubectl uncordon <node>"  # an invalid name is not filled

    ours = replace(
        entries["pending-node-unschedulable"],
        walk=[WalkClaim(finding="node_cordoned", fix="Page the platform team about <node>")],
    )
    [reworded] = rank(
        [replace(_cordon(), fix_names={"node": "worker-1"})],
        symptom=symptom,
        entries={**entries, ours.id: ours},
    )
    assert reworded.fix == "Page the platform team about worker-1"

    dropped = replace(ours, walk=[])
    assert rank([_cordon()], symptom=symptom, entries={**entries, ours.id: dropped}) == ()
