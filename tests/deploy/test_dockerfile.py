"""deploy/Dockerfile, read as Docker reads it (no Docker here to build it): a pinned
base, a build stage that installs this checkout, and a runtime stage that runs as
a numeric non-root user on a read-only root, matching the Deployment."""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pytest

from bot.cli import build_parser
from tests.deploy.kustomize import DEPLOY, Doc, bot_container, needs_kubectl, only

ROOT = DEPLOY.parent
DOCKERFILE = DEPLOY / "Dockerfile"
DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")


@dataclass
class Stage:
    image: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for k, args in self.instructions if k == keyword]

    def env(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for args in self.all("ENV"):
            for pair in shlex.split(args):
                key, _, value = pair.partition("=")
                values[key] = value
        return values


def instructions(text: str) -> list[tuple[str, str]]:
    """(KEYWORD, arguments) with comments dropped and continuation lines joined."""
    logical: list[str] = []
    pending = ""
    for line in text.splitlines():
        if line.lstrip().startswith("#") or not line.strip():
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    assert not pending, "the Dockerfile ends inside a continued line"
    parsed = []
    for line in logical:
        keyword, _, args = line.strip().partition(" ")
        parsed.append((keyword.upper(), args.strip()))
    return parsed


def parse(text: str) -> tuple[dict[str, str], list[Stage]]:
    """Global ARG defaults and the stages, with ${ARG} in FROM lines substituted."""
    args: dict[str, str] = {}
    stages: list[Stage] = []
    for keyword, rest in instructions(text):
        if keyword == "FROM":
            words = rest.split()
            words = [w for w in words if not w.startswith("--platform")]
            image = re.sub(r"\$\{?(\w+)\}?", lambda m: args[m.group(1)], words[0])
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            stages.append(Stage(image, name))
        elif keyword == "ARG" and not stages:
            key, _, value = rest.partition("=")
            args[key] = value
        else:
            assert stages, f"{keyword} before the first FROM"
            stages[-1].instructions.append((keyword, rest))
    return args, stages


def exec_form(args: str) -> list[str]:
    value = json.loads(args)
    assert isinstance(value, list) and all(isinstance(v, str) for v in value), args
    return value


def pinned(image: str) -> bool:
    """repository:version-tag, optionally @sha256:digest; never :latest or untagged."""
    reference, _, digest = image.partition("@")
    if digest and not DIGEST.match(digest):
        return False
    _, _, tag = reference.rpartition(":")
    return "/" not in tag and bool(tag) and tag != "latest" and bool(re.match(r"\d+\.\d+", tag))


@pytest.fixture(scope="module")
def stages() -> list[Stage]:
    return parse(DOCKERFILE.read_text())[1]


@pytest.fixture(scope="module")
def runtime(stages: list[Stage]) -> Stage:
    return stages[-1]


def test_the_pin_check() -> None:
    assert pinned("python:3.12.11-slim-bookworm")
    assert pinned("python:3.12.11-slim-bookworm@sha256:" + "a" * 64)
    assert not pinned("python:latest")
    assert not pinned("python")
    assert not pinned("python:slim")
    assert not pinned("registry:5000/python")
    assert not pinned("python:3.12-slim@sha256:abc")


def test_base_images_are_pinned(stages: list[Stage]) -> None:
    names = {s.name for s in stages if s.name}
    for stage in stages:
        assert stage.image in names or pinned(stage.image), stage.image
    assert len({s.image for s in stages}) == 1, (
        "build and runtime on the same base (the venv's python)"
    )


def test_multi_stage_runtime_gets_only_the_venv(stages: list[Stage], runtime: Stage) -> None:
    assert len(stages) >= 2
    copies = runtime.all("COPY")
    assert copies and all(c.startswith("--from=") for c in copies), (
        "the runtime copies nothing from the context"
    )
    assert not [r for r in runtime.all("RUN") if "pip " in r], (
        "nothing is installed in the runtime stage"
    )


def test_the_build_installs_this_checkout_not_pypi_namesakes(stages: list[Stage]) -> None:
    """`pip install responses` would fetch the unrelated PyPI package of that name."""
    installs = [r for s in stages for r in s.all("RUN") if re.search(r"\bpip\b.*\binstall\b", r)]
    assert len(installs) == 1
    words = shlex.split(installs[0].split("&&")[0])
    targets = [w for w in words[words.index("install") + 1 :] if not w.startswith("-")]
    assert targets == ["."]


def test_the_build_context_has_what_pip_install_reads(stages: list[Stage]) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = project["tool"]["setuptools"]["packages"]["find"]["include"]
    needed = {p.rstrip("*") for p in packages} | {"pyproject.toml", project["project"]["readme"]}
    copied = {
        source.rstrip("/")
        for s in stages[:-1]
        for c in s.all("COPY")
        if not c.startswith("--from")
        for source in shlex.split(c)[:-1]
    }
    assert needed <= copied
    assert all((ROOT / path).exists() for path in copied)
    ignore = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert ignore[0] == "*", (
        ".dockerignore is an allow-list (no .venv, *.db or kubeconfig in the context)"
    )
    allowed = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    assert copied <= allowed


def test_runtime_user_entrypoint_and_no_healthcheck(stages: list[Stage], runtime: Stage) -> None:
    assert not [s for s in stages if s.all("HEALTHCHECK")], "Kubernetes probes /healthz and /readyz"
    users = runtime.all("USER")
    assert len(users) == 1 and re.fullmatch(r"[1-9]\d*:[1-9]\d*", users[0]), users
    assert exec_form(runtime.all("ENTRYPOINT")[-1]) == ["kubemedic"]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert "kubemedic" in scripts
    command = build_parser().parse_args(exec_form(runtime.all("CMD")[-1]))
    assert command.command == "serve"
    env = runtime.env()
    assert env["PYTHONDONTWRITEBYTECODE"] == "1"
    assert runtime.all("EXPOSE") == [env["PORT"]]


@needs_kubectl
def test_image_and_deployment_agree(runtime: Stage, base: list[Doc]) -> None:
    """The pod runs as the image's user, on its port, and mounts every path the image writes to."""
    container = bot_container(base)
    pod = only(base, "Deployment")["spec"]["template"]["spec"]
    uid, gid = (int(x) for x in runtime.all("USER")[0].split(":"))
    assert (pod["securityContext"]["runAsUser"], pod["securityContext"]["runAsGroup"]) == (uid, gid)
    assert [p["containerPort"] for p in container["ports"]] == [int(runtime.all("EXPOSE")[0])]
    mounts = [PurePosixPath(m["mountPath"]) for m in container["volumeMounts"]]
    env = runtime.env()
    writes = [
        env["HOME"],
        env["KUBEMEDIC_CACHE_DIR"],
        env["KUBEMEDIC_DATABASE_URL"].removeprefix("sqlite+aiosqlite:///"),
        runtime.all("WORKDIR")[-1],
    ]
    for path in writes:
        assert any(PurePosixPath(path).is_relative_to(m) for m in mounts), path
    assert exec_form(runtime.all("ENTRYPOINT")[-1])[0] not in container.get("command", []), (
        "the Deployment sets args only and keeps the image's entrypoint"
    )


def test_the_parser_sees_continuations_and_args(tmp_path: Path) -> None:
    _, parsed = parse(
        "ARG BASE=python:3.12.11-slim\nFROM ${BASE} AS build\n# c\nRUN a \\\n  && b\n"
        'FROM $BASE\nUSER 1:1\nENV A=1 \\\n    B="x y"\n'
    )
    assert [s.image for s in parsed] == ["python:3.12.11-slim", "python:3.12.11-slim"]
    assert parsed[0].name == "build" and parsed[0].all("RUN") == ["a    && b"]
    assert parsed[1].env() == {"A": "1", "B": "x y"}
