"""The MCP server: the four tools on the official SDK's `MCPServer`, over stdio or HTTP.

Over HTTP it is stateless Streamable HTTP at /mcp (every request stands alone,
so replicas need no shared session), behind a bearer token compared in
constant time (an empty one never matches), with the Host and Origin headers
checked on every listening address, not only on loopback as the SDK does by
itself; /healthz answers without it for probes. A tool's expected
failure (bad input, a namespace outside the allowlist, a cluster that cannot
be read) comes back as the SDK's tool error (`isError`) with one line.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.transport_security import TransportSecuritySettings
from mcp.types import ToolAnnotations
from pydantic import Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.answering.request_text import MAX_SYMPTOM
from bot.errors import UserFacingError
from bot.mcp.headers import HeaderCheck
from bot.mcp.tools import KINDS, MAX_TEXT_BYTES, MAX_TOP, KubemedicTools
from bot.runtime.addresses import LOOPBACK_NAMES, host_header_name
from responses.agent_models import (
    CatalogEntryView,
    CatalogSearchResult,
    DiagnoseResult,
    MatchErrorResult,
)

MCP_PATH = "/mcp"
MAX_BODY_BYTES = 512 * 1024
"""A request's largest body: a 40 KB text escaped at its worst (`\\u0000` is six bytes a byte), and the rest."""
INSTRUCTIONS = """\
kubemedic names known Kubernetes problems from a catalog (no LLM): call match_error first with \
the error text a user pasted; it answers with the catalog entry (cause, fix, links, confidence and \
why) or abstains and says why ("no entry matched", "candidates too close"). Only then investigate \
further. diagnose reads a pod, namespace, Service or node (read-only) and gives each candidate's \
evidence verdict; for a namespace or Service, with the symptom in the user's words, it ranks the \
suspects: the objects that could cause it, most likely first."""
READ_ONLY = ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)


@contextmanager
def _one_line() -> Iterator[None]:
    """An expected failure becomes the SDK's tool error (`isError`) with its one line."""
    try:
        yield
    except UserFacingError as exc:
        raise ToolError(exc.reason) from None


def build_server(tools: KubemedicTools, *, version: str) -> MCPServer:
    """The MCP server with the four tools registered (typed input and output schemas)."""
    server: MCPServer = MCPServer(
        "kubemedic", version=version, instructions=INSTRUCTIONS, log_level="WARNING"
    )
    _add_match_error(server, tools)
    _add_diagnose(server, tools)
    _add_catalog_tools(server, tools)
    return server


def _add_match_error(server: MCPServer, tools: KubemedicTools) -> None:
    @server.tool(annotations=READ_ONLY, structured_output=True)
    async def match_error(
        text: Annotated[
            str,
            Field(
                description=f"the error text as printed (a log, kubectl describe or get "
                f"output, an event table); at most {MAX_TEXT_BYTES:,} bytes"
            ),
        ],
        top: Annotated[
            int,
            Field(
                description=f"how many candidates at most (1-{MAX_TOP})",
                json_schema_extra={"minimum": 1, "maximum": MAX_TOP},
            ),
        ] = 3,
    ) -> MatchErrorResult:
        """Name the known problem behind an error text: the catalog entry with its root cause, fix
        steps, links, confidence and why, and the runner-ups; or an explicit abstain with the reason."""
        with _one_line():
            return await tools.match_error(text, top)


def _add_diagnose(server: MCPServer, tools: KubemedicTools) -> None:
    @server.tool(annotations=READ_ONLY, structured_output=True)
    async def diagnose(
        kind: Annotated[
            str,
            Field(
                description="pod, namespace, service or node",
                json_schema_extra={"enum": list(KINDS)},
            ),
        ],
        name: Annotated[
            str | None,
            Field(description="the pod or Service (NAME or NAMESPACE/NAME), or the node"),
        ] = None,
        namespace: Annotated[
            str | None,
            Field(description="the pod's or Service's namespace, or the namespace to diagnose"),
        ] = None,
        context: Annotated[
            str | None,
            Field(
                description="kubeconfig context (one of KUBEMEDIC_CONTEXTS; "
                "default: the current one)"
            ),
        ] = None,
        symptom: Annotated[
            str | None,
            Field(
                description=(
                    'namespace or service: what is seen, in the user\'s words ("checkout is failing", an '
                    f"alert's summary; at most {MAX_SYMPTOM} characters): it ranks the suspects"
                )
            ),
        ] = None,
    ) -> DiagnoseResult:
        """Diagnose a pod, a namespace, a Service or a node from the cluster, read-only: each
        candidate with its evidence verdict (confirmed, refuted, unknown) and what could not be read;
        for a namespace or Service, the ranked `suspects` (the objects that could cause the symptom,
        each with its catalog id, evidence, chain and one fix), as `kubemedic diagnose --json`."""
        with _one_line():
            return await tools.diagnose(
                kind, name=name, namespace=namespace, context=context, symptom=symptom
            )


def _add_catalog_tools(server: MCPServer, tools: KubemedicTools) -> None:
    @server.tool(annotations=READ_ONLY, structured_output=True)
    async def catalog_entry(
        id: Annotated[
            str, Field(description="a catalog id (as `kubemedic catalog list` prints them)")
        ],
    ) -> CatalogEntryView:
        """One catalog entry in full: symptoms, root cause, fix, links, sources, cluster checks."""
        with _one_line():
            return tools.catalog_entry(id)

    @server.tool(annotations=READ_ONLY, structured_output=True)
    async def catalog_search(
        query: Annotated[str, Field(description="a few words, e.g. 'image pull secret'")],
        top: Annotated[
            int,
            Field(
                description="how many entries at most (1-50)",
                json_schema_extra={"minimum": 1, "maximum": 50},
            ),
        ] = 5,
    ) -> CatalogSearchResult:
        """Find catalog entries by words (their ids, titles, tags, summaries and symptoms)."""
        with _one_line():
            return tools.catalog_search(query, top)


class BearerGate:
    """ASGI middleware: /mcp only with `Authorization: Bearer <token>`; everything else passes."""

    def __init__(self, app: ASGIApp, *, token: str) -> None:
        if not token.strip():
            raise ValueError("the MCP bearer token is blank")
        self.app = app
        self.token = token.strip().encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and str(scope.get("path", "")).startswith(MCP_PATH)
            and not self._allowed(scope)
        ):
            response = JSONResponse(
                {"error": "unauthorized: send Authorization: Bearer <KUBEMEDIC_MCP_TOKEN>"},
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="kubemedic"'},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _allowed(self, scope: Scope) -> bool:
        given = dict(scope.get("headers") or []).get(b"authorization", b"")
        scheme, _, token = given.partition(b" ")
        token = token.strip()
        bearer = scheme.lower() == b"bearer" and bool(token)
        return bearer and hmac.compare_digest(token, self.token)


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


def allowed_names(host: str, extra: list[str]) -> list[str]:
    """The Host names /mcp answers: loopback's, the listening address (unless every interface),
    and the names clients are said to use (KUBEMEDIC_MCP_ALLOWED_HOSTS)."""
    own = host_header_name(host)
    names = [*LOOPBACK_NAMES, *([own] if own else []), *(name.strip().lower() for name in extra)]
    return list(dict.fromkeys(name for name in names if name))


def http_app(server: MCPServer, *, token: str, names: list[str]) -> ASGIApp:
    """Stateless Streamable HTTP at /mcp behind the bearer gate and the Host/Origin checks for
    `names` (allowed_names), plus /healthz."""
    server.custom_route("/healthz", methods=["GET"])(healthz)
    app = server.streamable_http_app(
        streamable_http_path=MCP_PATH,
        stateless_http=True,
        json_response=True,
        # the SDK reads `name:*` as a prefix (`localhost:1.evil.example` passes): ours, exactly
        transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
        max_request_body_size=MAX_BODY_BYTES,
    )
    return BearerGate(HeaderCheck(app, names=names, path=MCP_PATH), token=token)
