"""Addresses as workloads write them: which Service of the namespace a value names.

Workloads find each other by name (`REDIS_ADDR=redis-cart:6379`, `http://geo:8080`,
`jdbc:mysql://db:3306/orders`, `db.shop.svc.cluster.local`); these read a value as the
Service it names inside the namespace, or as nothing there (another namespace, outside).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

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
    bare = "://" not in value and ".svc" not in value
    if found[1] is None and bare and not name.upper().endswith(ADDRESS_NAMES):
        return None  # a bare word is an address only under an address's name
    return found


def env_values(containers: list[JsonObject]) -> Iterator[tuple[str, str]]:
    """(name, value) of every literal env value of the containers (a valueFrom has none)."""
    for container in containers:
        for env in container.get("env") or []:
            value = env.get("value") if isinstance(env, dict) else None
            if isinstance(value, str) and value and len(value) <= 2000:
                yield str(env.get("name") or ""), value


_IN_TEXT = re.compile(
    r"(?:[a-z][a-z0-9+.-]{0,30}:){1,2}//(?:[^@/\s'\"]{1,200}@)?[a-z0-9][-a-z0-9.]{0,252}(?::\d{1,5})?"
    r"|\b[a-z0-9][-a-z0-9]{0,62}\.[a-z0-9][-a-z0-9]{0,62}\.svc(?:\.cluster\.local)?(?::\d{1,5})?",
    re.IGNORECASE,
)
"""An address inside a config file: a URL (`jdbc:mysql://db:3306/x`, `redis://cache:6379`) or a
Service's DNS name (`db.shop.svc.cluster.local:5432`)."""
MAX_CONFIG_TEXT = 64_000


def config_maps_read(spec: JsonObject) -> Iterator[tuple[str, bool]]:
    """(ConfigMap name, as env) of each ConfigMap a pod spec reads: `envFrom` (each key an env
    variable), a volume (each key a file)."""
    for container in [*(spec.get("containers") or []), *(spec.get("initContainers") or [])]:
        for source in (container.get("envFrom") or []) if isinstance(container, dict) else []:
            name = ((source or {}).get("configMapRef") or {}).get("name")
            if isinstance(name, str):
                yield name, True
    for volume in spec.get("volumes") or []:
        name = ((volume or {}).get("configMap") or {}).get("name")
        if isinstance(name, str):
            yield name, False


def config_maps_named(spec: JsonObject) -> set[str]:
    """Every ConfigMap a pod spec reads: `envFrom`, a volume, or one key (`configMapKeyRef`)."""
    named = {name for name, _ in config_maps_read(spec)}
    for container in [*(spec.get("containers") or []), *(spec.get("initContainers") or [])]:
        for env in (container.get("env") or []) if isinstance(container, dict) else []:
            ref = (((env or {}).get("valueFrom") or {}).get("configMapKeyRef") or {}).get("name")
            if isinstance(ref, str):
                named.add(ref)
    return named


def config_maps_unshown(spec: JsonObject, shown: dict[str, JsonObject] | None) -> list[str]:
    """The ConfigMaps a pod spec reads that the input does not show (`shown` None: none shown,
    as a live read): what the workload calls through them is unknown, not absent."""
    return sorted(n for n in config_maps_named(spec) if shown is None or n not in shown)


class Setting(NamedTuple):
    """One setting a workload's containers get, where it is set (`source`: "" for the
    workload's own env, else "configmap/NAME")."""

    name: str
    value: str
    how: str
    source: str = ""


def settings(
    workload_spec: JsonObject, containers: list[JsonObject], config_maps: dict[str, JsonObject]
) -> Iterator[Setting]:
    """Each setting a workload's containers get: literal env values, the keys of ConfigMaps
    they take as env (`envFrom`), and the URLs and Service DNS names written in the config
    files of ConfigMaps they mount (where the input shows them)."""
    for name, value in env_values(containers):
        yield Setting(name, value, f"env {name}={value}")
    for config_map, as_env in config_maps_read(workload_spec):
        data = (config_maps.get(config_map) or {}).get("data") or {}
        for key, text in data.items() if isinstance(data, dict) else ():
            if not isinstance(text, str):
                continue
            source = f"configmap/{config_map}"
            if as_env:
                yield Setting(key, text, f"ConfigMap {config_map} {key}={text[:200]}", source)
                continue
            for match in _IN_TEXT.finditer(text[:MAX_CONFIG_TEXT]):
                yield Setting(key, match[0], f"ConfigMap {config_map} {key}: {match[0]}", source)
