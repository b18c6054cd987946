"""`kubemedic mcp [--http] [--port N]`: the catalog and the diagnosis as MCP tools for agents.

Over stdio by default (an MCP client starts it as a subprocess and talks over
its stdin and stdout, so nothing else is ever written to stdout); with
--http, stateless Streamable HTTP at /mcp, which refuses to start without
KUBEMEDIC_MCP_TOKEN. Tools: match_error, diagnose, catalog_entry,
catalog_search; all read-only, held to KUBEMEDIC_CONTEXTS and
KUBEMEDIC_NAMESPACES (docs/mcp.md).
"""

from __future__ import annotations

import argparse
import socket
from importlib import metadata

from bot.commands.io import CommandIO
from bot.errors import EXIT_OK, BadInput
from bot.knowledge import load_knowledge, refuse_if_strict
from bot.settings import Settings

DEFAULT_PORT = 3001
"""Next to `serve`'s 3000, so both can run in one pod."""
COLLECTOR_TIMEOUT_FACTOR = 3
"""A pod's evidence gets this many Kubernetes request timeouts, as for `kubemedic diagnose`."""
BACKLOG = 128
NO_TOKEN = ("KUBEMEDIC_MCP_TOKEN is not set: `kubemedic mcp --http` answers only clients that send it "
            "as a bearer token (stdio needs none)")


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--port must be a whole number, not {value!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError("--port must be between 0 and 65535")
    return port


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "mcp", help="serve the catalog and diagnoses to AI agents (Model Context Protocol)",
        description="Serve kubemedic's tools (match_error, diagnose, catalog_entry, catalog_search) to MCP "
        "clients: over stdio (default), or stateless Streamable HTTP at /mcp with --http "
        "(KUBEMEDIC_MCP_TOKEN required).")
    parser.add_argument("--http", action="store_true", help="serve Streamable HTTP at /mcp instead of stdio")
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, metavar="N",
                        help=f"HTTP port (default {DEFAULT_PORT}; 0: a free one, named on stderr)")
    parser.add_argument("--host", default="0.0.0.0", metavar="ADDR",
                        help="HTTP address to listen on (default 0.0.0.0, every interface)")


def _listening(host: str, port: int) -> socket.socket:
    """The bound socket, or BadInput saying why not (before anything is served)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        family, kind, proto, _name, address = infos[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(BACKLOG)  # from now on a client waits in line instead of being refused
    except OSError as exc:
        raise BadInput(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def run(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    if args.http and settings.mcp_token is None:
        raise BadInput(NO_TOKEN)
    sock = _listening(args.host, args.port) if args.http else None
    knowledge = load_knowledge(settings)
    refuse_if_strict(settings, knowledge)
    for problem in knowledge.problems:
        print(f"warning: catalog: {problem}", file=io.stderr)
    import anyio  # the SDK, Starlette and uvicorn load only here

    from bot.cluster.directory import ClusterDirectory
    from bot.mcp.server import build_server, http_app
    from bot.mcp.tools import KubemedicTools

    tools = KubemedicTools(matcher=knowledge.matcher, readers=ClusterDirectory(settings),
                           namespaces=settings.namespaces,
                           timeout=settings.kube_request_timeout * COLLECTOR_TIMEOUT_FACTOR)
    server = build_server(tools, version=metadata.version("kubemedic"))
    if sock is None:
        anyio.run(server.run_stdio_async)
        return EXIT_OK
    import uvicorn

    assert settings.mcp_token is not None
    app = http_app(server, token=settings.mcp_token.get_secret_value(), host=args.host)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    port = sock.getsockname()[1]
    print(f"kubemedic mcp: serving http://{args.host}:{port}/mcp", file=io.stderr, flush=True)
    anyio.run(uvicorn.Server(config).serve, [sock])
    return EXIT_OK
