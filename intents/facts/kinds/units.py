"""The node's systemd units (kubelet, containerd...): only a pasted `systemctl status` shows one."""

from __future__ import annotations

from intents.facts.kind import FactKind, Facts, Rule, RuleField, SafeRegex, node
from intents.regex_engine import compile_regex


def check(rule: Rule, facts: Facts) -> str | None:
    """A systemd unit of the node in the state the rule names."""
    found = node(facts)
    for unit in found.units if found is not None else []:
        if rule.systemd_unit is not None and not compile_regex(rule.systemd_unit).fullmatch(
            unit.name
        ):
            continue
        if rule.unit_state is not None and not compile_regex(rule.unit_state).fullmatch(unit.state):
            continue
        return f"systemd unit {unit.name}.service is {unit.state}" + (
            f" ({unit.sub})" if unit.sub else ""
        )
    return None


KIND = FactKind(
    "units",
    110,
    "NodeFacts.units",
    __doc__ or "",
    check=check,
    fields=(
        RuleField(
            "systemd_unit",
            SafeRegex | None,
            "A systemd unit of the node whose name (without `.service`) the regex matches whole...",
        ),
        RuleField(
            "unit_state",
            SafeRegex | None,
            "...in an `Active:` state the regex matches whole (inactive, failed, activating).",
        ),
    ),
)
