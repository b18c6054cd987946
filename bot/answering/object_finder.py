"""Find the pods, workloads and nodes a direct question names, in the allowed clusters only.

One list of pods per searched namespace finds a pod by its name (or the start of it,
"checkout-7d9f") and a workload by the name its pods' owners carry; a node is one `get`. With
no namespace named and an empty allowlist, a pod is looked up by its exact name across
namespaces (a field selector). See bot.answering.naming for what counts as a name.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Sequence

from bot.answering.naming import (
    FIND_SECONDS,
    MAX_CONTEXTS,
    MAX_NAMES,
    MAX_NAMESPACES,
    MAX_PODS,
    Named,
    is_question,
    least_healthy,
    named_like,
    names_in,
    owner_name,
    pod_name,
)
from bot.answering.ports import Readers
from bot.cluster.errors import ClusterError, NotFound
from bot.cluster.reader import ClusterReader, JsonObject
from bot.errors import BadInput
from responses import ask_messages as say

log = logging.getLogger(__name__)


class ObjectFinder:
    """The objects a question names that exist where kubemedic may read."""

    def __init__(self, *, readers: Readers, contexts: Sequence[str], namespaces: Sequence[str]) -> None:
        self.readers = readers
        self.contexts: list[str | None] = [None, *contexts][:MAX_CONTEXTS]
        self.allowed = frozenset(namespaces)

    def _may_read(self, namespace: str) -> bool:
        return not self.allowed or namespace in self.allowed

    async def find(self, text: str) -> list[Named]:
        """Every object the question names that exists (none for a paste or a question naming none)."""
        if not is_question(text):
            return []
        namespaces, words, pairs = names_in(text)
        if not words and not pairs:
            return []
        try:
            found = await asyncio.wait_for(asyncio.gather(*(
                self._in_context(context, namespaces, words[:MAX_NAMES], pairs) for context in self.contexts)),
                FIND_SECONDS)
        except TimeoutError:
            log.info("looking up the objects a question names took over %g s; answering from its words", FIND_SECONDS)
            return []
        return list({named.ref: named for each in found for named in each}.values())

    async def _in_context(self, context: str | None, namespaces: list[str], words: list[str],
                          pairs: list[tuple[str, str]]) -> list[Named]:
        try:
            reader = self.readers.reader(context)
        except (BadInput, ClusterError) as exc:
            log.info("context %s not read for a question: %s", context or "(default)", exc)
            return []
        found: list[Named] = []
        for namespace, name in pairs:
            if self._may_read(namespace):
                found += await self._in_namespace(reader, context, namespace, [name])
        searched = [ns for ns in namespaces if self._may_read(ns)] or sorted(self.allowed)
        for namespace in searched[:MAX_NAMESPACES]:
            found += await self._in_namespace(reader, context, namespace, words)
        like_names = [word for word in words if named_like(word)]
        if not searched:
            found += await self._pods_anywhere(reader, context, like_names)
        return found + await self._nodes(reader, context, like_names)

    async def _in_namespace(self, reader: ClusterReader, context: str | None, namespace: str,
                            words: list[str]) -> list[Named]:
        pods = await self._list(reader, namespace)
        found: list[Named] = []
        for word in words:
            exact = [pod for pod in pods if pod_name(pod) == word]
            if exact:
                found.append(self._pod(reader, context, namespace, word))
                continue
            owned = [pod for pod in pods if (owner := owner_name(pod)) is not None and owner[1] == word]
            prefixed = [pod for pod in pods if pod_name(pod).startswith(f"{word}-")] if named_like(word) else []
            found += self._workloads(reader, context, namespace, owned or prefixed)
        return found

    def _pod(self, reader: ClusterReader, context: str | None, namespace: str, name: str) -> Named:
        return Named("pod", context, namespace, name, say.named_object("pod", f"{namespace}/{name}", reader.cluster_name))

    def _workloads(self, reader: ClusterReader, context: str | None, namespace: str, pods: list[JsonObject],
                   ) -> list[Named]:
        """Each workload among `pods` through its least healthy pod (a lone pod as itself)."""
        groups: dict[tuple[str, str], list[JsonObject]] = defaultdict(list)
        for pod in pods:
            groups[owner_name(pod) or ("pod", pod_name(pod))].append(pod)
        found = []
        for (kind, name), members in sorted(groups.items()):
            chosen = pod_name(least_healthy(members))
            if kind == "pod":
                found.append(self._pod(reader, context, namespace, chosen))
                continue
            said = say.workload_pod(kind, f"{namespace}/{name}", chosen, len(members), reader.cluster_name)
            found.append(Named("pod", context, namespace, chosen, said))
        return found

    async def _pods_anywhere(self, reader: ClusterReader, context: str | None, words: list[str]) -> list[Named]:
        found = []
        for word in words:
            try:
                pods = await reader.list("pods", None, field_selector=f"metadata.name={word}", limit=MAX_NAMESPACES)
            except ClusterError as exc:
                log.info("pods named %s not listed: %s", word, exc)
                continue
            for pod in pods:
                namespace = str((pod.get("metadata") or {}).get("namespace", ""))
                if namespace and self._may_read(namespace):
                    found.append(self._pod(reader, context, namespace, word))
        return found

    async def _nodes(self, reader: ClusterReader, context: str | None, words: list[str]) -> list[Named]:
        found = []
        for word in words:
            try:
                await reader.get("nodes", word)
            except NotFound:
                continue
            except ClusterError as exc:
                log.info("node %s not read: %s", word, exc)
                continue
            found.append(Named("node", context, None, word, say.named_object("node", word, reader.cluster_name)))
        return found

    async def _list(self, reader: ClusterReader, namespace: str) -> list[JsonObject]:
        try:
            return await reader.list("pods", namespace, limit=MAX_PODS)
        except ClusterError as exc:
            log.info("pods of %s not listed for a question: %s", namespace, exc)
            return []
