"""Builders for diagnoses of real catalog entries, and a checker of Slack's limits."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from intents.loaded import LoadedCatalog
from intents.results import Match, MatchedLine
from intents.schema import CatalogEntry
from responses.diagnosis import Diagnosis, Finding

MAX_JSON_BYTES = 40_000


def finding(
    entry: CatalogEntry,
    score: float = 0.9,
    *,
    evidence: tuple[str, ...] = (),
    lines: tuple[str, ...] = (),
    text_score: float | None = None,
) -> Finding:
    matched = tuple(MatchedLine(line, entry.symptoms[0], 0.8) for line in lines)
    return Finding(Match(entry, score, matched), evidence, text_score)


def pod_diagnosis(
    *findings: Finding,
    gaps: tuple[str, ...] = (),
    notes: tuple[str, ...] = ("pod status: CrashLoopBackOff",),
) -> Diagnosis:
    return Diagnosis("pod tidb/tikv-0", findings, gaps, cluster="prod", notes=notes)


@pytest.fixture(scope="session")
def entries(builtin_catalog: LoadedCatalog) -> dict[str, CatalogEntry]:
    return builtin_catalog.entries


def texts(node: Any) -> Iterator[tuple[str, str]]:
    """Every (parent type, text) pair of a block tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                yield node.get("type", ""), value
            else:
                yield from texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from texts(item)


def check_limits(blocks: list[dict[str, Any]]) -> None:
    """Slack's limits, checked by slack_sdk's models and once more by hand."""
    assert 0 < len(blocks) <= 50
    assert len(json.dumps(blocks, ensure_ascii=False).encode()) < MAX_JSON_BYTES
    for data in blocks:
        model = Block.parse(data)
        assert model is not None
        assert model.to_dict() == data  # validates every slack_sdk limit
        kind = data["type"]
        if kind == "header":
            assert len(data["text"]["text"]) <= 150
        if kind == "section":
            assert len(data["text"]["text"]) <= 3000
        if kind == "context":
            assert 1 <= len(data["elements"]) <= 10
            assert all(len(e["text"]) <= 3000 for e in data["elements"])
        if kind == "actions":
            assert len(data["elements"]) <= 25
            for button in data["elements"]:
                assert len(button["text"]["text"]) <= 75
                assert len(button["value"]) <= 2000
                assert len(button["action_id"]) <= 255
    for _, text in texts(blocks):
        assert len(text) <= 3000
