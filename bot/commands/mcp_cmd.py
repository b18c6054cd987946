"""`kubemedic mcp [--http] [--port N]`: the catalog and the diagnosis as MCP tools for agents.

Over stdio by default (an MCP client starts it as a subprocess and talks over
its stdin and stdout, so nothing else is ever written to stdout); with
--http, stateless Streamable HTTP at /mcp, which refuses to start without
KUBEMEDIC_MCP_TOKEN (a blank one counts as unset), listens on 127.0.0.1
unless --host (or KUBEMEDIC_MCP_HOST) names another address, and checks the
Host and Origin headers on every address. The token must come from `kubemedic
keygen`, as every shared secret an operator chooses (bot/runtime/shared_secrets.py).
Tools: match_error, diagnose, catalog_entry, catalog_search; all read-only, held to KUBEMEDIC_CONTEXTS and
KUBEMEDIC_NAMESPACES (docs/mcp.md).
"""

from __future__ import annotations

import argparse
import socket
from importlib import metadata

from bot.commands.io import CommandIO
from bot.errors import EXIT_OK, BadInput
from bot.knowledge import load_knowledge, refuse_if_strict
from bot.runtime.addresses import host_header_name, is_loopback
from bot.runtime.shared_secrets import typed_secrets
from bot.settings import Settings

DEFAULT_PORT = 3001
"""Next to `serve`'s 3000, so both can run in one pod."""
COLLECTOR_TIMEOUT_FACTOR = 3
"""A pod's evidence gets this many Kubernetes request timeouts, as for `kubemedic diagnose`."""
BACKLOG = 128
NO_TOKEN = (
    "KUBEMEDIC_MCP_TOKEN is not set: `kubemedic mcp --http` answers only clients that send it "
    "as a bearer token (stdio needs none)"
)
BLANK_TOKEN = (
    "KUBEMEDIC_MCP_TOKEN is blank, which counts as unset: `kubemedic mcp --http` "
    "answers only clients that send it as a bearer token (stdio needs none)"
)


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
        "mcp",
        help="serve the catalog and diagnoses to AI agents (Model Context Protocol)",
        description="Serve kubemedic's tools (match_error, diagnose, catalog_entry, catalog_search) to MCP "
        "clients: over stdio (default), or stateless Streamable HTTP at /mcp with --http "
        "(KUBEMEDIC_MCP_TOKEN required).",
    )
    parser.add_argument(
        "--http", action="store_true", help="serve Streamable HTTP at /mcp instead of stdio"
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        metavar="N",
        help=f"HTTP port (default {DEFAULT_PORT}; 0: a free one, named on stderr)",
    )
    parser.add_argument(
        "--host",
        default=None,
        metavar="ADDR",
        help="HTTP address to listen on (default KUBEMEDIC_MCP_HOST, else "
        "127.0.0.1: this machine only; 0.0.0.0 is every interface)",
    )


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
    if args.http and settings.mcp_bearer is None:
        raise BadInput(NO_TOKEN if settings.mcp_token is None else BLANK_TOKEN)
    host = args.host if args.host is not None else settings.mcp_host
    typed = [line for line in typed_secrets(settings) if line.startswith("KUBEMEDIC_MCP_TOKEN")]
    if typed:
        raise BadInput(typed[0])
    sock = _listening(host, args.port) if args.http else None
    knowledge = load_knowledge(settings)
    refuse_if_strict(settings, knowledge)
    for problem in knowledge.problems:
        print(f"warning: catalog: {problem}", file=io.stderr)
    import anyio  # the SDK, Starlette and uvicorn load only here

    from bot.cluster.directory import ClusterDirectory
    from bot.mcp.server import allowed_names, build_server, http_app
    from bot.mcp.tools import KubemedicTools

    tools = KubemedicTools(
        matcher=knowledge.matcher,
        readers=ClusterDirectory(settings),
        namespaces=settings.namespaces,
        timeout=settings.kube_request_timeout * COLLECTOR_TIMEOUT_FACTOR,
        text_seconds=settings.text_cpu_seconds,
    )
    server = build_server(tools, version=metadata.version("kubemedic"))
    if sock is None:
        anyio.run(server.run_stdio_async)
        return EXIT_OK
    import uvicorn

    assert settings.mcp_bearer is not None
    names = allowed_names(host, settings.mcp_allowed_hosts)
    app = http_app(server, token=settings.mcp_bearer, names=names)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    port = sock.getsockname()[1]
    if not is_loopback(host):
        print(
            f"kubemedic mcp: listening beyond this machine on {host}; answering Host names "
            f"{', '.join(names)}",
            file=io.stderr,
            flush=True,
        )
    where = host_header_name(host) or host
    print(f"kubemedic mcp: serving http://{where}:{port}/mcp", file=io.stderr, flush=True)
    anyio.run(uvicorn.Server(config).serve, [sock])
    return EXIT_OK
