"""Rendered deploy/ targets, each rendered once per test session."""

from __future__ import annotations

import pytest

from tests.deploy.kustomize import KUBECTL, TARGETS, Doc, render


def _rendered(name: str) -> list[Doc]:
    if KUBECTL is None:
        pytest.skip("kubectl (with kustomize) is not installed")
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
