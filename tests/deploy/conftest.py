"""Rendered deploy/ targets and users' own overlays, each rendered once per test session."""

from __future__ import annotations

import pytest

from tests.deploy.kustomize import OWN_OVERLAYS, TARGETS, Doc, render, render_own, require_kubectl


@pytest.fixture(scope="session")
def kubectl() -> str:
    return require_kubectl()


def _rendered(name: str) -> list[Doc]:
    require_kubectl()
    if name in OWN_OVERLAYS:
        return render_own(OWN_OVERLAYS[name])
    return render(TARGETS[name])


@pytest.fixture(scope="session")
def base() -> list[Doc]:
    return _rendered("base")


@pytest.fixture(scope="session")
def with_remediation() -> list[Doc]:
    return _rendered("with_remediation")


@pytest.fixture(scope="session")
def http_postgres() -> list[Doc]:
    return _rendered("http_postgres")


@pytest.fixture(scope="session")
def socket_everything() -> list[Doc]:
    return _rendered("socket_everything")


@pytest.fixture(scope="session")
def http_everything() -> list[Doc]:
    return _rendered("http_everything")


@pytest.fixture(scope="session")
def clusters() -> list[Doc]:
    return _rendered("clusters")


@pytest.fixture(scope="session")
def http_sqlite() -> list[Doc]:
    return _rendered("http_sqlite")


@pytest.fixture(scope="session")
def mattermost() -> list[Doc]:
    return _rendered("mattermost")


@pytest.fixture(scope="session")
def incidents() -> list[Doc]:
    return _rendered("incidents")


@pytest.fixture(scope="session")
def mattermost_ingress() -> list[Doc]:
    return _rendered("mattermost_ingress")


@pytest.fixture(scope="session")
def sqlite_without_persistence() -> list[Doc]:
    return _rendered("sqlite_without_persistence")


@pytest.fixture(scope="session")
def teams_bot() -> list[Doc]:
    return _rendered("teams_bot")


@pytest.fixture(scope="session")
def hub() -> list[Doc]:
    return _rendered("hub")


@pytest.fixture(scope="session")
def agent() -> list[Doc]:
    return _rendered("agent")


@pytest.fixture(scope="session")
def agent_everything() -> list[Doc]:
    return _rendered("agent_everything")
