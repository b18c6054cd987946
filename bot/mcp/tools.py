"""What the MCP tools do, without the protocol: bounded inputs in, agent views out.

Read-only and held to the bot's limits: the kubeconfig contexts of
KUBEMEDIC_CONTEXTS (the bot's `ClusterDirectory`), the namespaces of
KUBEMEDIC_NAMESPACES when it is set, a pasted text of at most 40 KB (a Slack
message's worth), redacted before it is matched. Every refusal is a
`BadInput` (or the cluster's own `UserFacingError`) with one line saying why.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from bot.answering.diagnosing import Diagnoser
from bot.answering.ports import Readers
from bot.answering.request_text import symptom_of
from bot.answering.requests import DiagnoseRequest
from bot.cluster.names import check_name, check_namespace, parse_pod_ref, parse_service_ref
from bot.errors import BadInput
from bot.mcp.catalog import entry_view, find_entry, search
from bot.runtime.budget import TEXT_CPU_SECONDS, off_loop
from intents.matcher import Matcher
from responses.agent_models import (
    CatalogEntryView,
    CatalogSearchResult,
    DiagnoseResult,
    MatchErrorResult,
)
from responses.agent_view import diagnose_result, match_result
from responses.diagnosis import Diagnosis, PodRow
from responses.redaction import redact_paste

MAX_TEXT_BYTES = 40 * 1024
"""A pasted text's limit, as for a Slack message (40,000 characters)."""
MAX_QUERY_CHARS = 500
MAX_TOP = 10
KINDS = ("pod", "namespace", "service", "node")


def bounded_text(text: str, *, what: str = "text") -> str:
    """The text, if it is neither empty nor over MAX_TEXT_BYTES (BadInput saying which)."""
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_TEXT_BYTES:
        raise BadInput(
            f"{what} is {size:,} bytes; match_error reads at most {MAX_TEXT_BYTES:,} bytes "
            f"(40 KB, a Slack message's worth): send the lines around the error"
        )
    if not text.strip():
        raise BadInput(f"{what} is empty: pass the error text as it was printed")
    return text


def bounded_top(top: int, *, limit: int = MAX_TOP) -> int:
    if not 1 <= top <= limit:
        raise BadInput(f"top must be between 1 and {limit} (got {top})")
    return top


class KubemedicTools:
    """The four tools over one catalog and the allowlisted clusters."""

    def __init__(
        self,
        *,
        matcher: Matcher,
        readers: Readers,
        namespaces: Sequence[str],
        timeout: float,
        text_seconds: float = TEXT_CPU_SECONDS,
    ) -> None:
        self.matcher = matcher
        self.text_seconds = text_seconds
        """CPU seconds a pasted text's redaction, and again its matching, may take."""
        self.namespaces = tuple(namespaces)
        """KUBEMEDIC_NAMESPACES: the only namespaces `diagnose` reads and shows (empty: all)."""
        self.diagnoser = Diagnoser(
            matcher=matcher,
            readers=readers,
            timeout=timeout,
            text_seconds=text_seconds,
            namespaces=namespaces,
        )

    async def match_error(self, text: str, top: int = 3) -> MatchErrorResult:
        """The bot's paste path: redacted, then matched, each within its CPU budget (a text that
        costs more is refused as too costly to read)."""
        bounded, top = bounded_text(text), bounded_top(top)
        pasted = await off_loop(self.text_seconds, redact_paste, bounded)  # its one redaction
        return match_result((await self.diagnoser.paste(pasted, top=top)).diagnosis)

    async def diagnose(
        self,
        kind: str,
        name: str | None = None,
        namespace: str | None = None,
        context: str | None = None,
        symptom: str | None = None,
    ) -> DiagnoseResult:
        request = self.request(
            kind, name=name, namespace=namespace, context=context, symptom=symptom
        )
        diagnosis = (await self.diagnoser.diagnose(request)).diagnosis
        return diagnose_result(self.within_allowlist(diagnosis) if kind == "node" else diagnosis)

    def request(
        self,
        kind: str,
        *,
        name: str | None,
        namespace: str | None,
        context: str | None,
        symptom: str | None = None,
    ) -> DiagnoseRequest:
        """The checked request (names as the bot checks them, the namespace allowlist); BadInput."""
        if kind not in KINDS:
            raise BadInput(f"kind must be one of {', '.join(KINDS)} (got {kind[:40]!r})")
        said = symptom_of([symptom]) if symptom else ""
        if said and kind not in ("namespace", "service"):
            raise BadInput(
                "a symptom ranks the suspects of a namespace or a Service: use kind namespace or service"
            )
        build = {
            "pod": self._pod,
            "namespace": self._namespace,
            "service": self._service,
            "node": self._node,
        }[kind]
        request = build(name, namespace)
        return dataclasses.replace(
            request, context=context if context and context.strip() else None, symptom=said
        )

    def _pod(self, name: str | None, namespace: str | None) -> DiagnoseRequest:
        if not name:
            raise BadInput("a pod needs its name (and its namespace, or name as NAMESPACE/NAME)")
        pod_namespace, pod = parse_pod_ref(name, namespace=namespace or None)
        return DiagnoseRequest("pod", namespace=self.allowed(pod_namespace), name=pod)

    def _namespace(self, name: str | None, namespace: str | None) -> DiagnoseRequest:
        if not (namespace or name):
            raise BadInput("a namespace diagnosis needs the namespace")
        return DiagnoseRequest(
            "namespace", namespace=self.allowed(check_namespace(namespace or name or ""))
        )

    def _service(self, name: str | None, namespace: str | None) -> DiagnoseRequest:
        if not name:
            raise BadInput(
                "a Service needs its name (and its namespace, or name as NAMESPACE/NAME)"
            )
        reference = name if "/" in name or not namespace else f"{namespace}/{name}"
        service_namespace, service = parse_service_ref(reference)
        if namespace and service_namespace != namespace:
            raise BadInput(
                f"the Service's namespace is given twice: {namespace!r} and {service_namespace!r}"
            )
        return DiagnoseRequest("service", namespace=self.allowed(service_namespace), name=service)

    def _node(self, name: str | None, namespace: str | None) -> DiagnoseRequest:
        if not name:
            raise BadInput("a node diagnosis needs the node's name")
        return DiagnoseRequest("node", name=check_name(name, what="node"))

    def allowed(self, namespace: str) -> str:
        if self.namespaces and namespace not in self.namespaces:
            raise BadInput(
                f"namespace {namespace!r} is outside KUBEMEDIC_NAMESPACES "
                f"({', '.join(self.namespaces)}): kubemedic does not read it"
            )
        return namespace

    def within_allowlist(self, diagnosis: Diagnosis) -> Diagnosis:
        """A node's diagnosis without the pods (and their causes) of namespaces outside the allowlist."""
        if not self.namespaces:
            return diagnosis
        kept = tuple(row for row in diagnosis.pods if row.pod.split("/", 1)[0] in self.namespaces)
        if len(kept) == len(diagnosis.pods):
            return diagnosis
        hidden = _causes(row for row in diagnosis.pods if row not in kept) - _causes(kept)
        findings = tuple(f for f in diagnosis.findings if f.match.id not in hidden)
        note = f"{len(diagnosis.pods) - len(kept)} pod(s) in namespaces outside KUBEMEDIC_NAMESPACES are not shown"
        return dataclasses.replace(
            diagnosis, pods=kept, findings=findings, notes=(*diagnosis.notes, note)
        )

    def catalog_entry(self, entry_id: str) -> CatalogEntryView:
        return entry_view(find_entry(self.matcher.index.entries, entry_id[:MAX_QUERY_CHARS]))

    def catalog_search(self, query: str, top: int = 5) -> CatalogSearchResult:
        if not query.strip():
            raise BadInput("query is empty: pass a few words, e.g. 'image pull secret'")
        if len(query) > MAX_QUERY_CHARS:
            raise BadInput(
                f"query is {len(query):,} characters; catalog_search takes at most "
                f"{MAX_QUERY_CHARS} (use match_error for an error text)"
            )
        return search(self.matcher.index.entries, query, bounded_top(top, limit=MAX_TOP * 5))


def _causes(rows: Iterable[PodRow]) -> set[str]:
    """The catalog ids the pods were diagnosed with."""
    return {row.finding.match.id for row in rows if row.finding}
