"""The install checklist `kubemedic doctor` prints and `/diagnose doctor` posts.

A plain result type (one `Check` per line: what was checked, what was found,
and how to fix it when it failed) and its two renderings, terminal text and
Block Kit, so the command line and Slack say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from responses.mrkdwn import escape
from responses.redaction import redact

Status = Literal["ok", "fail", "skip", "info"]
"""ok: passed; fail: broken, `fix` says what to do; skip: could not be checked because an
earlier check failed; info: not a failure (e.g. a read-only install without remediation)."""
LABELS: dict[Status, str] = {"ok": "ok  ", "fail": "FAIL", "skip": "skip", "info": "info"}
ICONS: dict[Status, str] = {
    "ok": ":white_check_mark:",
    "fail": ":x:",
    "skip": ":heavy_minus_sign:",
    "info": ":information_source:",
}
MAX_SECTION = 2900


@dataclass(frozen=True)
class Check:
    """One line of the checklist."""

    name: str
    status: Status
    detail: str
    fix: str = ""


@dataclass(frozen=True)
class DoctorReport:
    """Every check, in the order they were made."""

    checks: tuple[Check, ...]

    @property
    def passed(self) -> bool:
        """True only when every check passed (ok or info): doctor's exit status 0."""
        return all(check.status in ("ok", "info") for check in self.checks)

    @property
    def failed(self) -> int:
        return sum(check.status in ("fail", "skip") for check in self.checks)

    def verdict(self) -> str:
        total = len(self.checks)
        if self.passed:
            return f"all {total} checks passed"
        return f"{total - self.failed} of {total} checks passed; fix the FAIL lines above"


def check_line(check: Check) -> str:
    """`FAIL  Slack scopes: missing pins:write; fix: ...` (one line)."""
    line = f"{LABELS[check.status]}  {check.name}: {check.detail}"
    return f"{line}; fix: {check.fix}" if check.fix and check.status == "fail" else line


def render_doctor_text(report: DoctorReport, *, title: str) -> str:
    """The checklist for a terminal: a title, one line per check, the verdict."""
    lines = [title, *(check_line(check) for check in report.checks), report.verdict()]
    return redact("\n".join(lines)) + "\n"


def doctor_blocks(report: DoctorReport, *, title: str) -> list[dict[str, Any]]:
    """The checklist as Block Kit: a header, one section per few checks, the verdict."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title[:150]}}
    ]
    chunk = ""
    for check in report.checks:
        line = f"{ICONS[check.status]} *{escape(check.name)}*: {escape(redact(check.detail))}"
        if check.fix and check.status == "fail":
            line += f"\n      _fix:_ {escape(redact(check.fix))}"
        if chunk and len(chunk) + len(line) + 1 > MAX_SECTION:
            blocks.append(_section(chunk))
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line[:MAX_SECTION]
    if chunk:
        blocks.append(_section(chunk))
    blocks.append(
        {"type": "context", "elements": [{"type": "mrkdwn", "text": escape(report.verdict())}]}
    )
    return blocks[:50]


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}
