"""Containers as `kubectl describe` prints them, back into the API's container and status shapes.

describe writes each container's spec (image, ports, probes, env, resources, mounts)
and, for a pod, its status (State and Last State with their reason and exit code,
Ready, Restart Count) as text (describe.go `describeContainers`).  The probe line
`http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3`
becomes `httpGet` {scheme, port, path} with its timings, so a walk can compare a
probe's port with the container's; an env value that refers to a ConfigMap or Secret
key becomes its `valueFrom` reference (describe never prints a secret's value).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.cluster.outputs.ages import at
from bot.cluster.outputs.describe_tree import Entry, present
from bot.cluster.outputs.shapes import port_value
from bot.cluster.outputs.table import none_if_unset
from bot.cluster.reader import JsonObject

_PORT = re.compile(r"^(\d{1,5})/([A-Z]{2,5})(?:\s+\(([^)]*)\))?$")
_TIMING = re.compile(r"(delay|timeout|period|#success|#failure)=(\d+)s?")
_TIMING_KEYS = {
    "delay": "initialDelaySeconds",
    "timeout": "timeoutSeconds",
    "period": "periodSeconds",
    "#success": "successThreshold",
    "#failure": "failureThreshold",
}
_KEY_REF = re.compile(
    r"^<set to the key '([^']*)' (in secret|of config map) '([^']*)'>"
    r"(?:\s+Optional:\s+(true|false))?"
)
_FIELD_REF = re.compile(r"^(?:\S.*\s)?\(([\w.]+/)?(v\d\w*):([\w.\[\]'/-]+)\)$")
_MOUNT = re.compile(r"^(\S+) from (\S+) \((ro|rw)(?:,path=\"([^\"]*)\")?\)")
_ENV_FROM = re.compile(r"^(\S+)\s+(ConfigMap|Secret)\s+Optional:\s+(true|false)")
_HTTP = re.compile(r"^(https?)://([^:/]*):([^/\s]+)(/\S*)?")
_GRPC = re.compile(r"^<pod>:(\d++)\s*(\S*)")


def _ports(entry: Entry | None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for part in (entry.value if entry else "").split(","):
        if m := _PORT.match(part.strip()):
            if m[1] == "0":
                continue
            port: dict[str, Any] = {"containerPort": int(m[1]), "protocol": m[2]}
            if m[3]:
                port["name"] = m[3]
            out.append(port)
    return out


def _http_get(target: str) -> JsonObject | None:
    if (m := _HTTP.match(target)) is None:
        return None
    return {
        "httpGet": {
            "scheme": m[1].upper(),
            "port": port_value(m[3]),
            "path": m[4] or "/",
            **present(host=m[2]),
        }
    }


def _tcp_socket(target: str) -> JsonObject:
    host, _, port = target.rpartition(":")
    return {"tcpSocket": {"port": port_value(port), **present(host=host)}}


def _grpc(target: str) -> JsonObject | None:
    if (m := _GRPC.match(target)) is None:
        return None
    return {"grpc": {"port": int(m[1]), **present(service=m[2])}}


def _exec(target: str) -> JsonObject:
    return {"exec": {"command": target.strip("[]").split()}}


_PROBE_HANDLERS: dict[str, Callable[[str], JsonObject | None]] = {
    "http-get": _http_get,
    "tcp-socket": _tcp_socket,
    "grpc": _grpc,
    "exec": _exec,
}
"""describe's word for a probe's handler -> the reader of its target."""


def probe(text: str | None) -> JsonObject | None:
    """A probe from describe's one-line form; None for `<none>` or an unknown form."""
    value = none_if_unset(text)
    if value is None:
        return None
    kind, _, rest = value.partition(" ")
    read = _PROBE_HANDLERS.get(kind)
    handler = read(rest.split(" delay=", 1)[0].strip()) if read else None
    if handler is None:
        return None
    handler.update({_TIMING_KEYS[k]: int(v) for k, v in _TIMING.findall(rest)})
    return handler


def env_var(entry: Entry) -> JsonObject:
    value = entry.value
    if m := _KEY_REF.match(value):
        ref = "secretKeyRef" if m[2] == "in secret" else "configMapKeyRef"
        source: dict[str, Any] = {"name": m[3], "key": m[1]}
        if m[4]:
            source["optional"] = m[4] == "true"
        return {"name": entry.key, "valueFrom": {ref: source}}
    if m := _FIELD_REF.match(value):
        return {
            "name": entry.key,
            "valueFrom": {"fieldRef": {"apiVersion": (m[1] or "") + m[2], "fieldPath": m[3]}},
        }
    return {"name": entry.key, "value": "\n".join(entry.lines())}


def _env_from(entry: Entry | None) -> list[JsonObject]:
    out: list[JsonObject] = []
    for line in entry.lines() if entry else []:
        if m := _ENV_FROM.match(line):
            ref = "configMapRef" if m[2] == "ConfigMap" else "secretRef"
            out.append({ref: {"name": m[1], "optional": m[3] == "true"}})
    return out


def _mounts(entry: Entry | None) -> list[JsonObject]:
    out: list[JsonObject] = []
    for line in entry.lines() if entry else []:
        if m := _MOUNT.match(line):
            mount: dict[str, Any] = {"mountPath": m[1], "name": m[2], "readOnly": m[3] == "ro"}
            if m[4]:
                mount["subPath"] = m[4]
            out.append(mount)
    return out


def _quantities(entry: Entry | None) -> dict[str, str]:
    return {c.key: c.value for c in entry.children if c.key} if entry else {}


def _lines(entry: Entry | None) -> list[str]:
    return entry.lines() if entry is not None else []


def container_spec(entry: Entry) -> JsonObject:
    """A container of a pod or pod template."""
    spec: dict[str, Any] = {
        "name": entry.key,
        **present(
            image=none_if_unset(entry.value_of("Image")),
            ports=_ports(entry.get("Port") or entry.get("Ports")),
            command=_lines(entry.get("Command")),
            args=_lines(entry.get("Args")),
            resources=present(
                limits=_quantities(entry.get("Limits")), requests=_quantities(entry.get("Requests"))
            ),
            livenessProbe=probe(entry.value_of("Liveness")),
            readinessProbe=probe(entry.value_of("Readiness")),
            startupProbe=probe(entry.value_of("Startup")),
        ),
    }
    env = entry.get("Environment")
    if env is not None and none_if_unset(env.value) is None:
        spec["env"] = [env_var(c) for c in env.children if c.key]
    spec.update(
        present(
            envFrom=_env_from(entry.get("Environment Variables from")),
            volumeMounts=_mounts(entry.get("Mounts")),
        )
    )
    return spec


def _integer(text: str | None) -> int | None:
    return int(text) if text is not None and text.lstrip("-").isdigit() else None


def _state(entry: Entry | None) -> dict[str, Any]:
    if entry is None or none_if_unset(entry.value) is None:
        return {}
    word = entry.value.split()[0].lower()
    if word not in ("running", "waiting", "terminated"):
        return {}
    return {
        word: present(
            reason=entry.value_of("Reason"),
            message=entry.value_of("Message"),
            exitCode=_integer(entry.value_of("Exit Code")),
            signal=_integer(entry.value_of("Signal")),
            startedAt=at(entry.value_of("Started") or ""),
            finishedAt=at(entry.value_of("Finished") or ""),
        )
    }


def container_status(entry: Entry) -> JsonObject:
    """A pod container's status from its State, Last State, Ready and Restart Count lines."""
    status: dict[str, Any] = {
        "name": entry.key,
        "state": _state(entry.get("State")) or ({"waiting": {}} if entry.get("State") else {}),
        "restartCount": int(v) if (v := entry.value_of("Restart Count") or "").isdigit() else 0,
    }
    if (ready := entry.value_of("Ready")) is not None:  # (a describe cut before it: unknown)
        status["ready"] = ready == "True"
    status.update(present(lastState=_state(entry.get("Last State"))))
    status.update(
        entry.values({"Image": "image", "Image ID": "imageID", "Container ID": "containerID"})
    )
    return status


def containers(section: Entry | None) -> list[Entry]:
    """The container entries under `Containers:` / `Init Containers:`."""
    if section is None or none_if_unset(section.value) is not None:
        return []
    return [c for c in section.children if c.key]
