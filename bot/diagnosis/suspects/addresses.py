"""Addresses as workloads write them: which Service of the namespace a value names.

Workloads find each other by name (`REDIS_ADDR=redis-cart:6379`, `http://geo:8080`,
`jdbc:mysql://db:3306/orders`, `db.shop.svc.cluster.local`); these read a value as the
Service it names inside the namespace, or as nothing there (another namespace, outside).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.cluster.reader import JsonObject

_ADDRESS = re.compile(
    r"^(?:(?:[a-z][a-z0-9+.-]{0,30}:){1,2}//)?(?:[^@/\s]{1,200}@)?"
    r"(?P<host>[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?)(?::(?P<port>\d{1,5}))?(?:[/?]\S{0,2000})?$"
)


def service_host(value: str, namespace: str) -> tuple[str, int | None] | None:
    """(name, port) of an address inside the namespace (a URL, `name:port`, a JDBC URL), or
    None for an address elsewhere (another namespace, outside the cluster, an IP)."""
    found = _ADDRESS.match(value.strip().lower())
    if found is None:
        return None
    host = found["host"]
    for suffix in (f".{namespace}.svc.cluster.local", f".{namespace}.svc", f".{namespace}"):
        host = host.removesuffix(suffix)
    if "." in host or host in ("localhost", "kubernetes") or host.replace(".", "").isdigit():
        return None
    return host, int(found["port"]) if found["port"] else None


ADDRESS_NAMES = (
    "_ADDR",
    "_ADDRESS",
    "_HOST",
    "_HOSTNAME",
    "_URL",
    "_URI",
    "_ENDPOINT",
    "_SERVICE",
    "_SERVER",
)
NEVER = frozenset({"localhost", "0.0.0.0", "127.0.0.1", "kubernetes", "host.docker.internal"})


def configured_address(name: str, value: str, namespace: str) -> tuple[str, int | None] | None:
    """(Service name, port) an env value points at inside the namespace (`name:port`, a URL,
    a JDBC URL), or None."""
    found = service_host(value, namespace)
    if found is None or found[0] in NEVER:
        return None
    if found[1] is None and "://" not in value and not name.upper().endswith(ADDRESS_NAMES):
        return None  # a bare word is an address only under an address's name
    return found


def env_values(containers: list[JsonObject]) -> Iterator[tuple[str, str]]:
    """(name, value) of every literal env value of the containers (a valueFrom has none)."""
    for container in containers:
        for env in container.get("env") or []:
            value = env.get("value") if isinstance(env, dict) else None
            if isinstance(value, str) and value and len(value) <= 2000:
                yield str(env.get("name") or ""), value


def mounted_values(
    spec: JsonObject, config_maps: dict[str, JsonObject] | None
) -> Iterator[tuple[str, str]]:
    """(key, value) of the ConfigMaps the pod spec mounts or reads whole: a one-line value as
    is (`envFrom`), and each `key=value` or `key: value` line of a config file (a file names the
    hosts as env values do); none when the input shows no ConfigMaps."""
    names = [(v.get("configMap") or {}).get("name") for v in spec.get("volumes") or []]
    names += [
        (f.get("configMapRef") or {}).get("name")
        for c in spec.get("containers") or []
        for f in c.get("envFrom") or []
    ]
    for name in names:
        data = ((config_maps or {}).get(str(name)) or {}).get("data") or {}
        for key, text in data.items():
            lines = str(text).strip().splitlines()
            if len(lines) == 1:
                yield str(key), lines[0]
                continue
            for line in lines[:500]:
                yield _setting(line)


def _setting(line: str) -> tuple[str, str]:
    """A config file's line as (key, value): at its first `=` or `: `, else ("", the line)."""
    cuts = [at for at in (line.find("="), line.find(": ")) if at > 0]
    if not cuts:
        return "", line.strip()
    at = min(cuts)
    return line[:at].strip(), line[at + 1 :].strip()
