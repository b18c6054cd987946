"""The Argo CD application and source path a paste names, for the fix that renders it.

`argocd app get` prints the application (`Name: argocd/shop`) and its source's path
(`Path: overlays/prod`); the repo-server's error quotes the render command with the path
(`` `kustomize build <path to cached source>/overlays/prod` failed``), and an Application
manifest spells it (`source:` / `path: overlays/prod`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_PATH = r"[A-Za-z0-9._-][A-Za-z0-9._/-]{0,200}"
_APP = re.compile(r"^Name:\s+(?:[a-z0-9-]{1,63}/)?([a-z0-9](?:[-a-z0-9]{0,51}[a-z0-9])?)\s*$")
_FIELD = re.compile(rf"^\s*Path:\s+({_PATH})\s*$")
_RENDERED = re.compile(rf"`?kustomize build <path to cached source>/({_PATH})`?")
_SOURCE = re.compile(r"^(?P<indent>\s*)source:\s*$")
_SOURCE_PATH = re.compile(rf"^\s*path:\s*[\"']?({_PATH})[\"']?\s*$")
MAX_SOURCE_LINES = 8


def _app_fields(line: str) -> Iterator[tuple[str, str]]:
    """The application and its source path, on a line of `argocd app get`."""
    if (app := _APP.match(line)) is not None:
        yield "app", app.group(1)
    if (path := _FIELD.match(line)) is not None:
        yield "app-path", path.group(1)


def argocd_names(text: str) -> Iterator[tuple[str, str]]:
    """(kind, value): the application (`app`) `argocd app get` shows, and the source path
    (`app-path`) it, the render error or the manifest names."""
    if "argo" not in text.lower() and "kustomize build" not in text:
        return
    lines = text.splitlines()
    shown = any(line.startswith(("Repo:", "Sync Status:")) for line in lines)
    for at, line in enumerate(lines):
        if shown:
            yield from _app_fields(line)
        yield from (("app-path", m.group(1)) for m in _RENDERED.finditer(line))
        head = _SOURCE.match(line)
        if head is not None:
            yield from _source_path(lines[at + 1 : at + 1 + MAX_SOURCE_LINES], head.group("indent"))


def _source_path(block: list[str], indent: str) -> Iterator[tuple[str, str]]:
    for inner in block:
        if len(inner) - len(inner.lstrip()) <= len(indent):
            return
        found = _SOURCE_PATH.match(inner)
        if found is not None:
            yield "app-path", found.group(1)
            return
