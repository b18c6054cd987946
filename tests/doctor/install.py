"""A whole install to run `kubemedic doctor` against: Slack, a cluster with deploy/'s RBAC, a database.

The Slack and Kubernetes API stand-ins run on their own threads, the
cluster's RBAC is the rule set of deploy/'s ClusterRoles as a user applies
them (tests/standins/kube_rbac.py answers SelfSubjectAccessReviews from it),
the database is a SQLite file migrated by the real store, and doctor runs as
the installed console script with the environment the bot would have.
HTTP mode adds the real bot behind a TLS front (an Ingress stand-in) with a
self-signed certificate the doctor process trusts through SSL_CERT_FILE.
"""

from __future__ import annotations

import asyncio
import ssl
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import yaml
from aiohttp import web

from bot.storage.sql import SqlStore
from tests.cli.runner import Result, kubemedic, kubemedic_in_process
from tests.standins.kube_api import KubeStandIn
from tests.standins.kube_rbac import RuleSet
from tests.standins.slack_api import SlackStandIn

ROOT = Path(__file__).resolve().parents[2]
ROLE_FILES = {
    "kubemedic-read": ROOT / "deploy" / "base" / "rbac" / "clusterrole-read.yaml",
    "kubemedic-remediate": ROOT
    / "deploy"
    / "components"
    / "remediation"
    / "clusterrole-remediate.yaml",
    "kubemedic-watch": ROOT / "deploy" / "components" / "watch" / "clusterrole-watch.yaml",
}
BOT_TOKEN = "xoxb-kubemedic-test"
APP_TOKEN = "xapp-1-kubemedic-test"
ADMIN = "U0ADMIN0001"
FORWARDED = ("Content-Type", "X-Slack-Request-Timestamp", "X-Slack-Signature")


def deploy_rules(*roles: str) -> RuleSet:
    """The rules of deploy/'s ClusterRoles, read from the files a user applies."""
    return RuleSet.from_roles([yaml.safe_load(ROLE_FILES[role].read_text()) for role in roles])


def migrated_sqlite(path: Path) -> str:
    """A SQLite database created and migrated by the store, as `serve` leaves it."""
    url = f"sqlite+aiosqlite:///{path}"

    async def start() -> None:
        store = SqlStore(url)
        await store.start()
        await store.close()

    asyncio.run(start())
    return url


@dataclass
class Install:
    """The stand-ins and the environment the bot (and so doctor) runs with."""

    slack: SlackStandIn
    kube: KubeStandIn
    env: dict[str, str]
    tmp: Path
    extra_clusters: dict[str, KubeStandIn] = field(default_factory=dict)

    def doctor(self, *args: str, **env: str) -> Result:
        """`kubemedic doctor` run in this process (the checks are the subject here; the
        console script's own start-up is tested in tests/cli), saving ~1.5 s of CPU a call."""
        return kubemedic_in_process("doctor", *args, env={**self.env, **env})

    async def doctor_async(self, *args: str, **env: str) -> Result:
        """The console script's doctor from an async test, leaving its event loop free to serve
        the bot (a process of its own: this one's environment is the running bot's)."""
        return await asyncio.to_thread(
            kubemedic, "doctor", *args, env={**self.env, **env}, timeout=90
        )


def lines(result: Result) -> dict[str, str]:
    """Check name -> its whole line, e.g. "Slack scopes" -> "FAIL  Slack scopes: missing ..."."""
    found: dict[str, str] = {}
    for line in result.stdout.splitlines()[1:-1]:
        name = line[6:].split(": ", 1)[0]
        found[name] = line
    return found


def status(result: Result) -> dict[str, str]:
    """Check name -> ok / FAIL / skip / info."""
    return {name: line[:4].strip() for name, line in lines(result).items()}


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key (openssl, test set-up only)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


@asynccontextmanager
async def tls_front(upstream: str, cert: Path, key: Path) -> AsyncIterator[str]:
    """HTTPS on 127.0.0.1 routing only POST /slack/events to `upstream`, as components/ingress does."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    async def forward(request: web.Request) -> web.Response:
        headers = {name: request.headers[name] for name in FORWARDED if name in request.headers}
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                f"{upstream}/slack/events", data=await request.read(), headers=headers
            ) as answer,
        ):
            return web.Response(
                status=answer.status,
                body=await answer.read(),
                headers={"Content-Type": answer.headers.get("Content-Type", "text/plain")},
            )

    app = web.Application()
    app.router.add_post("/slack/events", forward)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
    await site.start()
    try:
        yield f"https://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()
