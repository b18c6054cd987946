"""What an app states as its cause: its kind, the line that says it, and the values in it."""

from __future__ import annotations

from dataclasses import dataclass

CAUSE_KINDS: dict[str, str] = {
    "certificate": "a TLS certificate is rejected (x509)",
    "name-not-resolved": "a host name does not resolve",
    "connection-refused": "a connection is refused",
    "connection-timeout": "a connection times out",
    "connection-failed": "a connection to a service it calls fails",
    "upstream-unavailable": "the proxy has no healthy upstream to send to",
    "port-in-use": "the port it listens on is already in use",
    "read-only-filesystem": "a path it writes is on a read-only file system",
    "db-credentials": "the database rejects the credentials",
    "db-read-only": "the database is read-only",
    "db-connections": "the database's connections are exhausted",
    "missing-setting": "a required setting is missing",
    "missing-file": "a file it needs does not exist",
    "permission-denied": "permission is denied on a path",
    "shell-syntax": "a shell script has a syntax error",
    "forbidden": "the API server forbids its call (RBAC)",
    "auth-rejected": "a service it calls rejects its credentials (HTTP 401/403)",
    "exception": "the app's last exception",
}
"""Every kind of cause, and how an answer says it. `exception` is a traceback's last exception
that states none of the others: quoted, not classified."""


@dataclass(frozen=True)
class AppCause:
    """One cause an app states."""

    kind: str
    """One of CAUSE_KINDS."""
    line: str
    """The line that states it, trimmed (a traceback's exception line with its detail)."""
    values: tuple[tuple[str, str], ...] = ()
    """(name, value) pairs read from the line: host, port, user, name (a setting), path, ..."""
    exception: str = ""
    """The exception's type when a traceback's last exception states it."""

    @property
    def about(self) -> str:
        return CAUSE_KINDS[self.kind]

    def value(self, name: str) -> str | None:
        """The first value of that name, or None."""
        return next((value for key, value in self.values if key == name), None)

    def said(self) -> str:
        """The cause in a few words with its values: "a host name does not resolve (db.shop)"."""
        shown = [value for key, value in self.values if key != "exception"]
        named = f" ({', '.join(dict.fromkeys(shown))})" if shown else ""
        if self.kind == "exception" and self.exception and self.exception not in self.line:
            return f"{self.about}, {self.exception}"  # the quoted line names it already otherwise
        return f"{self.about}{named}"
