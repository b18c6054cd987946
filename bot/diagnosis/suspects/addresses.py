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
    named = "_" + re.sub(r"[.-]", "_", name.upper())  # `DB_HOST`, `spring.redis.host`, `host`
    if found[1] is None and bare and not named.endswith(ADDRESS_NAMES):
        return None  # a bare word is an address only under an address's name
    return found


_FLAG = re.compile(r"^--?(?P<name>[A-Za-z][\w.-]{0,80})(?:=(?P<value>\S{1,2000}))?$")


def flag_values(containers: list[JsonObject]) -> Iterator[tuple[str, str]]:
    """(flag, value) of every `--flag=value` or `-flag value` of the containers' command and
    args: a Go or Java service is often told its dependencies' addresses on its command line."""
    for container in containers:
        words = [str(w) for w in (container.get("command") or []) + (container.get("args") or [])]
        for at, word in enumerate(words[:200]):
            found = _FLAG.match(word)
            if found is None:
                continue
            value = found["value"]
            if value is None and at + 1 < len(words) and not words[at + 1].startswith("-"):
                value = words[at + 1]
            if value:
                yield found["name"], value


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
    port_key: str = ""
    """The sibling key that set the port (`DB_PORT` beside `DB_HOST`), "" when the value did."""


_HOST_KEY = re.compile(r"(?i)^(?P<prefix>.*?)(?P<sep>[._-]?)(?:host|hostname|server|addr|address)$")
"""A key naming a host alone (`DB_HOST`, `spring.redis.host`, `host`): its port is a sibling."""
_KEY_VALUE = re.compile(
    r"^[ \t]{0,40}[\"']?(?P<key>[A-Za-z_][\w.-]{0,120})[\"']?[ \t]{0,8}[:=][ \t]{0,8}"
    r"[\"']?(?P<value>[A-Za-z0-9][\w.:-]{0,250})[\"']?[ \t]{0,8}(?:[,#;]|$)",
    re.MULTILINE,
)
"""A `key: value` or `key = value` line of a config file (YAML, properties, TOML, INI, .env)."""
MAX_PAIRED_LINES = 4
"""A bare `port:` pairs with a bare `host:` at most this many lines away (one YAML block)."""


def _port_of(name: str, found: list[tuple[Setting, int]], at: int) -> tuple[str, str] | None:
    """(key, value) of the port set beside host key `name` (line `at` of a file, -1 for env): a
    sibling key (`DB_PORT`, `spring.redis.port`), or a bare `port` nearest a bare `host`."""
    host = _HOST_KEY.match(name)
    if host is None:
        return None
    prefix, sep = host["prefix"], host["sep"]
    wanted = f"{prefix}{sep}port".lower()
    near = [
        (abs(line - at), s.name, s.value)
        for s, line in found
        if s.value.isdigit()
        and s.name.lower() == wanted
        and (prefix or at < 0 or abs(line - at) <= MAX_PAIRED_LINES)
    ]
    return min(near)[1:] if near else None


def _paired(found: list[Setting], lines: list[int]) -> Iterator[Setting]:
    """The settings, a host key's value joined with the port its sibling key sets."""
    placed = list(zip(found, lines, strict=True))
    for setting, line in placed:
        port = _port_of(setting.name, placed, line) if ":" not in setting.value else None
        if port is None:
            yield setting
            continue
        key, number = port
        how = f"{setting.how}, {key}={number}"
        yield setting._replace(value=f"{setting.value}:{number}", how=how, port_key=key)


def _keyed(key: str, text: str, config_map: str, source: str) -> Iterator[Setting]:
    """The host keys of a config file, each with its sibling port, as settings."""
    found, lines = [], []
    for match in _KEY_VALUE.finditer(text[:MAX_CONFIG_TEXT]):
        name, value = match["key"], match["value"]
        if _HOST_KEY.match(name) or name.lower().endswith("port"):
            how = f"ConfigMap {config_map} {key}: {name}={value}"
            found.append(Setting(name, value, how, source))
            lines.append(text.count("\n", 0, match.start()))
    yield from (s for s in _paired(found, lines) if _HOST_KEY.match(s.name))


def settings(
    workload_spec: JsonObject, containers: list[JsonObject], config_maps: dict[str, JsonObject]
) -> Iterator[Setting]:
    """Each setting a workload's containers get: literal env values, the keys of ConfigMaps
    they take as env (`envFrom`), and the URLs and Service DNS names written in the config
    files of ConfigMaps they mount (where the input shows them)."""
    env = [Setting(name, value, f"env {name}={value}") for name, value in env_values(containers)]
    yield from _paired(env, [-1] * len(env))
    for config_map, as_env in config_maps_read(workload_spec):
        data = (config_maps.get(config_map) or {}).get("data") or {}
        source = f"configmap/{config_map}"
        texts = (
            [(k, t) for k, t in data.items() if isinstance(t, str)]
            if isinstance(data, dict)
            else []
        )
        if as_env:
            taken = [
                Setting(k, t, f"ConfigMap {config_map} {k}={t[:200]}", source) for k, t in texts
            ]
            yield from _paired(taken, [-1] * len(taken))
            continue
        for key, text in texts:
            said = [match[0] for match in _IN_TEXT.finditer(text[:MAX_CONFIG_TEXT])]
            for address in said:
                yield Setting(key, address, f"ConfigMap {config_map} {key}: {address}", source)
            yield from (
                s
                for s in _keyed(key, text, config_map, source)
                if s.port_key or s.value not in said
            )
