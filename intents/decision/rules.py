"""The decision: one ordered list of named rules turns candidates into the answer.

Two boards pass through the list. On the entry board (one paste's text, every catalog entry it
touched; intents.decision.entry_rules) the rules turn each entry's matched lines into a strength
and an order; the best of them become matches. On the finding board (intents.decision.
finding_rules) the matches meet the facts that state, confirm or refute them (a cluster read, or
the kubectl output in a paste) and the rules order the findings, hold back close calls, ask the
learned decision, and say which are problems of their own and what a person is offered.

`RULES` is the order, and each rule's identity: code that needs to know which rule did
something (the one-line why, the learned decision's features, the benches) names the `Rule`
object, never a string of its own. The driver (intents.decision.driver) runs them and records
under each rule's name every change it makes, so no rule acts silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from intents.decision import entry_rules as entry
from intents.decision import evidence_rules as evidence
from intents.decision import finding_rules as finding
from intents.decision import present_rules as present

Stage = Literal["entries", "findings"]


@dataclass(frozen=True)
class Rule:
    """One named rule of the decision and the board it works on."""

    name: str
    stage: Stage
    apply: Callable[[Any], None]
    paste_only: bool = False
    """Runs on pasted text only (a cluster read has no close calls to hold back)."""

    def __str__(self) -> str:
        return self.name


OWN_STRENGTH = Rule("own strength", "entries", entry.own_strength)
CATCH_ALL = Rule("catch-all", "entries", entry.catch_all_discount)
REQUIRES_CONTEXT = Rule("requires context", "entries", entry.requires_context)
KEYWORD_ALONE = Rule("keyword alone", "entries", entry.keyword_alone)
NEEDS_A_RARE_WORD = Rule("needs a rare word", "entries", entry.needs_a_rare_word)
DENIED = Rule("denied", "entries", entry.denied)
WHAT_REMAINS = Rule("what remains", "entries", entry.what_remains)
CATCH_ALL_YIELDS = Rule("catch-all yields", "entries", entry.catch_all_yields)
SCHEDULER_CLAUSES = Rule("scheduler clauses", "entries", entry.scheduler_clauses)
RARE_WORD_FLOOR = Rule("rare-word floor", "entries", entry.rare_word_floor)
AMBIGUOUS_LINE = Rule("ambiguous line", "entries", entry.ambiguous_line)
ORDER_BY_STRENGTH = Rule("order by strength", "entries", entry.order_by_strength)
CLAUSE_PLACES = Rule("clause places", "entries", entry.clause_places)
CATALOG_OUTRANKS = Rule("catalog outranks", "entries", entry.catalog_outranks)
PASTED_FACT = Rule("pasted fact", "findings", finding.pasted_fact, paste_only=True)
EVIDENCE = Rule("evidence", "findings", finding.weigh_evidence)
CONFIRMED_FIRST = Rule("confirmed first", "findings", finding.confirmed_first)
CAUSES_FIRST = Rule("causes first", "findings", finding.causes_first)
FINDING_OUTRANKS = Rule("catalog outranks", "findings", finding.finding_outranks)
POOL = Rule("pool", "findings", finding.pool)
THE_CLUSTER_NOW = Rule("the cluster now", "findings", present.the_cluster_now, paste_only=True)
NAMED_OUTRIGHT = Rule("named outright", "findings", finding.named_outright_first, paste_only=True)
TEAM_EXAMPLE = Rule("team example", "findings", finding.team_example, paste_only=True)
STATED_CAUSE = Rule("stated cause", "findings", finding.stated_cause, paste_only=True)
CLOSE_CALL = Rule("close call", "findings", finding.close_call, paste_only=True)
LEARNED = Rule("learned", "findings", finding.learned, paste_only=True)
OWN_WORDS = Rule("own words", "findings", evidence.own_words_first, paste_only=True)
COMPONENT_AGREEMENT = Rule(
    "component agreement", "findings", evidence.component_agreement, paste_only=True
)
A_QUESTION = Rule("a question", "findings", evidence.a_question, paste_only=True)
FAILURE_OVER = Rule("failure over", "findings", present.failure_over)
SHOWN = Rule("shown", "findings", finding.shown, paste_only=True)
PROBLEMS = Rule("problems", "findings", finding.problems)
OFFERED = Rule("offered", "findings", finding.offered, paste_only=True)

RULES: tuple[Rule, ...] = (
    OWN_STRENGTH,
    CATCH_ALL,
    REQUIRES_CONTEXT,
    KEYWORD_ALONE,
    NEEDS_A_RARE_WORD,
    DENIED,
    WHAT_REMAINS,
    CATCH_ALL_YIELDS,
    SCHEDULER_CLAUSES,
    RARE_WORD_FLOOR,
    AMBIGUOUS_LINE,
    ORDER_BY_STRENGTH,
    CLAUSE_PLACES,
    CATALOG_OUTRANKS,
    PASTED_FACT,
    EVIDENCE,
    CONFIRMED_FIRST,
    CAUSES_FIRST,
    FINDING_OUTRANKS,
    POOL,
    THE_CLUSTER_NOW,
    NAMED_OUTRIGHT,
    TEAM_EXAMPLE,
    STATED_CAUSE,
    CLOSE_CALL,
    LEARNED,
    OWN_WORDS,
    COMPONENT_AGREEMENT,
    A_QUESTION,
    FAILURE_OVER,
    SHOWN,
    PROBLEMS,
    OFFERED,
)
"""The decision, in order."""

NAMES: frozenset[str] = frozenset(rule.name for rule in RULES)
"""Every rule name a step may carry."""
