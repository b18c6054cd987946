"""Who a request to the API server acts as: the reader's own identity, or a person impersonated.

A fleet agent may read and write as the chat user who asked, mapped to a Kubernetes user and
groups (docs/fleet.md, "Per-user identity"): the API server then applies that person's RBAC,
so they see and change only what their own RBAC allows. Impersonation is the API server's own
mechanism (`Impersonate-User`, one `Impersonate-Group` header per group); the agent's Role
must grant the `impersonate` verb on exactly those users and groups.
"""

from __future__ import annotations

from dataclasses import dataclass

USER_HEADER = "Impersonate-User"
GROUP_HEADER = "Impersonate-Group"
MAX_GROUPS = 20


@dataclass(frozen=True)
class Impersonation:
    """A Kubernetes user (and groups) the API server should act as."""

    user: str
    groups: tuple[str, ...] = ()

    def headers(self) -> list[tuple[str, str]]:
        """The request headers, one per group (the API server reads each as one group)."""
        return [(USER_HEADER, self.user), *((GROUP_HEADER, group) for group in self.groups)]

    def __str__(self) -> str:
        groups = f" (groups {', '.join(self.groups)})" if self.groups else ""
        return f"{self.user}{groups}"
