"""The live cluster reader: the only module that talks to the `kubernetes` client.

Why it looks like this:
- Raw JSON, never model classes.  Requests go through `ApiClient.call_api`
  and the body is json-decoded here, so objects are the API server's own
  dicts (the same shape a dump holds), and the client's models, which crash
  on real objects such as kubelet events with a null eventTime, are never
  built.
- Off the event loop.  The client is blocking; each call runs in a bounded
  thread pool with its own `_request_timeout`, so requests overlap and a
  hung endpoint costs one timeout, not a frozen bot.
- Our errors only.  HTTP statuses and urllib3 failures become NotFound /
  Forbidden / Unreachable / TimedOut with the original as `__cause__`;
  nothing from `kubernetes` or urllib3 escapes this module.
- One polite retry.  A read answered 429 is retried once after the server's
  Retry-After when that is short (at most MAX_RETRY_AFTER seconds); a longer
  or repeated throttle becomes Throttled at once, naming the wait.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import socket
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar, Unpack
from urllib.parse import quote

import urllib3
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from bot.cluster.errors import (
    ClusterError,
    Expired,
    Forbidden,
    NotFound,
    Throttled,
    TimedOut,
    Unauthorized,
    Unreachable,
)
from bot.cluster.identity import Impersonation
from bot.cluster.kinds import KINDS, KindSpec
from bot.cluster.permissions import Permission
from bot.cluster.read_memo import ReadMemo
from bot.cluster.reader import JsonObject, Kind, Listing, LogWindow, log_window
from bot.cluster.streams import WatchStream
from responses.redaction import Redacted, redact, redact_json, shown_by_request

log = logging.getLogger(__name__)
T = TypeVar("T")

PAGE_SIZE = 500
MAX_LIST_ITEMS = 5000
MAX_ERROR_CHARS = 300
MAX_RETRY_AFTER = 2.0
"""Longest Retry-After (seconds) a throttled read waits before its one retry."""
DEFAULT_RETRY_AFTER = 1.0
"""The wait when a 429 names none."""
WATCH_SECONDS = 300
"""How long the server keeps one watch stream open (timeoutSeconds); the watcher then resumes."""
WATCH_GRACE = 30
"""Seconds past timeoutSeconds before a silent stream counts as a broken connection."""
ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"


Resource = KindSpec
RESOURCES: dict[str, KindSpec] = KINDS
"""Where each kind lives in the API (see `bot.cluster.kinds`)."""


@dataclass(frozen=True)
class Call:
    """One request, described well enough to explain its failure."""

    verb: str
    resource: str
    path: str
    namespace: str | None
    name: str | None
    query: tuple[tuple[str, str], ...] = ()

    @property
    def permission(self) -> str:
        scope = f"in namespace {self.namespace}" if self.namespace else "at cluster scope"
        return f"{self.verb} {self.resource} {scope}"

    @property
    def subject(self) -> str:
        where = f"{self.namespace}/{self.name}" if self.namespace else self.name
        return f"{self.resource} {where}" if self.name else self.resource


def _status_message(body: bytes) -> str:
    try:
        message = json.loads(body).get("message")
    except (ValueError, AttributeError):
        message = None
    text = message if isinstance(message, str) else body.decode("utf-8", "replace")
    return " ".join(text.split())[:MAX_ERROR_CHARS]


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds only; an HTTP date counts as absent)."""
    try:
        seconds = float(value) if value is not None else None
    except ValueError:
        return None
    return seconds if seconds is not None and 0 <= seconds < 86400 else None


def http_error(
    call: Call, status: int, body: bytes, *, retry_after: str | None = None
) -> ClusterError:
    """Our error for an HTTP failure status (`retry_after`: the response's Retry-After header)."""
    message = _status_message(body)
    if status >= 500:
        return Unreachable(f"API server answered {status}: {message}")
    known = _BY_STATUS.get(status)
    error = known(call, message, retry_after) if known is not None else None
    if error is None:
        return ClusterError(f"API server refused {call.verb} {call.subject} ({status}): {message}")
    return error


def _unauthorized(call: Call, message: str, retry_after: str | None) -> ClusterError:
    return Unauthorized(f"unauthorized: {message}")


def _forbidden(call: Call, message: str, retry_after: str | None) -> ClusterError:
    return Forbidden(message or "forbidden", permission=call.permission)


def _not_found(call: Call, message: str, retry_after: str | None) -> ClusterError:
    return NotFound(message or f"{call.subject} not found")


def _throttled(call: Call, message: str, retry_after: str | None) -> ClusterError:
    wait = _retry_after(retry_after)
    hint = f"; retry after {wait:g}s" if wait is not None else ""
    return Throttled(f"API server answered 429: {message}{hint}", retry_after=wait)


def _expired(call: Call, message: str, retry_after: str | None) -> ClusterError:
    return Expired(f"{call.subject}: {message or 'resource version too old'} (410 Gone)")


def _conflict(call: Call, message: str, retry_after: str | None) -> ClusterError:
    return ClusterError(f"{call.subject} changed since kubemedic read it (409): {message}")


def _recreated(call: Call, message: str, retry_after: str | None) -> ClusterError | None:
    """A write naming the UID kubemedic read; any other 422 is a plain refusal."""
    if "metadata.uid" not in message:
        return None
    return ClusterError(
        f"{call.subject} changed since kubemedic read it: it was recreated under "
        f"the same name (422): {message}"
    )


_BY_STATUS: dict[int, Callable[[Call, str, str | None], ClusterError | None]] = {
    401: _unauthorized,
    403: _forbidden,
    404: _not_found,
    409: _conflict,
    410: _expired,
    422: _recreated,
    429: _throttled,
}
"""Failure statuses that mean something to a user, and how each is said."""


def transport_error(exc: BaseException, *, timeout: float) -> ClusterError:
    """Our error for a failure below HTTP (timeout, refused connection, TLS)."""
    reason = exc.reason if isinstance(exc, urllib3.exceptions.MaxRetryError) else exc
    # NewConnectionError subclasses ConnectTimeoutError in urllib3 2.x: a refusal is not a timeout
    timed_out = (urllib3.exceptions.TimeoutError, socket.timeout, TimeoutError)
    if isinstance(reason, timed_out) and not isinstance(
        reason, urllib3.exceptions.NewConnectionError
    ):
        return TimedOut(f"timed out after {timeout:g}s")
    text = " ".join(str(reason).split())[:MAX_ERROR_CHARS]
    return Unreachable(f"cannot reach the API server: {text}")


class KubeGateway:
    """ClusterReader over the official client; every call is bounded and off the loop."""

    def __init__(
        self,
        api: client.ApiClient,
        *,
        cluster_name: str,
        timeout: float = 10.0,
        concurrency: int = 16,
        max_list_items: int = MAX_LIST_ITEMS,
        on_error: ErrorHook | None = None,
        acting_as: Impersonation | None = None,
        pool: ThreadPoolExecutor | None = None,
        shown: bool = False,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """`shown`: hand over what the API server said as it is, secrets and all (only for
        `kubemedic ... --show-secrets`); otherwise every text read is redacted here, the one
        place the cluster's words come in."""
        self._api = api
        self._shown = shown
        self.on_error = on_error
        """Told about every failed request (metrics); the writer sharing this gateway uses it too."""
        self._name = cluster_name
        self._timeout = timeout
        self._max_items = max_list_items
        self._owner = pool is None
        self._pool = pool or ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="kube")
        self.acting_as = acting_as
        """The person every request impersonates (None: the gateway's own credentials)."""
        self._clock = clock
        self._memo = ReadMemo()

    def as_of(self) -> datetime:
        """A live cluster is judged now (the settings' clock, else the system's)."""
        return self._clock() if self._clock is not None else datetime.now(UTC)

    @property
    def cluster_name(self) -> str:
        return self._name

    def impersonating(self, who: Impersonation) -> KubeGateway:
        """A gateway on the same client, threads and settings whose every request acts as `who`."""
        view = copy.copy(self)
        view.acting_as, view._owner = who, False  # the client's threads stay this one's
        return view

    def close(self) -> None:
        """Stop the worker threads (hung requests end at their timeout) and the pool."""
        if not self._owner:  # an impersonating view: the gateway it came from owns both
            return
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._api.close()

    async def get(self, kind: Kind, name: str, namespace: str | None = None) -> JsonObject:
        resource = RESOURCES[kind]
        call = Call("get", resource.rbac, _path(resource, namespace, name), namespace, name)
        return await self._json(call, self._redacted)

    async def list_versioned(
        self, kind: Kind, namespace: str | None = None, **listing: Unpack[Listing]
    ) -> tuple[list[JsonObject], str]:
        """Objects of a kind and the list's resourceVersion (where a watch of them starts)."""
        resource = RESOURCES[kind]
        cap = min(listing.get("limit") or self._max_items, self._max_items)
        query = [
            ("fieldSelector", listing.get("field_selector")),
            ("labelSelector", listing.get("label_selector")),
        ]
        base = tuple((key, value) for key, value in query if value)
        items: list[JsonObject] = []
        token = version = ""
        while len(items) < cap:
            page = base + (("limit", str(min(PAGE_SIZE, cap - len(items)))),)
            page += (("continue", token),) if token else ()
            call = Call(
                "list", resource.rbac, _path(resource, namespace, None), namespace, None, page
            )
            body = await self._json(call, self._redacted_items)
            items.extend(body.get("items") or [])
            meta = body.get("metadata") or {}
            token, version = meta.get("continue") or "", str(meta.get("resourceVersion") or version)
            if not token:
                break
        return items[:cap], version

    async def list(
        self, kind: Kind, namespace: str | None = None, **listing: Unpack[Listing]
    ) -> list[JsonObject]:
        items, _version = await self.list_versioned(kind, namespace, **listing)
        return items

    async def watch(
        self,
        kind: Kind,
        namespace: str | None = None,
        *,
        resource_version: str,
        field_selector: str | None = None,
        timeout_seconds: int = WATCH_SECONDS,
    ) -> AsyncIterator[JsonObject]:
        """Changes after `resource_version` ({"type", "object"}, bookmarks included) until the
        server ends the stream; Expired (410 Gone) when that version is too old to resume from,
        Unreachable when the connection breaks."""
        resource = RESOURCES[kind]
        query: tuple[tuple[str, str], ...] = (
            ("watch", "true"),
            ("resourceVersion", resource_version),
            ("allowWatchBookmarks", "true"),
            ("timeoutSeconds", str(timeout_seconds)),
        )
        query += (("fieldSelector", field_selector),) if field_selector else ()
        call = Call(
            "watch", resource.rbac, _path(resource, namespace, None), namespace, None, query
        )
        read_timeout = timeout_seconds + WATCH_GRACE

        def opener() -> Any:
            return open_stream(
                self._api,
                call,
                connect_timeout=self._timeout,
                read_timeout=read_timeout,
                on_error=self.on_error,
                acting_as=self.acting_as,
            )

        stream = WatchStream(
            opener, lambda exc: transport_error(exc, timeout=read_timeout), name=call.subject
        )
        async for event in stream.events():
            if event.get("type") == "ERROR":
                status = event["object"]
                raise http_error(call, int(status.get("code") or 500), json.dumps(status).encode())
            yield {**event, "object": self._redacted(event.get("object"))}

    async def logs(
        self, namespace: str, pod: str, container: str, **window: Unpack[LogWindow]
    ) -> Redacted:
        previous, tail_lines, limit_bytes = log_window(window)
        query = (
            ("container", container),
            ("previous", str(previous).lower()),
            ("tailLines", str(tail_lines)),
            ("limitBytes", str(limit_bytes)),
        )
        path = _path(RESOURCES["pods"], namespace, pod) + "/log"
        call = Call("get", "pods/log", path, namespace, pod, query)
        return await self._retrying(call, lambda: self._text(call, limit_bytes))

    async def version(self) -> JsonObject:
        """The API server's /version (gitVersion, major, minor): proves it answers."""
        return await self._json(Call("get", "version", "/version", None, None))

    async def may(self, permission: Permission, namespace: str | None = None) -> bool:
        """Whether this identity holds `permission` (in `namespace`, else in all namespaces or at
        cluster scope), asked with a SelfSubjectAccessReview, which every authenticated user may make."""
        attributes = {
            "verb": permission.verb,
            "group": permission.group,
            "resource": permission.plural,
            "subresource": permission.subresource,
            "namespace": namespace or "",
        }
        body = {
            "apiVersion": "authorization.k8s.io/v1",
            "kind": "SelfSubjectAccessReview",
            "spec": {"resourceAttributes": attributes},
        }
        call = Call(
            "create", "selfsubjectaccessreviews.authorization.k8s.io", ACCESS_REVIEWS, None, None
        )
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        raw = await self._run(
            lambda: send_request(
                self._api,
                call,
                method="POST",
                headers=headers,
                body=body,
                timeout=self._timeout,
                on_error=self.on_error,
                acting_as=self.acting_as,
            )
        )
        return bool((json.loads(raw).get("status") or {}).get("allowed"))

    async def _json(self, call: Call, read: Callable[[Any], Any] | None = None) -> JsonObject:
        """GET `call` as JSON, parsed (and redacted by `read`, unless shown) in the worker thread:
        a list of a few hundred pods is megabytes, and parsing it on the event loop would hold
        every ack behind it. Bytes read before are not redacted again (`ReadMemo`)."""

        def parsed(raw: bytes) -> Any:
            return json.loads(raw) if read is None else read(json.loads(raw))

        def work() -> Any:
            raw = self._blocking(call, "application/json")
            if read is None or self._shown:
                return json.loads(raw)
            return self._memo.value(read.__name__, raw, parsed)

        body: JsonObject = await self._retrying(call, work)
        return body

    def _redacted(self, value: Any) -> Any:
        """What was read, redacted (in the worker thread, as parsing is), unless shown."""
        return value if self._shown else redact_json(value)

    def _redacted_items(self, page: Any) -> Any:
        """A list's page with its items redacted; its own metadata (the `continue` token, the
        resourceVersion a watch starts from) is the API server's, and read back as it was."""
        if self._shown or not isinstance(page, dict):
            return page
        return {**page, "items": redact_json(page.get("items") or [])}

    def _text(self, call: Call, limit_bytes: int) -> Redacted:
        """A log's text, redacted (unless shown) in the worker thread that read it."""
        # "*/*" as the official client sends: the API server answers `Accept: text/plain`
        # with 406 (it negotiates only its serializers' types), and the log would be lost
        raw = self._blocking(call, "*/*")[:limit_bytes]
        if self._shown:
            return shown_by_request(raw.decode("utf-8", "replace"))
        text: Redacted = self._memo.value("log", raw, _redacted_text)
        return text

    async def _retrying(self, call: Call, work: Callable[[], T]) -> T:
        try:
            return await self._run(work)
        except Throttled as exc:
            wait = DEFAULT_RETRY_AFTER if exc.retry_after is None else exc.retry_after
            if wait > MAX_RETRY_AFTER:
                raise
            log.info("%s %s throttled (429); retrying once in %gs", call.verb, call.subject, wait)
            await asyncio.sleep(wait)  # on the loop, not holding a worker thread
            return await self._run(work)

    async def _run(self, work: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._pool, work)

    def _blocking(self, call: Call, accept: str) -> bytes:
        return send_request(
            self._api,
            call,
            method="GET",
            headers={"Accept": accept},
            timeout=self._timeout,
            on_error=self.on_error,
            acting_as=self.acting_as,
        )


def _redacted_text(raw: bytes) -> Redacted:
    return redact(raw.decode("utf-8", "replace"))


def open_stream(
    api: client.ApiClient,
    call: Call,
    *,
    connect_timeout: float,
    read_timeout: float,
    on_error: ErrorHook | None,
    acting_as: Impersonation | None = None,
) -> Any:
    """Open a streaming GET (a watch); its urllib3 response, unread. ClusterError on refusal."""
    verb, url, headers, _body, _post = api.param_serialize(
        method="GET",
        resource_path=call.path,
        query_params=list(call.query),
        header_params={"Accept": "application/json"},
        auth_settings=["BearerToken"],
    )
    try:
        try:
            response = api.call_api(
                verb,
                url,
                header_params=_acting(headers, acting_as),
                _request_timeout=(connect_timeout, read_timeout),
            )
        except ApiException as exc:
            raise Unreachable(f"cannot reach the API server: {_first_line(exc.reason)}") from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise transport_error(exc, timeout=connect_timeout) from exc
        if response.status != 200:
            raise http_error(call, response.status, response.read())
    except ClusterError as exc:
        exc.status = error_status(exc)
        if on_error is not None:
            on_error(exc.status, call.verb, call.resource)
        raise
    return response.response


ErrorHook = Callable[[str, str, str], None]
"""Told about every failed request: (status, verb, resource), e.g. ("403", "list", "events").
Called on the worker thread that made the request."""


def error_status(exc: ClusterError) -> str:
    """The HTTP status of a failed request ("403"), else "timeout" or "unreachable"."""
    if isinstance(exc, TimedOut):
        return "timeout"
    status = getattr(exc.__cause__, "status", None)
    if isinstance(exc.__cause__, ApiException) and isinstance(status, int) and status > 0:
        return str(status)
    return "unreachable" if isinstance(exc, Unreachable) else "error"


def send_request(
    api: client.ApiClient,
    call: Call,
    *,
    method: str,
    headers: dict[str, str],
    timeout: float,
    body: JsonObject | None = None,
    on_error: ErrorHook | None = None,
    acting_as: Impersonation | None = None,
) -> bytes:
    """One blocking API request; the body on 2xx, else the matching ClusterError (its
    `status` set, and `on_error` told: every request of the bot and the writer passes here);
    `acting_as`: the person it impersonates."""
    try:
        return _send(
            api,
            call,
            method=method,
            headers=headers,
            timeout=timeout,
            body=body,
            acting_as=acting_as,
        )
    except ClusterError as exc:
        exc.status = error_status(exc)
        if on_error is not None:
            try:
                on_error(exc.status, call.verb, call.resource)
            except Exception:  # a broken metric must not fail the request
                log.exception("error hook failed")
        raise


def _acting(headers: dict[str, str], acting_as: Impersonation | None) -> Any:
    """`headers` plus the impersonation headers, repeated per group (a plain dict holds one)."""
    if acting_as is None:
        return headers
    combined = urllib3.HTTPHeaderDict(headers)
    for name, value in acting_as.headers():
        combined.add(name, value)
    return combined


def _send(
    api: client.ApiClient,
    call: Call,
    *,
    method: str,
    headers: dict[str, str],
    timeout: float,
    body: JsonObject | None = None,
    acting_as: Impersonation | None = None,
) -> bytes:
    verb, url, headers, payload, _post = api.param_serialize(
        method=method,
        resource_path=call.path,
        query_params=list(call.query),
        header_params=headers,
        body=body,
        auth_settings=["BearerToken"],
    )
    try:
        response = api.call_api(
            verb,
            url,
            header_params=_acting(headers, acting_as),
            body=payload,
            _request_timeout=timeout,
        )
        raw: bytes = response.read()
    except ApiException as exc:  # TLS failures surface as status 0
        raise Unreachable(f"cannot reach the API server: {_first_line(exc.reason)}") from exc
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise transport_error(exc, timeout=timeout) from exc
    if 200 <= response.status < 300:
        return raw
    retry_after = response.headers.get("Retry-After") if response.status == 429 else None
    raise http_error(call, response.status, raw, retry_after=retry_after) from ApiException(
        status=response.status,
        reason=response.reason,
        body=raw.decode("utf-8", "replace"),
    )


def _path(resource: Resource, namespace: str | None, name: str | None) -> str:
    path = resource.prefix
    if resource.namespaced and namespace:
        path += f"/namespaces/{quote(namespace, safe='')}"
    path += f"/{resource.plural}"
    return path + (f"/{quote(name, safe='')}" if name else "")


def _first_line(value: Any) -> str:
    return " ".join(str(value).split())[:MAX_ERROR_CHARS]
