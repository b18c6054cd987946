"""A local Jira: the REST paths kubemedic calls, Cloud's v3 (ADF, search/jql paged by token) or
Server/Data Center's v2 (wiki text, search paged by startAt), with Jira's auth and error shapes.

Cloud (`email` given) takes basic auth `email:token`; Server a bearer personal access token. An
issue is filed in a known project with a known issue type, a summary of at most 255 characters,
labels without spaces and a description in the version's format (an ADF document for v3, a
string for v2); otherwise 400 `{"errorMessages": [...], "errors": {field: reason}}`. Search
understands the JQL kubemedic sends (`project = "X" AND labels = "Y" AND statusCategory != Done`).
`close(key)` moves an issue to Done. Faults come from the base (tests/standins/vendor_api.py).
"""

from __future__ import annotations

import base64
import itertools
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import web

from tests.standins.vendor_api import Call, VendorError, VendorStandIn

TOKEN = "jira-api-token-77b1"
EMAIL = "kubemedic@example.com"
PAGE_MAX = 50


@dataclass
class JiraIssue:
    id: str
    key: str
    summary: str
    labels: list[str]
    description: Any
    done: bool = False
    comments: list[Any] = field(default_factory=list)

    def as_found(self) -> dict[str, Any]:
        category = "done" if self.done else "new"
        name = "Done" if self.done else "To Do"
        return {
            "id": self.id,
            "key": self.key,
            "fields": {"status": {"name": name, "statusCategory": {"key": category}}},
        }


class JiraStandIn(VendorStandIn):
    name = "jira"

    def __init__(
        self,
        *,
        version: Literal["2", "3"] = "3",
        email: str | None = EMAIL,
        token: str = TOKEN,
        projects: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.version, self.email, self.token = version, email, token
        self.projects = projects or {"OPS": "Operations"}
        self.issues: dict[str, JiraIssue] = {}
        self._numbers = itertools.count(1)

    def close(self, key: str) -> None:
        self.issues[key].done = True

    def error_body(self, status: int, message: str) -> Any:
        return {"errorMessages": [message], "errors": {}}

    def _authorized(self, call: Call) -> bool:
        header = call.headers.get("Authorization", "")
        if self.email:
            pair = base64.b64encode(f"{self.email}:{self.token}".encode()).decode()
            return header == f"Basic {pair}"
        return header == f"Bearer {self.token}"

    def answer(self, call: Call, request: web.Request) -> tuple[int, Any]:
        if not self._authorized(call):
            raise VendorError(401, self.error_body(401, "Unauthorized"))
        parts = call.path.strip("/").split("/")
        if parts[:3] != ["rest", "api", self.version]:
            raise VendorError(404, self.error_body(404, "No such API version here"))
        match call.method, parts[3:]:
            case "POST", ["issue"]:
                return 201, self._create(call)
            case "GET", ["issue", key]:
                return 200, self._issue(key).as_found()
            case "POST", ["issue", key, "comment"]:
                return 201, self._comment(self._issue(key), call)
            case "GET", ["search", "jql"] if self.version == "3":
                return 200, self._search_v3(call)
            case "GET", ["search"] if self.version == "2":
                return 200, self._search_v2(call)
            case "GET", ["project", key]:
                if key not in self.projects:
                    raise VendorError(
                        404, self.error_body(404, f"No project could be found with key '{key}'.")
                    )
                return 200, {"key": key, "name": self.projects[key], "id": "10000"}
        raise VendorError(404, self.error_body(404, "Not found"))

    def _issue(self, key: str) -> JiraIssue:
        if key not in self.issues:
            raise VendorError(
                404,
                self.error_body(
                    404, "Issue does not exist or you do not have permission to see it."
                ),
            )
        return self.issues[key]

    def _refuse(self, errors: dict[str, str]) -> VendorError:
        return VendorError(400, {"errorMessages": [], "errors": errors})

    def _create(self, call: Call) -> dict[str, Any]:
        fields = (call.body or {}).get("fields") if isinstance(call.body, dict) else None
        if not isinstance(fields, dict):
            raise self._refuse({"fields": "fields are required"})
        project = (fields.get("project") or {}).get("key")
        if project not in self.projects:
            raise self._refuse({"project": "valid project is required"})
        if (fields.get("issuetype") or {}).get("name") not in ("Task", "Bug", "Incident"):
            raise self._refuse({"issuetype": "valid issue type is required"})
        summary = fields.get("summary")
        if not isinstance(summary, str) or not summary or len(summary) > 255 or "\n" in summary:
            raise self._refuse({"summary": "Summary must be less than 255 characters."})
        labels = fields.get("labels") or []
        if any(" " in label for label in labels):
            raise self._refuse({"labels": "The label contains spaces which is invalid."})
        self._check_body(fields.get("description"), "description")
        number = next(self._numbers)
        key = f"{project}-{number}"
        self.issues[key] = JiraIssue(
            str(10000 + number), key, summary, list(labels), fields.get("description")
        )
        return {
            "id": str(10000 + number),
            "key": key,
            "self": f"{self.url}/rest/api/{self.version}/issue/{10000 + number}",
        }

    def _check_body(self, body: Any, name: str) -> None:
        if self.version == "3":
            good = isinstance(body, dict) and body.get("type") == "doc" and body.get("version") == 1
            good = good and isinstance(body.get("content"), list) and _adf_ok(body["content"])
            if not good:
                raise self._refuse(
                    {
                        name: "Operation value must be an Atlassian Document (see the Atlassian Document Format)"
                    }
                )
        elif not isinstance(body, str):
            raise self._refuse({name: "Operation value must be a string"})

    def _comment(self, issue: JiraIssue, call: Call) -> dict[str, Any]:
        body = (call.body or {}).get("body") if isinstance(call.body, dict) else None
        self._check_body(body, "comment")
        issue.comments.append(body)
        return {"id": str(len(issue.comments)), "body": body}

    def _matching(self, jql: str) -> list[JiraIssue]:
        clauses = [clause.strip() for clause in jql.split(" AND ")]
        wanted: dict[str, str] = {}
        for clause in clauses:
            if clause == "statusCategory != Done":
                wanted["open"] = "yes"
                continue
            name, sep, value = clause.partition(" = ")
            if not sep or name not in ("project", "labels"):
                raise VendorError(400, self.error_body(400, f"Error in the JQL Query: {clause!r}"))
            wanted[name] = value.strip().strip('"')
        return [
            issue
            for issue in self.issues.values()
            if issue.key.startswith(f"{wanted.get('project', '')}-")
            and ("labels" not in wanted or wanted["labels"] in issue.labels)
            and ("open" not in wanted or not issue.done)
        ]

    def _search_v3(self, call: Call) -> dict[str, Any]:
        found = self._matching(call.query.get("jql", ""))
        start = int(call.query.get("nextPageToken") or 0)
        size = min(int(call.query.get("maxResults", "50")), PAGE_MAX)
        page = found[start : start + size]
        more = start + size < len(found)
        answer: dict[str, Any] = {
            "issues": [issue.as_found() for issue in page],
            "isLast": not more,
        }
        if more:
            answer["nextPageToken"] = str(start + size)
        return answer

    def _search_v2(self, call: Call) -> dict[str, Any]:
        found = self._matching(call.query.get("jql", ""))
        start = int(call.query.get("startAt", "0"))
        size = min(int(call.query.get("maxResults", "50")), PAGE_MAX)
        page = found[start : start + size]
        return {
            "startAt": start,
            "maxResults": size,
            "total": len(found),
            "issues": [i.as_found() for i in page],
        }


ADF_NODES = {"paragraph", "heading", "bulletList", "listItem", "text"}


def _adf_ok(nodes: list[Any]) -> bool:
    """Only the nodes kubemedic uses, each well formed (a text node has its text)."""
    for node in nodes:
        if not isinstance(node, dict) or node.get("type") not in ADF_NODES:
            return False
        if node["type"] == "text" and not (isinstance(node.get("text"), str) and node["text"]):
            return False
        if node["type"] != "text" and not _adf_ok(node.get("content") or []):
            return False
    return True
