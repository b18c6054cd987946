"""A failure told in sentences: which object it is about, what it does, and the message it quotes.

People tell a failure before they paste it, or instead: "the worker pods keep restarting since
the upgrade, `exec format error` in the logs", "our PVC has been Pending for an hour". A sentence
someone wrote is read for its subject (the kind of object: pod, node, volume, Service, image,
...), its state (what the object does: restarts, stays pending, is killed, times out, is
refused, is not found, ...) and its evidence (the message it quotes in backticks or quotes).

`python -m bench.calibration_bench` reports failures told in words by subject. Component output
(log lines, tables) is not read here: the readings and the message formats read it.

`asks_only` says whether a paste only asks how something works: questions, and no failure of the
asker's own (the decision's `a question` rule gives such a paste no diagnosis).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from intents.lazy_re import LazyPattern, lazy_compile
from intents.policy import POLICY


def _words(pattern: str) -> LazyPattern:
    return lazy_compile(pattern, flags=re.IGNORECASE)


SUBJECTS: dict[str, LazyPattern] = {
    "pod": _words(r"\b(?:pods?|containers?|replicas?|init ?containers?|sidecars?)\b"),
    "node": _words(r"\b(?:nodes?|kubelet|workers? nodes?|control[- ]plane|masters?)\b"),
    "volume": _words(
        r"\b(?:pvcs?|pvs?|persistent ?volume(?: ?claim)?s?|volumes?|mounts?|storage ?class(?:es)?)\b"
    ),
    "service": _words(r"\b(?:services?|svc|endpoints?|load ?balancers?|external ?ip)\b"),
    "ingress": _words(r"\b(?:ingress(?:es)?|gateways?|http ?routes?|ingress[- ]nginx|traefik)\b"),
    "image": _words(r"\b(?:images?|registry|registries|docker ?hub|ghcr|ecr|pull(?:ing|s|ed)?)\b"),
    "job": _words(r"\b(?:jobs?|cron ?jobs?)\b"),
    "workload": _words(
        r"\b(?:deployments?|rollouts?|statefulsets?|daemonsets?|replica ?sets?|helm|charts?)\b"
    ),
    "dns": _words(r"\b(?:dns|coredns|kube-dns|nslookup|name resolution|resolve|resolving)\b"),
    "certificate": _words(r"\b(?:certificates?|certs?|tls|x509|ssl|cert-manager)\b"),
    "network": _words(
        r"\b(?:network(?:ing)?|cni|calico|flannel|cilium|weave|network ?polic(?:y|ies))\b"
    ),
    "probe": _words(r"\b(?:probes?|liveness|readiness|startup ?probe|health ?checks?)\b"),
    "api": _words(r"\b(?:api ?server|kubectl|kubeconfig|apiserver|etcd|webhooks?)\b"),
    "memory": _words(r"\b(?:memory|ram|heap|oom\w*|out[- ]of[- ]memor(?:y|ies))\b"),
    "cpu": _words(r"\b(?:cpus?|cores?|throttl\w*)\b"),
    "disk": _words(r"\b(?:disks?|ephemeral[- ]storage|inodes?|filesystems?)\b"),
    "permission": _words(
        r"\b(?:rbac|roles?|service ?accounts?|permissions?|forbidden|unauthori[sz]ed)\b"
    ),
}
"""The objects (and the resources they run short of) a sentence may be about."""

STATES: dict[str, LazyPattern] = {
    "restarting": _words(
        r"\b(?:crash\w*|restart\w*|keeps? (?:dying|failing)|dies|died|back-?off|exits?|exited)\b"
    ),
    "pending": _words(
        r"\b(?:pending|not (?:being )?scheduled|unschedulable|can'?t be scheduled|never scheduled)\b"
    ),
    "killed": _words(r"\b(?:killed|oom\w*|out[- ]of[- ]memor(?:y|ies)|sigkill|137)\b"),
    "not ready": _words(r"\b(?:not ?ready|never (?:becomes? )?ready|unhealthy|0/\d+)\b"),
    "evicted": _words(r"\bevict\w*\b"),
    "stuck": _words(
        r"\b(?:stuck|hangs?|hanging|hung|forever|indefinitely|terminating|containercreating)\b"
    ),
    "timeout": _words(r"\b(?:time[sd]? ?out|timing out|deadline|i/o timeout)\b"),
    "refused": _words(
        r"\b(?:refus\w*|unreachable|can'?t (?:reach|connect)|cannot (?:reach|connect)|no route)\b"
    ),
    "not found": _words(
        r"\b(?:not found|does ?n[o']t exist|missing|no such|unknown|manifest unknown|404)\b"
    ),
    "denied": _words(r"\b(?:forbidden|denied|unauthori[sz]ed|not allowed|permission)\b"),
    "full": _words(
        r"\b(?:full|no space|out of (?:disk|space)|pressure|exhausted|exceed\w*|quota|limit)\b"
    ),
    "expired": _words(
        r"\b(?:expired?|not yet valid|unknown authority|self[- ]signed|invalid certificate)\b"
    ),
    "failing": _words(r"\b(?:fail\w*|errors?|broken|doesn'?t work|not working)\b"),
}
"""What the object does, in people's words."""

_QUOTED = lazy_compile(r"`([^`\n]{6,300})`|\"([^\"\n]{12,300})\"")
_STAMP = lazy_compile(r"\d\d:\d\d:\d\d")
_WORD = lazy_compile(r"[A-Za-z]{2,}")
MAX_LINES = 60


@dataclass(frozen=True)
class Told:
    """What a paste's sentences say: the objects, the states, the messages they quote."""

    subjects: frozenset[str] = frozenset()
    states: frozenset[str] = frozenset()
    evidence: tuple[str, ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.subjects or self.states)


def _written(line: str) -> bool:
    stripped = line.strip()
    return (
        "  " not in stripped
        and not _STAMP.search(stripped)
        and len(_WORD.findall(stripped)) >= POLICY.sentence_min_words
    )


def _said(words_of: dict[str, LazyPattern], prose: str) -> frozenset[str]:
    """The names whose words the prose says."""
    return frozenset(name for name, words in words_of.items() if words.search(prose))


def told(text: str) -> Told:
    """The subjects, states and quoted messages of the paste's written sentences."""
    sentences = [line for line in text.splitlines()[:MAX_LINES] if _written(line)]
    if not sentences:
        return Told()
    prose = "\n".join(sentences)
    evidence = tuple(a or b for a, b in _QUOTED.findall(prose))
    return Told(
        _said(SUBJECTS, prose),
        _said(STATES, prose),
        evidence,
    )


_QUESTION_WORDS = {
    "openers": "so and but also then or hi hello hey ok okay btw well",
    "interrogatives": "how what what's why when where which who whose is are was were do does "
    "did can could should would will shall may might has have any anyone anybody if isn't aren't "
    "doesn't don't",
    "askers": "i i'm i've im we we're we've my our us me keeps? always still now sometimes "
    "getting got gets gives? shows? showing says saying",
    "first person": "i i'm i've we we're we've my our",
    "troubles": r"not never cannot dead down lost leak\w* fill\w* issues? problems? bug",
}
"""The words the question reading looks for, by what they say (a sentence's opening, its
question word, who it is about, what trouble it reports)."""
_LABEL = r"(?:(?:a |one |quick |simple |general |small )?(?:question|q)\b[^:?\n]{0,80}:\s*)?"
"""A sentence introduced as a question ("Question about liveness probes: when ... ?")."""
_ANY = {name: "(?:" + "|".join(words.split()) + ")" for name, words in _QUESTION_WORDS.items()}
_QUESTION = {
    name: _words(pattern)
    for name, pattern in {
        # how a question opens (after a greeting or a conjunction)
        "asking": rf"^{_LABEL}(?:{_ANY['openers']}\b[,\s]*)*{_ANY['interrogatives']}\b",
        # a question word that asks without the mark ("what does X mean"; "could not find" is no
        # question, a message is)
        "unmarked": rf"^(?:{_ANY['openers']}\b[,\s]*)*(?:how|what|what's|why|when|where|which)\b",
        # what makes a failure asked about the asker's own: who has it, that it happens
        "asker": rf"\b{_ANY['askers']}\b",
        "first person": rf"\b{_ANY['first person']}\b",
        "trouble": rf"\b{_ANY['troubles']}\b|\bno longer\b|n't\b",
        # a line no one writes as a sentence: a clock time, aligned columns, a field, code, a prompt
        "output": r"\d\d:\d\d:\d\d|\s{3}\S|^\s*[\w.-]+:\s|[{}\[\]<>=]|^\s*\$ |```",
        "sentence end": r"(?<=[.!?])\s+",
        # a message quoted in the question, of more than one word (a quoted term, `CrashLoopBackOff`,
        # is what the question asks about)
        "quoted": r"`[^`\s]{1,300}\s[^`\n]{3,300}`|\"[^\"\s]{1,300}\s[^\"\n]{6,300}\""
        r"|'[^'\s]{1,300}\s[^'\n]{6,300}'",
        "remedy": r"\b(?:fix|solve|resolve|debug|troubleshoot|recover|work ?around|get rid of)\b",
        # a failure supposed, not had: the clause of a conditional question ("if my probe fails,")
        "supposed": rf"^(?:{_ANY['openers']}\b[,\s]*)*(?:what happens )?(?:if|in case|suppose)\b[^,?]{{1,200}},",
    }.items()
}


def _failing(sentence: str) -> bool:
    return any(state.search(sentence) for state in STATES.values())


def _asked(sentence: str) -> bool:
    """Ends with a question mark, or opens as a question and ends with none of a statement's
    marks (people drop the mark in chat: "what does CrashLoopBackOff mean"; not a template's
    "What happened: pods crash")."""
    end = sentence.rstrip(" )\"'*")
    if end.endswith("?"):
        return True
    unmarked = not end.endswith((".", "!", ";", ",")) and ":" not in end
    return unmarked and bool(_QUESTION["unmarked"].search(end))


def _own_failure(sentence: str) -> bool:
    """A sentence that is no general question: a failure stated, or asked about as the asker's
    (theirs, quoted, or to be fixed: "how do I fix 'volume node affinity conflict'?")."""
    asked = _asked(sentence) and bool(_QUESTION["asking"].search(sentence))
    if not asked:
        reports = _QUESTION["first person"].search(sentence) and _QUESTION["trouble"].search(
            sentence
        )
        return bool(reports or _QUOTED.search(sentence) or _failing(sentence))
    told = _QUESTION["supposed"].sub("", sentence, count=1)  # "if my probe fails, does it...?"
    mine = _QUESTION["asker"].search(told) and _failing(told)
    return bool(
        mine or _QUESTION["quoted"].search(sentence) or _QUESTION["remedy"].search(sentence)
    )


def questions_only(line: str) -> bool:
    """Every sentence of the line is a question ("how do probes work? do they restart it?"; not
    "Are you trying to mount a directory onto a file? Check the host path")."""
    sentences = [s for s in _QUESTION["sentence end"].split(line.strip(" *_>")) if s.strip()]
    return bool(sentences) and all(_asked(s) for s in sentences)


def asks_only(text: str) -> bool:
    """The paste asks how something works and shows no failure of its own: written sentences
    only (no log line, table, field or code block), at least one of them a question, and no
    failure stated or asked about as the asker's ("how do liveness probes work?", not "why does
    my liveness probe fail?")."""
    lines = [line.strip(" *_>") for line in text.splitlines()[:MAX_LINES] if line.strip()]
    if not lines or any(_QUESTION["output"].search(line) for line in lines):
        return False
    sentences = [s for line in lines for s in _QUESTION["sentence end"].split(line) if s.strip()]
    if any(_own_failure(s) for s in sentences):
        return False
    return any(_asked(s) and _QUESTION["asking"].search(s) for s in sentences)
