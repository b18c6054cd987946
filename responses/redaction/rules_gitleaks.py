"""Token shapes from gitleaks' rule set, read from the generated `rules_gitleaks.json` (made by
`python -m responses.redaction.rules_refresh PATH/TO/gitleaks.toml --source ...` from gitleaks'
config/gitleaks.toml, https://github.com/gitleaks/gitleaks, MIT License, Copyright (c) 2019
Zachary Rice; not edited by hand). Each rule: (id, keywords, RE2 regex, secret group (0: the
first group that matched), entropy floor, allowlist regexes on the secret). `ALLOWED` are the
global allowlist regexes (placeholders, booleans, templating).
"""

from __future__ import annotations

import json
from pathlib import Path

TABLE = Path(__file__).with_suffix(".json")

Rule = tuple[str, tuple[str, ...], str, int, float, tuple[str, ...]]


def read_table(text: str) -> tuple[str, tuple[str, ...], tuple[Rule, ...]]:
    """The source, the global allowlist and the rules of a generated table's text."""
    data = json.loads(text)
    rules = tuple(
        (str(id_), tuple(keywords), str(regex), int(group), float(entropy), tuple(allowed))
        for id_, keywords, regex, group, entropy, allowed in data["rules"]
    )
    return str(data["source"]), tuple(data["allowed"]), rules


SOURCE, ALLOWED, RULES = read_table(TABLE.read_text(encoding="utf-8"))
