"""The Helm chart's values as a Markdown table, from values.yaml and the comments above each
key (docs/install.md holds it; tests/deploy/test_helm.py fails when it is stale).

    python deploy/helm/values_table.py      # print the table
"""

from __future__ import annotations

import re
from pathlib import Path

VALUES = Path(__file__).resolve().parent / "kubemedic" / "values.yaml"
KEY = re.compile(
    r"^(?P<indent> *)(?P<key>[A-Za-z][\w.-]*):(?: +(?P<value>[^#]*?))?\s*(?:#\s*(?P<note>.*))?$"
)


def rows(text: str) -> list[tuple[str, str, str]]:
    """(dotted key, default, what the comments say) for every key, groups included."""
    found: list[tuple[str, str, str]] = []
    comments: list[str] = []
    parents: list[tuple[int, str]] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            comments.append(stripped.lstrip("#").strip())
            continue
        match = KEY.match(line)
        if not match:  # a blank line ends a comment that belongs to no key; list items carry none
            comments = []
            continue
        indent = len(match["indent"])
        while parents and parents[-1][0] >= indent:
            parents.pop()
        key = ".".join([name for _, name in parents] + [match["key"]])
        value = match["value"] or ""
        note = " ".join(comments + ([match["note"]] if match["note"] else []))
        found.append((key, f"`{value}`" if value else "", note.replace("|", "\\|")))
        if not value:
            parents.append((indent, match["key"]))
        comments = []
    return found


def values_table() -> str:
    lines = ["| value | default | what it does |", "|---|---|---|"]
    lines += [
        f"| `{key}` | {default} | {note} |" for key, default, note in rows(VALUES.read_text())
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(values_table())
