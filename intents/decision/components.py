"""Which components a paste names, and whether it states the one an entry is about.

An entry of a component (its `product`: Karpenter, MetalLB, external-dns, ...; or, tagged
`apiserver`, the API server) is sure only where the paste states that component: names it, or
shows the entry's own words (one of its regexes, its message format, a fact it confirms). A paste
that names another component and states none of the entry's is that other component's trouble
(`component agreement`, intents.decision.evidence_rules), whatever words the two share: an IAM
refusal, a gRPC dial timeout, a webhook rejection.

The components a paste may name are the catalog's own products (read from the entries) and the
components outside the catalog below; a platform that hosts or deploys components (Helm, a
managed distribution) is never a rival, as a paste about any component names it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from intents.findings import Finding
from intents.keywords import BROAD_TAGS
from intents.schema import CatalogEntry

API_SERVER = "the API server"
API_SERVER_WORDS = re.compile(
    r"(?i)(?<![\w-])(?:kube-)?api[- ]?server(?![\w-])|:6443\b|\bUnable to connect to the server\b"
    r"|\bThe connection to the server\b|\bError from server\b|\bthe server (?:could not find|has asked"
    r"|is currently unable|doesn't have a resource|rejected our request)"
    r"|/api(?:/v1(?:beta\d)?/(?:namespaces|nodes|pods|services|endpoints|persistentvolume"
    r"|configmaps|secrets|events|replicationcontrollers)|\?timeout=)|/apis/[a-z0-9.-]{1,253}/v\d"
)
"""The API server's own words (its name, its port, its REST paths, what kubectl and client-go
print of it): a gRPC dial or an HTTP timeout of some other server is no API server's."""

OUTSIDE = (
    "prometheus", "grafana", "loki", "promtail", "tempo", "jaeger", "thanos",
    "mimir", "temporal", "kafka", "zookeeper", "elasticsearch", "opensearch", "kibana", "logstash",
    "fluentd", "fluent-bit", "rabbitmq", "nats", "cassandra", "clickhouse", "minio", "jenkins",
    "gitlab", "airflow", "spark", "flink", "kubeflow", "harbor", "keycloak", "tekton",
    "crossplane", "dapr", "opentelemetry", "argo workflows",
)  # fmt: skip
"""Components people run on Kubernetes that the catalog has no entries for, as pastes name them."""

PLATFORMS = frozenset({"helm", "amazon eks", "azure aks", "google gke"})
"""Products that host or deploy components rather than being one a paste is about."""


@lru_cache(maxsize=512)
def _spelling(name: str) -> re.Pattern[str]:
    """A name as a paste writes it: its words joined by a dash, a space or nothing."""
    words = [re.escape(word) for word in re.split(r"[-\s]+", name) if word]
    return re.compile(rf"(?i)(?<![\w-]){'[- ]?'.join(words)}(?![\w-])")


def _names(product: str | None) -> tuple[str, ...]:
    """A product's component names ("Istio / Envoy" -> istio, envoy), lower case."""
    if not product:
        return ()
    return tuple(name.strip().lower() for name in product.split("/") if name.strip())


@dataclass(frozen=True)
class Known:
    """The components a paste may name, and the tags that name one product's objects only."""

    names: tuple[str, ...]
    aliases: dict[str, str]


_KNOWN: list[tuple[tuple[CatalogEntry, ...], Known]] = []


def known(catalog: Mapping[str, CatalogEntry]) -> Known:
    """What a catalog's entries say of components (read once per catalog: the same entry objects,
    whatever mapping holds them, for a caller builds a new dict of them per paste)."""
    entries = tuple(catalog.values())
    last = _KNOWN[-1] if _KNOWN else None  # one read: another thread may replace it
    if last is not None and _same(last[0], entries):
        return last[1]
    products = {n for e in entries for n in _names(e.product)}
    found = Known(tuple(sorted((products | set(OUTSIDE)) - PLATFORMS)), aliases(entries))
    _KNOWN[:] = [(entries, found)]
    return found


def _same(before: tuple[CatalogEntry, ...], now: tuple[CatalogEntry, ...]) -> bool:
    return len(before) == len(now) and all(a is b for a, b in zip(before, now, strict=True))


def named(text: str, components: Known) -> frozenset[str]:
    """The components the text names."""
    return frozenset(name for name in components.names if _spelling(name).search(text))


def components_of(entry: CatalogEntry) -> tuple[str, ...]:
    """The components an entry is about: its product's, or the API server for an entry of it
    (tagged `apiserver`, its title naming the API server: not an error the API server returns
    to a client, which any component may print)."""
    own = tuple(n for n in _names(entry.product) if n not in PLATFORMS)
    if own or entry.product:
        return own
    about = "apiserver" in entry.tags and API_SERVER_WORDS.search(entry.title)
    return (API_SERVER,) if about else ()


def own_words(finding: Finding) -> bool:
    """The paste shows the entry's own words: a fact confirms it, or its regex or its message
    format matched a line."""
    return finding.confirmed or finding.match.named_outright


def aliases(entries: Iterable[CatalogEntry]) -> dict[str, str]:
    """Tags that name one product's objects only (`helmrelease` -> Flux): a paste naming one
    states that product as surely as its name."""
    owners: dict[str, set[str | None]] = {}
    for entry in entries:
        for tag in entry.tags:
            owners.setdefault(tag.lower(), set()).add(entry.product)
    return {
        tag: product
        for tag, products in owners.items()
        if len(products) == 1
        and (product := next(iter(products))) is not None
        and tag not in BROAD_TAGS
    }


def states(
    finding: Finding, text: str, components: Known, shown: Collection[str | None] = ()
) -> bool:
    """The paste states the component the finding's entry is about (an entry of none: always);
    `shown`: products whose own words some finding of the paste shows (its regex, format, facts)."""
    entry = finding.match.entry
    mine = components_of(entry)
    if not mine or own_words(finding) or (entry.product is not None and entry.product in shown):
        return True
    if mine == (API_SERVER,):
        return bool(API_SERVER_WORDS.search(text))
    names = {
        *mine,
        *(t.lower() for t in entry.tags if components.aliases.get(t.lower()) == entry.product),
    }
    return any(_spelling(name).search(text) for name in names)


def unsaid(finding: Finding, text: str, components: Known, shown: Collection[str | None]) -> bool:
    """An entry of the API server on a paste that shows none of its words nor the entry's own:
    whatever server the paste dialled (a gRPC dial, an SDK's "failed reaching server"), the paste
    does not say it is the API server, named or not."""
    about = components_of(finding.match.entry) == (API_SERVER,)
    return about and not states(finding, text, components, shown)


def mentioned(finding: Finding, components: Known) -> frozenset[str]:
    """The components named by the entry's own symptoms that the paste's lines matched: a paste
    line resembling "quantum flux overload" names no Flux, it repeats the entry's words."""
    words = "\n".join(line.symptom for line in finding.match.matched)
    return named(words, components) if words else frozenset()


def rivals(
    finding: Finding, text: str, components: Known, shown: Collection[str | None] = ()
) -> frozenset[str]:
    """Components the paste names that the finding's entry is not about and its matched symptoms
    do not name, when it states none of its own (empty: no disagreement)."""
    if states(finding, text, components, shown):
        return frozenset()
    entry = finding.match.entry
    mine = set(components_of(entry)) | {tag.lower() for tag in entry.tags}
    return named(text, components) - mine - mentioned(finding, components)
