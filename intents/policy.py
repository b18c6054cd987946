"""Every threshold and weight that decides an answer, in one object.

The decision's rules (intents.decision) and the scoring beneath them (the index, the
segmenter, the matcher) read their numbers from `POLICY` and nowhere else; a test lists
any number that creeps back into a module. Input bounds (`MAX_*`, sizes that cap work on
hostile input) are not tuning and stay beside the code they protect.

Where a value came from: the confidence thresholds from `python -m bench.calibrate` on
the labelled corpus; the close-call lead from `python -m bench.carryover`; the rest from
the development half of tests/corpus/real (docs/matching.md, "The policy").
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Policy:
    """The decision's numbers. Scores are 0..1; a match is answered at `medium` or above."""

    # -- confidence ---------------------------------------------------------------------
    high: float = 0.72
    """A score at or above this is high confidence."""
    medium: float = 0.50
    """A score at or above this is medium confidence: the bot answers."""
    quiet_score: float = 0.49
    """The score a rule that silences an entry gives it (just below medium: listed, not said)."""

    # -- the catalog index (intents.index) ---------------------------------------------
    min_index_df: int = 64
    """Tokens used by fewer symptoms than this (or `index_df_fraction` of them) get postings."""
    index_df_fraction: float = 0.005
    signal_df_fraction: float = 0.05
    """A token used by at most this share of symptoms is a signal word."""
    hapax_weight: float = 0.5
    """Weight of a token written once in the whole catalog (likelier an example value than a
    signature), unless the entry's title or summary names it."""
    generic_weight: float = 0.4
    """Weight of an exit/status value that only says 'it failed' (exit code 1)."""
    min_token_weight: float = 0.02
    """The least weight a token has, however many entries use it."""
    full_mass_factor: float = 1.2
    """A line holding this many times log(entries + 1) of a symptom's weight carries full
    information (fewer rare words: its score is scaled down)."""

    # -- segments (intents.segments) ----------------------------------------------------
    window_chars: int = 400
    """A long line is read in windows of this many characters..."""
    window_step: int = 300
    """...starting this far apart."""
    short_line_chars: int = 120
    """Lines this short may be grouped with their neighbours into one segment."""
    continuation_lines: int = 3
    """Indented lines read as the continuation of the line above, at most."""

    # -- scoring a line against a symptom (intents.matcher, intents.fields) ---------------
    min_coverage: float = 0.30
    """A symptom is shortlisted when the paste holds this share of its weight."""
    shortlist_symptoms: int = 80
    """Symptoms scored per paste, best coverage first."""
    segments_per_symptom: int = 12
    """Segments considered per symptom, by overlap."""
    fuzzy_segments: int = 3
    """Segments fuzzy-compared per symptom."""
    fuzzy_ceiling_min: float = 0.2
    """A segment whose best possible score is below this is not fuzzy-compared."""
    fuzzy_share: float = 0.3
    """Share of a line's score the word-order similarity decides (the rest: the words held)."""
    pattern_segments: int = 200
    """Segments a catalog regex runs on, per pattern."""
    conflict_factor: float = 0.5
    """Multiplier for each value (exit code, Reason) a symptom and a line disagree on."""
    polarity_factor: float = 0.5
    """Multiplier for a negated symptom ('was not created') on a line naming no failure."""
    open_score: float = 0.9
    """Score of an entry a wrapper message names when no format reads its detail."""
    near_min_letters: int = 3
    """A message format's `near` word (a misspelling allowed) and its value have at least this
    many letters."""
    log_lines: int = 60
    """Lines of a container's log the text matcher reads, the last ones."""

    # -- an entry's own strength ------------------------------------------------------
    corroboration_min: float = 0.45
    """A symptom scoring at least this is 'hit' (tie-breaks, corroboration)."""
    support_min: float = 0.30
    """A separate line must score at least this to corroborate."""
    support_weight: float = 0.5
    """Share of a corroborating line's score that counts (1 = fully independent)."""
    max_supports: int = 2
    """Corroborating lines counted beyond the best one."""
    several_symptoms_bonus: float = 0.05
    """Per extra symptom of the entry that hit."""
    fallback_discount: float = 0.85
    """A catch-all entry's strength is multiplied by this."""
    required_cap: float = 0.45
    """Strength of an entry whose `requires` context is absent from the paste."""
    denied_score: float = 0.30
    """Strength at most of an entry the paste says is not so ("no OOMKilled"): listed, far enough
    below an answer that no tie with what remains holds it back."""

    # -- rules between entries ------------------------------------------------------------
    specific_margin: float = 0.01
    """A catch-all yields to a specific entry by this much."""
    scheduler_margin: float = 0.05
    """Entries whose scheduler clause is not the likeliest cause fall this far below it."""
    clause_min: float = 0.3
    """An entry explains a scheduler clause when it scores at least this on it alone."""
    rare_min_tokens: int = 2
    """Signature words of the entry a line must hold for the rare-word floor."""
    rare_min_strength: float = 0.30
    """The rare-word floor lifts an entry only from this strength up..."""
    rare_unique_gap: float = 0.15
    """...when the next entry is at least this far below."""
    discriminating_df_share: float = 0.05
    """A word is discriminating when at most this share of entries use it..."""
    discriminating_min_df: int = 3
    """...or at most this many."""
    ambiguity_gap: float = 0.02
    """Two entries closer than this on one line, below high: neither is said."""

    # -- evidence rules (bot.evidence.rules) -----------------------------------------------
    unscheduled_grace: float = 60.0
    """Seconds a new pod may wait before "no scheduler acted on it" is a fact, not a race."""
    scheduler_reading_strength: int = 2
    """A FailedScheduling event read clause by clause is as specific as a reason plus a message."""

    # -- findings: text and evidence together (bot.diagnosis) ----------------------------
    match_pool: int = 10
    """Text matches handed to the decision per subject."""
    clear_lead: float = 0.20
    """A medium text-only first finding must lead every rival by this much to be said."""
    promote_margin: float = 0.25
    """A named-outright entry goes before a confirmed broader one when the broader one's text
    score trails it by at least this much."""
    confirming_tail: int = 40
    """Characters of a line's end that must sit in a fact for the line to be its source."""
    stated_score: float = 1.0
    """What a `states` evidence rule holding on a pasted object is worth: a pattern's full score
    (bot.diagnosis.paste_evidence)."""

    # -- reading pastes (bot.diagnosis.paste_*) ----------------------------------------
    starting_grace: int = 300
    """Seconds a pasted pod may be Pending, ContainerCreating or in Init and still be starting."""
    not_ready_grace: int = 120
    """Seconds a pasted Running pod may be not ready (its readiness probe warming up)."""
    stuck_waiting_count: int = 10
    """Times a Normal waiting event may repeat before the wait is the problem (a controller
    retries about every 15 s: ten is minutes)."""
    recent_restart: int = 3600
    """Seconds since a `get pods` row's last restart within which the pod is still failing."""
    starting_values_grace: int = 60
    """Seconds a LoadBalancer's EXTERNAL-IP <pending> (an HPA's TARGETS <unknown>) is still starting."""
    sentence_min_words: int = 5
    """Words a line needs to be a sentence someone wrote rather than a component's message."""
    prose_share: float = 0.5
    """A paste is told in prose when at least this share of its lines are sentences..."""
    log_share: float = 0.15
    """...and is a log below this share; between the two, mixed (the learned decision's
    thresholds are calibrated per kind)."""

    problems: int = 3
    """Problems one answer names at most (the answer and the others of their own)."""

    # -- asking and the team's examples (bot.answering.asking, intents.examples) ---------
    choices: int = 3
    """Candidates offered in "Is it one of these?"."""
    ask_min_score: float = 0.30
    """A candidate without evidence in the paste (a text-model guess alone) opens "Is it one of
    these?" only from this score up; one a line or a fact of the paste speaks for is offered at
    any score. A direct ask with neither is told there is no answer (and handed off, when an
    agent is configured)."""
    example_min_words: int = 6
    """Normalised words an example needs to answer a later paste (and no fewer than
    `example_lead_words`, the words it is looked up by)."""
    example_lead_words: int = 6
    example_extra_words: int = 24
    """Words a later paste may hold besides the example's (a greeting, a prompt line)..."""
    example_extra_share: float = 0.5
    """...and never more than this share of the example's own words."""

    # -- the suspects walk (bot.diagnosis.suspects; docs/suspects.md "How it ranks") ------
    walk_confirmed: float = 0.9
    """How sure a check is when events or recorded state say the cause outright..."""
    walk_observed: float = 0.8
    """...when the objects show it (a port no container declares)..."""
    walk_inferred: float = 0.6
    """...and when it follows from the objects though nothing shows it failing."""
    walk_judge_penalty: float = 0.1
    """A pod judge's cause is about one pod: this far below its score (twice when unconfirmed)."""
    walk_empty_endpoints: float = 0.45
    """A Service without endpoints whose workload has no pod: a symptom of whatever stops it."""
    walk_selector_typo: float = 85.0
    """rapidfuzz ratio (0..100) from which a label value reads as a typo of a selector's, for a
    workload named as the Service."""
    walk_tight_liveness: int = 10
    """Seconds (delay + period x threshold) under which a liveness probe kills a healthy
    container that answers slowly."""
    walk_env_near: float = 80.0
    """rapidfuzz ratio from which an env value's host reads as a misspelt Service name."""
    walk_env_unknown: float = 0.45
    """A host like no Service there that the caller's log shows failing: perhaps a dependency
    left out on purpose, so low."""
    walk_indirect: float = 0.35
    """Most a suspect seen only through callers' timeouts scores (never stated as the answer)."""
    walk_node_share: float = 0.6
    """A node is the common factor when this share of the timed-out calls go to its pods..."""
    walk_node_callees: int = 2
    """...and calls to at least this many Services on it time out."""
    walk_named_boost: float = 0.06
    """A suspect on the chain of an object the symptom names goes up this much..."""
    walk_unnamed_cost: float = 0.08
    """...and one off it goes down this much, when the symptom names some."""
    walk_class_boost: float = 0.03
    """A suspect that shows as the symptom's class (unreachable, restarts...) goes up this much..."""
    walk_class_cost: float = 0.06
    """...and one that shows otherwise goes down this much."""
    walk_symptom_gap: float = 0.2
    """A symptom ranks at least this far below the cause found beside it..."""
    walk_symptom_cap: float = 0.45
    """...and never above this (below medium: named, not stated)."""
    walk_unseen_cap: float = 0.45
    """Most a suspect scores when a fact it rests on was not seen (not in the input): named and
    asked about, never a medium or high answer."""
    walk_ready_cap: float = 0.6
    """Most a pod's cause scores when the pod is Running and ready since after every failure it
    shows, not yet long enough to call them over: said at medium at most, never high."""
    walk_history_cap: float = 0.3
    """Most a suspect scores when the input's present contradicts it (a `not found` for an object
    listed now, a refusal a later success superseded): history, ranked after every current one."""
    walk_floor: float = 0.05
    walk_ceiling: float = 0.97
    """A suspect's score stays within these."""
    walk_cpu_saturated: float = 0.9
    """A pod whose `kubectl top` CPU reaches this share of its CPU limit is throttled by it."""
    walk_chronic_gap: float = 3600.0
    """Seconds a failure must have begun before the newest one to be chronic (history the new
    fault is ranked above)..."""
    walk_chronic_ratio: float = 3.0
    """...and at least this many times as long before it as the newest is old: two failures of
    days ago are both old, one of days ago beside one of minutes ago is chronic."""
    walk_name_prefix: int = 3
    """Letters a word of the symptom needs to name an object ("cart" -> cartservice)."""
    walk_config_key_near: float = 75.0
    """rapidfuzz ratio from which a key a ConfigMap has reads as the one the app read, renamed."""
    walk_route_404s: int = 3
    """Access lines of a route its backend must answer 404 (and nothing else lately) before the
    route is said to send there wrongly: one 404 is a missing page, not a misroute."""
    walk_route_named_elsewhere: float = 0.45
    """A route that names one Service and sends to another, with nothing showing what users get:
    offered low, never stated (a team may route a path to a Service named otherwise)."""
    walk_slowest: float = 0.55
    """The deepest Service the alerts measure slow: measured, but its cause (the network under
    it) inferred, so medium at most whatever the symptom's words add..."""
    walk_slow_caller_lift: float = 0.01
    walk_slow_callers_cap: float = 0.04
    """...lifted this much for each abnormal Service above it, up to the cap."""

    def index_key(self) -> str:
        """The values the built index depends on (part of the index cache's key)."""
        fields = (
            "min_index_df",
            "index_df_fraction",
            "signal_df_fraction",
            "hapax_weight",
            "generic_weight",
            "min_token_weight",
            "full_mass_factor",
        )
        values = asdict(self)
        return ",".join(f"{name}={values[name]}" for name in fields)


POLICY = Policy()
"""The policy the product runs with."""
