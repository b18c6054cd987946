"""Find the pods, workloads and nodes a direct question names, in the allowed clusters only.

One list of pods per searched namespace finds a pod by its name (or the start of it,
"checkout-7d9f") and a workload by the name its pods' owners carry; a node is one `get`. With
no namespace named and an empty allowlist, a pod is looked up by its exact name across
namespaces (a field selector). A Service or Deployment named with its kind ("the checkout
service") is looked up first, in one list of Services (and one `get` per Deployment) per
namespace; found, it is walked and nothing else is looked for. See bot.answering.naming for
what counts as a name.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Coroutine, Sequence
from typing import Any, Literal

from bot.answering.naming import (
    FIND_SECONDS,
    MAX_CONTEXTS,
    MAX_NAMES,
    MAX_NAMESPACES,
    MAX_PODS,
    Named,
    is_question,
    kinds_in,
    least_healthy,
    named_like,
    names_in,
    owner_name,
    pod_name,
)
from bot.answering.ports import Readers
from bot.cluster.errors import ClusterError, NotFound
from bot.cluster.reader import ClusterReader, JsonObject, Kind
from bot.diagnosis.suspects.symptom import SUFFIXES
from bot.errors import BadInput
from responses import ask_messages as say

log = logging.getLogger(__name__)


def _members(pods: list[JsonObject], word: str) -> list[JsonObject]:
    """The pods of the workload `word` names: those it owns, else (a name-like word) those
    whose name it starts."""
    owned = [pod for pod in pods if (owner := owner_name(pod)) is not None and owner[1] == word]
    if owned or not named_like(word):
        return owned
    return [pod for pod in pods if pod_name(pod).startswith(f"{word}-")]


class ObjectFinder:
    """The objects a question names that exist where kubemedic may read."""

    def __init__(
        self, *, readers: Readers, contexts: Sequence[str], namespaces: Sequence[str]
    ) -> None:
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
        walked = await self.find_walked(text)
        if walked:
            return walked
        if not words and not pairs:
            return []
        return await _each_context(
            [self._in_context(c, namespaces, words[:MAX_NAMES], pairs) for c in self.contexts],
            "looking up the objects a question names took over %g s; answering from its words",
        )

    async def find_walked(self, text: str) -> list[Named]:
        """The Services and Deployments the question names with their kind, that exist."""
        kinds = kinds_in(text) if is_question(text) else []
        if not kinds:
            return []
        namespaces = names_in(text)[0]
        return await _each_context(
            [self._walked_in(c, namespaces, kinds[:MAX_NAMES], text) for c in self.contexts],
            "looking up the Services a question names took over %g s",
        )

    async def _walked_in(
        self, context: str | None, namespaces: list[str], kinds: list[tuple[str, str]], text: str
    ) -> list[Named]:
        try:
            reader = self.readers.reader(context)
        except (BadInput, ClusterError) as exc:
            log.info("context %s not read for a question: %s", context or "(default)", exc)
            return []
        searched = [ns for ns in namespaces if self._may_read(ns)] or sorted(self.allowed)
        if not searched and not self.allowed:
            searched = await self._namespaces_of(reader, kinds)
        found: list[Named] = []
        for namespace in searched[:MAX_NAMESPACES]:
            services = await self._listed(reader, "services", namespace)
            for kind, name in kinds:
                if kind == "service":
                    found += [
                        self._service(reader, context, namespace, service, text, None)
                        for service in services
                        if _called(service, name)
                    ][:1]
                else:
                    found += await self._deployment(
                        reader, context, namespace, name, services, text
                    )
        return found

    async def _namespaces_of(
        self, reader: ClusterReader, kinds: list[tuple[str, str]]
    ) -> list[str]:
        """With no namespace named and no allowlist: where objects of exactly those names are."""
        where: list[str] = []
        for kind, name in kinds:
            plural: Kind = "services" if kind == "service" else "deployments"
            try:
                items = await reader.list(
                    plural, None, field_selector=f"metadata.name={name}", limit=MAX_NAMESPACES
                )
            except ClusterError as exc:
                log.info("%s named %s not listed: %s", plural, name, exc)
                continue
            where += [str((item.get("metadata") or {}).get("namespace") or "") for item in items]
        return [ns for ns in dict.fromkeys(where) if ns]

    def _service(
        self,
        reader: ClusterReader,
        context: str | None,
        namespace: str,
        service: JsonObject,
        text: str,
        deployment: str | None,
    ) -> Named:
        name = pod_name(service)
        where = f"{namespace}/{name}"
        said = (
            say.walked_deployment(f"{namespace}/{deployment}", name, reader.cluster_name)
            if deployment
            else say.named_object("service", where, reader.cluster_name)
        )
        return Named("service", context, namespace, name, said, symptom=text)

    async def _deployment(
        self,
        reader: ClusterReader,
        context: str | None,
        namespace: str,
        name: str,
        services: list[JsonObject],
        text: str,
    ) -> list[Named]:
        """The Deployment's Service when one selects its pods (the walk names it so), else itself."""
        try:
            deployment = await reader.get("deployments", name, namespace)
        except ClusterError:
            return []
        labels = (((deployment.get("spec") or {}).get("template") or {}).get("metadata") or {}).get(
            "labels"
        ) or {}
        fronts = [service for service in services if _selects(service, labels)]
        if fronts:
            return [self._service(reader, context, namespace, fronts[0], text, name)]
        said = say.named_object("deployment", f"{namespace}/{name}", reader.cluster_name)
        return [Named("deployment", context, namespace, name, said, symptom=text)]

    async def _listed(
        self,
        reader: ClusterReader,
        kind: Literal["services"],
        namespace: str,
    ) -> list[JsonObject]:
        try:
            return await reader.list(kind, namespace, limit=MAX_PODS)
        except ClusterError as exc:
            log.info("%s of %s not listed for a question: %s", kind, namespace, exc)
            return []

    async def _in_context(
        self,
        context: str | None,
        namespaces: list[str],
        words: list[str],
        pairs: list[tuple[str, str]],
    ) -> list[Named]:
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

    async def _in_namespace(
        self, reader: ClusterReader, context: str | None, namespace: str, words: list[str]
    ) -> list[Named]:
        pods = await self._list(reader, namespace)
        found: list[Named] = []
        for word in words:
            if any(pod_name(pod) == word for pod in pods):
                found.append(self._pod(reader, context, namespace, word))
            else:
                found += self._workloads(reader, context, namespace, _members(pods, word))
        return found

    def _pod(self, reader: ClusterReader, context: str | None, namespace: str, name: str) -> Named:
        return Named(
            "pod",
            context,
            namespace,
            name,
            say.named_object("pod", f"{namespace}/{name}", reader.cluster_name),
        )

    def _workloads(
        self,
        reader: ClusterReader,
        context: str | None,
        namespace: str,
        pods: list[JsonObject],
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
            said = say.workload_pod(
                kind, f"{namespace}/{name}", chosen, len(members), reader.cluster_name
            )
            found.append(Named("pod", context, namespace, chosen, said))
        return found

    async def _pods_anywhere(
        self, reader: ClusterReader, context: str | None, words: list[str]
    ) -> list[Named]:
        found = []
        for word in words:
            try:
                pods = await reader.list(
                    "pods", None, field_selector=f"metadata.name={word}", limit=MAX_NAMESPACES
                )
            except ClusterError as exc:
                log.info("pods named %s not listed: %s", word, exc)
                continue
            for pod in pods:
                namespace = str((pod.get("metadata") or {}).get("namespace", ""))
                if namespace and self._may_read(namespace):
                    found.append(self._pod(reader, context, namespace, word))
        return found

    async def _nodes(
        self, reader: ClusterReader, context: str | None, words: list[str]
    ) -> list[Named]:
        found = []
        for word in words:
            try:
                await reader.get("nodes", word)
            except NotFound:
                continue
            except ClusterError as exc:
                log.info("node %s not read: %s", word, exc)
                continue
            found.append(
                Named(
                    "node", context, None, word, say.named_object("node", word, reader.cluster_name)
                )
            )
        return found

    async def _list(self, reader: ClusterReader, namespace: str) -> list[JsonObject]:
        try:
            return await reader.list("pods", namespace, limit=MAX_PODS)
        except ClusterError as exc:
            log.info("pods of %s not listed for a question: %s", namespace, exc)
            return []


def _called(service: JsonObject, name: str) -> bool:
    """The Service is the one a question calls `name`: "checkout" is checkout, checkoutservice..."""
    return any(pod_name(service) == name + suffix for suffix in SUFFIXES)


def _selects(service: JsonObject, labels: dict[str, str]) -> bool:
    selector = (service.get("spec") or {}).get("selector") or {}
    return bool(selector) and all(labels.get(key) == value for key, value in selector.items())


async def _each_context(lookups: list[Coroutine[Any, Any, list[Named]]], late: str) -> list[Named]:
    """What the lookups in every context found, each object once; none when they take over
    FIND_SECONDS (`late`, the log line then, takes the seconds)."""
    try:
        found = await asyncio.wait_for(asyncio.gather(*lookups), FIND_SECONDS)
    except TimeoutError:
        log.info(late, FIND_SECONDS)
        return []
    return list({named.ref: named for each in found for named in each}.values())
