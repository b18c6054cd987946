"""Jira's REST API, the calls kubemedic makes: find the open issue of a problem, file one, comment.

Jira Cloud speaks REST v3 (`/rest/api/3`: descriptions and comments are Atlassian Document
Format documents; search is `GET /search/jql`, paged by `nextPageToken`; an API token with the
account's email as basic auth). Server and Data Center speak v2 (`/rest/api/2`: wiki text; search
is `GET /search`, paged by `startAt`; a personal access token as bearer auth). One issue per
problem: it carries the label `kubemedic-<digest of the problem's fingerprint>`, so it is found
again (JQL `labels = ... AND statusCategory != Done`) even when kubemedic lost its own record.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote

from bot.outbound.http import OutboundApi, OutboundFailed

Version = Literal["2", "3"]
PAGE = 50
MAX_PAGES = 4


def jira_headers(token: str, email: str | None) -> dict[str, str]:
    """Cloud: basic auth with the account's email; Server/Data Center: a bearer PAT."""
    if email:
        pair = base64.b64encode(f"{email}:{token}".encode()).decode()
        return {"Authorization": f"Basic {pair}", "Accept": "application/json"}
    return {"Authorization": f"Bearer {token}", "Accept": "application/json"}


@dataclass(frozen=True)
class Issue:
    key: str
    url: str


class JiraApi:
    """One Jira project, over one `OutboundApi`."""

    tool = "jira"

    def __init__(
        self, api: OutboundApi, *, version: Version, project: str, issue_type: str, site: str
    ) -> None:
        self.api, self.version, self.project = api, version, project
        self.issue_type, self.site = issue_type, site.rstrip("/")

    @property
    def rest(self) -> str:
        return f"/rest/api/{self.version}"

    def browse(self, key: str) -> str:
        return f"{self.site}/browse/{quote(key, safe='')}"

    async def create(self, summary: str, description: Any, labels: list[str]) -> Issue:
        """File an issue; its key and address."""
        fields = {
            "project": {"key": self.project},
            "summary": summary,
            "issuetype": {"name": self.issue_type},
            "labels": labels,
            "description": description,
        }
        reply = await self.api.request(
            "create_issue", "POST", f"{self.rest}/issue", body={"fields": fields}, creates=True
        )
        key = reply.body.get("key") if isinstance(reply.body, dict) else None
        if not key:
            raise OutboundFailed(self.tool, "create_issue", "the answer carries no issue key")
        return Issue(str(key), self.browse(str(key)))

    async def comment(self, key: str, body: Any) -> None:
        await self.api.request(
            "add_comment",
            "POST",
            f"{self.rest}/issue/{quote(key, safe='')}/comment",
            body={"body": body},
            creates=True,
        )

    async def is_open(self, key: str) -> bool:
        """Whether the issue exists and is not done."""
        try:
            reply = await self.api.request(
                "get_issue",
                "GET",
                f"{self.rest}/issue/{quote(key, safe='')}",
                params={"fields": "status"},
            )
        except OutboundFailed as exc:
            if exc.status == 404:
                return False
            raise
        return _open(reply.body)

    def _search(self, page: int, token: str | None) -> tuple[str, dict[str, str]]:
        """The search's path and where a page starts: API v3 pages by token, v2 by offset."""
        if self.version == "3":
            return f"{self.rest}/search/jql", {"nextPageToken": token} if token else {}
        return f"{self.rest}/search", {"startAt": str(page * PAGE)}

    async def find_open(self, label: str) -> str | None:
        """The key of the project's open issue labelled `label`, if any (every page read)."""
        jql = f'project = "{self.project}" AND labels = "{label}" AND statusCategory != Done'
        token: str | None = None
        for page in range(MAX_PAGES):
            path, start = self._search(page, token)
            params = {"jql": jql, "fields": "status", "maxResults": str(PAGE)} | start
            reply = await self.api.request("search", "GET", path, params=params)
            body = reply.body if isinstance(reply.body, dict) else {}
            for issue in body.get("issues") or []:
                if isinstance(issue, dict) and _open(issue):
                    return str(issue.get("key"))
            token = body.get("nextPageToken")
            if not _more(body, self.version, page):
                return None
        return None

    async def check(self) -> str:
        """Doctor's read-only call: the project exists and the token can read it."""
        reply = await self.api.request(
            "check", "GET", f"{self.rest}/project/{quote(self.project, safe='')}", attempts=1
        )
        name = reply.body.get("name") if isinstance(reply.body, dict) else None
        return f"project {self.project}" + (f" ({name})" if name else "") + " readable"


def _open(issue: Any) -> bool:
    status = ((issue or {}).get("fields") or {}).get("status") or {}
    return ((status.get("statusCategory") or {}).get("key") or "") != "done"


def _more(body: dict[str, Any], version: Version, page: int) -> bool:
    if version == "3":
        return bool(body.get("nextPageToken")) and not body.get("isLast", False)
    return int(body.get("total") or 0) > (page + 1) * PAGE
