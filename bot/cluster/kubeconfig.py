"""Turn settings (KUBECONFIG, --context, in-cluster) into a connected gateway.

kubectl's rules, with one-line errors instead of tracebacks: KUBECONFIG (one
or more files) or ~/.kube/config, else the pod's service account.  A context
that is not in the kubeconfig is a usage error (exit 2); no configuration at
all, or one that cannot be loaded, means the cluster cannot be read (exit 1).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
from pathlib import Path

import urllib3
from kubernetes import client, config
from kubernetes.config import exec_provider, kube_config
from kubernetes.config.config_exception import ConfigException
from urllib3.util.retry import Retry

from bot.cluster.gateway import ErrorHook, KubeGateway
from bot.errors import BadInput, ClusterUnavailable
from bot.settings import Settings

IN_CLUSTER = "in-cluster"
log = logging.getLogger(__name__)


PLUGIN_SECONDS = 60
"""How long a kubeconfig exec credential plugin (aws eks get-token, gke-gcloud-auth-plugin) may take."""


class QuietExecProvider(exec_provider.ExecProvider):
    """The exec credential plugin run as a child with no terminal: the client library handed it
    our terminal when stdout was one (so whatever it printed, a token included, reached the
    screen) and put its stderr in the error message it logged. Here its stderr is captured and
    never shown, stdin is closed, and it has PLUGIN_SECONDS to answer."""

    def _spec(self, previous_response: object) -> dict[str, object]:
        """The ExecCredential spec the plugin is handed (KUBERNETES_EXEC_INFO)."""
        spec: dict[str, object] = {"interactive": False}
        if previous_response:
            spec["response"] = previous_response
        if self.cluster:
            cluster = dict(self.cluster.value)
            for extension in cluster.get("extensions") or []:
                if extension.get("name") == "client.authentication.k8s.io/exec":
                    cluster["config"] = extension.get("extension")
                    break
            spec["cluster"] = cluster
        return spec

    def run(self, previous_response: object = None) -> dict[str, object]:
        spec = self._spec(previous_response)
        env = {
            **self.env,
            "KUBERNETES_EXEC_INFO": json.dumps(
                {"apiVersion": self.api_version, "kind": "ExecCredential", "spec": spec}
            ),
        }
        plugin = Path(str(self.args[0])).name
        try:
            done = subprocess.run(
                self.args,
                capture_output=True,
                stdin=subprocess.DEVNULL,
                cwd=self.cwd,
                env=env,
                text=True,
                timeout=PLUGIN_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ConfigException(
                f"exec: credential plugin {plugin} did not answer within {PLUGIN_SECONDS} s"
            ) from None
        except OSError as exc:
            raise ConfigException(
                f"exec: cannot run credential plugin {plugin}: {exc.strerror or exc}"
            ) from None
        return self._status(plugin, done)

    def _status(self, plugin: str, done: subprocess.CompletedProcess[str]) -> dict[str, object]:
        """The status of the ExecCredential the plugin printed; ConfigException when it failed or
        printed none (its error output never shown: it may hold credentials)."""
        if done.returncode != 0:
            raise ConfigException(
                f"exec: credential plugin {plugin} exited with {done.returncode}; its error "
                "output is not shown (it may hold credentials): run it yourself to see it"
            )
        try:
            data = json.loads(done.stdout)
        except ValueError:
            raise ConfigException(
                f"exec: credential plugin {plugin} printed no ExecCredential JSON"
            ) from None
        if not isinstance(data, dict) or any(
            key not in data for key in ("apiVersion", "kind", "status")
        ):
            raise ConfigException(
                f"exec: credential plugin {plugin} printed a malformed ExecCredential"
            )
        if data["apiVersion"] != self.api_version:
            raise ConfigException(
                f"exec: credential plugin {plugin} answered apiVersion {data['apiVersion']}, "
                f"expected {self.api_version}"
            )
        status = data["status"]
        if not isinstance(status, dict):
            raise ConfigException(
                f"exec: credential plugin {plugin} printed a malformed ExecCredential"
            )
        return status


kube_config.ExecProvider = QuietExecProvider  # type: ignore[attr-defined]  # what kube_config calls for `exec:`


def _config_files(settings: Settings) -> list[Path]:
    if settings.kubeconfig:
        return [Path(part) for part in settings.kubeconfig.split(os.pathsep) if part]
    default = settings.default_kubeconfig()
    return [default] if default.exists() else []


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _check_context(files: list[Path], context: str | None) -> str:
    """The context to use; BadInput when the kubeconfig does not have it."""
    joined = os.pathsep.join(str(path) for path in files)
    try:
        contexts, current = config.list_kube_config_contexts(config_file=joined)
    except (ConfigException, OSError, ValueError, TypeError, KeyError) as exc:
        raise ClusterUnavailable(f"cannot read kubeconfig {joined}: {_one_line(exc)}") from exc
    names = [entry["name"] for entry in contexts or []]
    if context is None:
        if not current:
            raise BadInput(f"kubeconfig {joined} has no current context; pass --context")
        return str(current["name"])
    if context not in names:
        known = ", ".join(names[:10]) or "none"
        raise BadInput(f"unknown context {context!r} in kubeconfig {joined} (known: {known})")
    return context


def _from_files(files: list[Path], context: str | None, configuration: client.Configuration) -> str:
    """Load `context` (else the current one) of the kubeconfig files that exist; its name."""
    name = _check_context(files, context)
    joined = os.pathsep.join(str(path) for path in files if path.is_file())
    try:
        config.load_kube_config(
            config_file=joined,
            context=name,
            client_configuration=configuration,
            persist_config=False,
        )
    except (ConfigException, OSError, ValueError, TypeError, KeyError) as exc:
        raise ClusterUnavailable(f"cannot use context {name!r}: {_one_line(exc)}") from exc
    return name


def _load(settings: Settings, context: str | None) -> tuple[client.Configuration, str]:
    configuration = client.Configuration()
    files = _config_files(settings)
    missing = [str(path) for path in files if not path.is_file()]
    if files and len(missing) == len(files):
        raise ClusterUnavailable(f"kubeconfig not found: {', '.join(missing)}")
    if files:
        return configuration, _from_files(files, context, configuration)
    if settings.kubernetes_service_host:
        if context is not None:
            raise BadInput("--context needs a kubeconfig; none found (running in-cluster)")
        try:
            config.load_incluster_config(client_configuration=configuration)
        except ConfigException as exc:
            raise ClusterUnavailable(
                f"cannot use the in-cluster configuration: {_one_line(exc)}"
            ) from exc
        return configuration, IN_CLUSTER
    raise ClusterUnavailable(
        "no cluster configuration: set KUBECONFIG, create ~/.kube/config, or run inside a cluster"
    )


def _warn_insecure(context: str) -> None:
    """One line of ours instead of urllib3's InsecureRequestWarning on every request."""
    urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    log.warning(
        "context %s skips TLS verification (insecure-skip-tls-verify): the API server's "
        "certificate is not checked",
        context,
    )


def connect(
    settings: Settings,
    *,
    context: str | None = None,
    on_error: ErrorHook | None = None,
    shown: bool = False,
) -> KubeGateway:
    """A gateway for the selected context, with deliberate retries and a bounded pool
    (`on_error` is told about every failed request, for metrics; `shown`: secrets as read, for
    `--show-secrets` only)."""
    configuration, name = _load(settings, context)
    # No retries: urllib3 would otherwise sleep on 429/503 Retry-After and retry refused
    # connections behind our back; a failure becomes a gap at once, bounded by the timeout.
    configuration.retries = Retry(
        total=0,
        connect=0,
        read=0,
        status=0,
        other=0,
        redirect=0,
        respect_retry_after_header=False,
        raise_on_status=False,
    )
    configuration.connection_pool_maxsize = settings.kube_concurrency
    if not configuration.verify_ssl:
        _warn_insecure(name)
    api = client.ApiClient(configuration)
    return KubeGateway(
        api,
        cluster_name=name,
        timeout=settings.kube_request_timeout,
        concurrency=settings.kube_concurrency,
        on_error=on_error,
        shown=shown,
        clock=settings.clock,
    )
