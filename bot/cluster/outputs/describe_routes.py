"""`kubectl describe ingress`: its rules table (host, path, backend Service and port) as the
Ingress's spec, so a rendering without `-o yaml` still says where each host and path goes.

    Default backend:  <default>
    Rules:
      Host               Path  Backends
      ----               ----  --------
      shop.example.test
                         /api/   gateway:80 (10.244.0.7:8080)
                         /       storefront:http (<error: endpoints "storefront" not found>)

A host sits on its own line or on its first path's line; `*` is every host. What kubectl
read of each backend's endpoints (in brackets) is left out: it is read from the Services.
"""

from __future__ import annotations

import re
from typing import Any

from bot.cluster.outputs.describe_pods import meta_of
from bot.cluster.outputs.describe_tree import Entry, present
from bot.cluster.outputs.table import none_if_unset
from bot.cluster.reader import JsonObject

_NAME = r"[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?"
_BACKEND = rf"(?P<service>{_NAME}):(?P<port>[A-Za-z0-9-]{{1,63}})(?:\s+\(.{{0,2000}}\))?"
_PATH_ROW = re.compile(
    rf"^\s*(?:(?P<host>[^\s/-]\S{{0,252}})\s+)?(?P<path>/\S{{0,2000}})\s+{_BACKEND}\s*$"
)
_HOST_ROW = re.compile(r"^\s*(?P<host>[^\s/-]\S{0,252})\s*$")
_DEFAULT = re.compile(rf"^{_BACKEND}\s*$")


def _backend(service: str, port: str) -> JsonObject:
    number = {"number": int(port)} if port.isdigit() else {"name": port}
    return {"service": {"name": service, "port": number}}


def _rules(rows: list[str]) -> list[JsonObject]:
    """The rules, one per host in the order shown, each with its paths."""
    rules: list[JsonObject] = []
    for row in rows:
        if found := _PATH_ROW.match(row):
            if found["host"] or not rules:
                rules.append({"host": found["host"] or "*", "paths": []})
            backend = _backend(found["service"], found["port"])
            path = {"path": found["path"], "pathType": "Prefix", "backend": backend}
            rules[-1]["paths"].append(path)
        elif host := _HOST_ROW.match(row):
            rules.append({"host": host["host"], "paths": []})
    return [
        present(host=r["host"] if r["host"] != "*" else None, http=present(paths=r["paths"]))
        for r in rules
    ]


def ingress(root: Entry) -> JsonObject:
    """An Ingress from its describe: class, default backend and rules."""
    spec: dict[str, Any] = present(ingressClassName=none_if_unset(root.value_of("Ingress Class")))
    default = _DEFAULT.match(root.value_of("Default backend") or "")
    if default:
        spec["defaultBackend"] = _backend(default["service"], default["port"])
    table = root.get("Rules")
    if table is not None and (rules := _rules(table.raw_lines())):
        spec["rules"] = rules
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": meta_of(root),
        "spec": spec,
    }
