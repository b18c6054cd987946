"""What an install needs beside the chart or the Kustomize base, generated instead of written
by hand from the docs: Alertmanager's receiver for the bot's Service, and the Secret with the
kubeconfig of the extra clusters the bot may read (`kubemedic install-manifests`).

The kubeconfig is built from contexts of the user's own kubeconfig: `home` is the cluster the
bot runs in (its service account's token and CA, mounted by Kubernetes), then each context
named, with its server and credentials copied in and files inlined, since the pod has none
of the user's files. Credentials that run a program (`exec`, `auth-provider`) cannot work in
the pod and are refused, naming the context.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import yaml

from bot.errors import BadInput

#: the chart's and the Kustomize base's defaults (tests/cli/test_install_manifests.py renders
#: the chart and holds these equal to its Service)
SERVICE = "kubemedic"
NAMESPACE = "kubemedic"
SERVICE_PORT = 80
SECRET = "kubemedic-kubeconfig"
HOME = "home"
SERVICE_ACCOUNT = "/var/run/secrets/kubernetes.io/serviceaccount"
#: user credentials that work inside the pod, and the file forms inlined for it
USER_KEYS = {"token", "client-certificate-data", "client-key-data", "username", "password"}
INLINED = {
    "client-certificate": "client-certificate-data",
    "client-key": "client-key-data",
    "certificate-authority": "certificate-authority-data",
}
CLUSTER_KEYS = {
    "server",
    "certificate-authority-data",
    "insecure-skip-tls-verify",
    "tls-server-name",
    "proxy-url",
}


def alertmanager_receiver(
    *, service: str = SERVICE, namespace: str = NAMESPACE, port: int = SERVICE_PORT
) -> str:
    """The route and receiver of alertmanager.yml that deliver to the bot's Service."""
    return f"""\
# alertmanager.yml
route:
  receiver: kubemedic
  group_by: [alertname, namespace]   # one Slack message per group
  group_interval: 5m
receivers:
  - name: kubemedic
    webhook_configs:
      - url: http://{service}.{namespace}.svc:{port}/alertmanager
        send_resolved: true            # resolution edits the message in place
        max_alerts: 200
        http_config:
          authorization:
            credentials_file: /etc/alertmanager/secrets/kubemedic/token   # = KUBEMEDIC_ALERTMANAGER_TOKEN
"""


def clusters_secret(
    kubeconfig: Path, contexts: list[str], *, namespace: str = NAMESPACE, name: str = SECRET
) -> str:
    """A Secret (key `config`) holding `home` plus these contexts of `kubeconfig`."""
    source = _read(kubeconfig)
    clusters: list[dict[str, Any]] = [
        {
            "name": HOME,
            "cluster": {
                "server": "https://kubernetes.default.svc",
                "certificate-authority": f"{SERVICE_ACCOUNT}/ca.crt",
            },
        }
    ]
    users: list[dict[str, Any]] = [
        {"name": HOME, "user": {"tokenFile": f"{SERVICE_ACCOUNT}/token"}}
    ]
    named: list[dict[str, Any]] = [{"name": HOME, "context": {"cluster": HOME, "user": HOME}}]
    for context in dict.fromkeys(contexts):
        if context == HOME:
            raise BadInput(
                f"context {HOME!r} is the cluster kubemedic runs in; name only the other clusters"
            )
        cluster_name, user_name = _context(source, context, kubeconfig)
        clusters.append(
            {"name": context, "cluster": _cluster(source, cluster_name, context, kubeconfig)}
        )
        users.append({"name": context, "user": _user(source, user_name, context, kubeconfig)})
        named.append({"name": context, "context": {"cluster": context, "user": context}})
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "current-context": HOME,
        "clusters": clusters,
        "users": users,
        "contexts": named,
    }
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "Opaque",
        "metadata": {"name": name, "namespace": namespace},
        "stringData": {"config": yaml.safe_dump(config, sort_keys=False)},
    }
    return yaml.dump(secret, Dumper=_BlockText, sort_keys=False)


class _BlockText(yaml.SafeDumper):
    """Multi-line strings as `|` blocks, so the kubeconfig reads as YAML inside the Secret."""


_BlockText.add_representer(
    str,
    lambda dumper, text: dumper.represent_scalar(
        "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None
    ),
)


def _read(path: Path) -> dict[str, Any]:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput(
            f"no kubeconfig at {path}: give the one with your clusters' contexts with "
            "--kubeconfig FILE or KUBECONFIG"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        raise BadInput(f"cannot read kubeconfig {path}: {reason}") from None
    except yaml.YAMLError:
        raise BadInput(f"kubeconfig {path} is not valid YAML") from None
    if not isinstance(loaded, dict):
        raise BadInput(f"kubeconfig {path} is not a kubeconfig (expected a mapping with contexts)")
    return loaded


def _named(source: dict[str, Any], section: str, name: str) -> dict[str, Any] | None:
    for item in source.get(section) or []:
        if isinstance(item, dict) and item.get("name") == name:
            found = item.get(section[:-1])
            return found if isinstance(found, dict) else {}
    return None


def _context(source: dict[str, Any], context: str, path: Path) -> tuple[str, str]:
    found = _named(source, "contexts", context)
    if found is None:
        known = ", ".join(
            str(c.get("name")) for c in source.get("contexts") or [] if isinstance(c, dict)
        )
        raise BadInput(f"no context {context!r} in {path} (it has: {known or 'none'})")
    return str(found.get("cluster")), str(found.get("user"))


def _cluster(source: dict[str, Any], name: str, context: str, path: Path) -> dict[str, Any]:
    found = _named(source, "clusters", name)
    if not found or not found.get("server"):
        raise BadInput(f"context {context!r}: cluster {name!r} has no server in {path}")
    return {key: value for key, value in _inline(found, path).items() if key in CLUSTER_KEYS}


def _user(source: dict[str, Any], name: str, context: str, path: Path) -> dict[str, Any]:
    found = _named(source, "users", name) or {}
    for key in ("exec", "auth-provider"):
        if key in found:
            raise BadInput(
                f"context {context!r}: user {name!r} gets its credentials from {key}, which cannot "
                "run in the kubemedic pod; give kubemedic a service account token of that cluster "
                "bound to the read-only role (docs/clusters.md)"
            )
    if found.get("tokenFile"):  # a path on this machine: the token itself goes in
        found = {**found, "token": _file(Path(found["tokenFile"]), path).decode().strip()}
    user = {key: value for key, value in _inline(found, path).items() if key in USER_KEYS}
    if not user:
        raise BadInput(
            f"context {context!r}: user {name!r} has no token or client certificate in {path}"
        )
    return user


def _inline(section: dict[str, Any], path: Path) -> dict[str, Any]:
    """File references as the `-data` fields the pod can read (base64 of the file)."""
    inlined = dict(section)
    for key, data_key in INLINED.items():
        if key in inlined:
            inlined[data_key] = base64.b64encode(_file(Path(inlined.pop(key)), path)).decode()
    return inlined


def _file(name: Path, kubeconfig: Path) -> bytes:
    """A file a kubeconfig names, relative to the kubeconfig's folder as kubectl reads it."""
    where = name if name.is_absolute() else kubeconfig.parent / name
    try:
        return where.read_bytes()
    except OSError as exc:
        raise BadInput(
            f"cannot read {where} (named in {kubeconfig}): {exc.__class__.__name__}"
        ) from None
