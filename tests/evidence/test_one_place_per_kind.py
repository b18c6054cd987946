"""A resource kind and an evidence rule field each live in one place, and nothing is left out."""

from __future__ import annotations

import dataclasses
from typing import get_args

from bot.cluster import dump, dump_files, gateway
from bot.cluster.kinds import KINDS
from bot.cluster.reader import Kind
from intents.facts.kinds import KINDS as FACT_KINDS
from intents.schema import EvidenceRule

NOT_PREDICATES = {
    "describe",
    "previous_log",
    "states",
}  # the text shown, a qualifier of log_pattern, how it counts


def test_every_evidence_rule_field_is_declared_by_exactly_one_fact_kind() -> None:
    # a field no kind tests would be accepted by the catalog and then silently never checked
    declared = [name for kind in FACT_KINDS for name in kind.predicates]
    assert sorted(declared) == sorted(
        {field.name for field in dataclasses.fields(EvidenceRule)} - NOT_PREDICATES
    )


def test_the_reader_kinds_are_the_kinds_table() -> None:
    assert set(get_args(Kind)) == set(KINDS)


def test_gateway_and_dump_reader_derive_from_the_kinds_table() -> None:
    assert gateway.RESOURCES is KINDS
    assert set(dump_files.TYPES) == {name for name, spec in KINDS.items() if spec.in_dump_files}
    assert dump.IN_DUMP <= set(dump_files.TYPES)
    assert (
        KINDS["deployments"].prefix == "/apis/apps/v1"
        and KINDS["deployments"].rbac == "deployments.apps"
    )
    assert KINDS["pods"].prefix == "/api/v1" and KINDS["pods"].rbac == "pods"
