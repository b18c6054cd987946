"""Our own small hierarchy of cluster failures.

Only the gateway sees `kubernetes.client.ApiException` and urllib3 errors;
it turns them into these, keeping the original as `__cause__`.  Collectors
turn them into named evidence gaps ("could not read events: forbidden");
the CLI maps them to exit code 1 (cluster unreadable) or 2 (bad name).
"""

from __future__ import annotations

from bot.errors import ClusterUnavailable


class ClusterError(ClusterUnavailable):
    """Something could not be read from the cluster."""

    status: str = "error"
    """What the API server said, for metrics: the HTTP status ("403", "429", "500"), "timeout"
    or "unreachable"; set by the gateway when it raises the error."""


class NotFound(ClusterError):
    """The object does not exist."""


class NotRecorded(ClusterError):
    """Not seen: the input (recorded outputs, a paste) does not show this, so it is neither
    present nor absent; a check that needs it stays silent or asks for it."""


class Forbidden(ClusterError):
    """RBAC refused the request; `permission` names what is missing, e.g. 'get pods/log'."""

    def __init__(self, reason: str, *, permission: str) -> None:
        super().__init__(reason)
        self.permission = permission


class Unauthorized(Forbidden):
    """401: the API server rejected kubemedic's credentials (not an RBAC gap)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, permission="valid credentials for the cluster")


class Unreachable(ClusterError):
    """No answer: connection refused, DNS failure, TLS failure, or a 5xx."""


class Throttled(Unreachable):
    """429: the API server is throttling; `retry_after` is its Retry-After in seconds, if given."""

    def __init__(self, reason: str, *, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class TimedOut(ClusterError):
    """The API server did not answer within the per-request timeout."""


class Expired(ClusterError):
    """410 Gone: the resourceVersion a watch asked for is too old; list again, then watch."""
