"""The bot's Deployment, Service and PodDisruptionBudget as rendered: locked down,
probed on the routes the bot really serves, configured only with settings the bot
really reads, secrets only by reference, and selectors that select the bot."""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePosixPath
from typing import Any, cast

import pytest

from bot.cli import build_parser
from bot.commands.serve_runtime import DRAIN_SECONDS
from bot.settings import Settings
from tests.deploy.bot_app import composed
from tests.deploy.kustomize import ALL_RENDERINGS, SERVERS, Doc, bot_container, needs_kubectl, only

pytestmark = needs_kubectl

#: the only Secrets the manifests may reference, with their keys; created with kubectl, never rendered
SECRETS = {
    "kubemedic-slack": {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"},
    "kubemedic-database": {"url"},
    "kubemedic-alertmanager": {"token"},
    "kubemedic-mattermost": {"KUBEMEDIC_MATTERMOST_TOKEN", "KUBEMEDIC_MATTERMOST_COMMAND_TOKEN"},
    "kubemedic-teams": {
        "KUBEMEDIC_TEAMS_WEBHOOK_URL",
        "KUBEMEDIC_TEAMS_APP_PASSWORD",
        "KUBEMEDIC_SIGNING_KEY",
    },
    "kubemedic-incidents": {
        "KUBEMEDIC_PAGERDUTY_WEBHOOK_SECRET",
        "KUBEMEDIC_PAGERDUTY_TOKEN",
        "KUBEMEDIC_OPSGENIE_WEBHOOK_SECRET",
        "KUBEMEDIC_OPSGENIE_API_KEY",
        "KUBEMEDIC_JSM_WEBHOOK_SECRET",
        "KUBEMEDIC_JSM_API_TOKEN",
        "KUBEMEDIC_JIRA_TOKEN",
    },
}
#: addresses anyone may know (in the settings ConfigMap), unlike a database or webhook URL
PUBLIC_URLS = {"KUBEMEDIC_MATTERMOST_URL", "KUBEMEDIC_MATTERMOST_CALLBACK_URL"}
#: the only Secret mounted as files (components/clusters): a kubeconfig, read-only
KUBECONFIG_SECRET = ("kubemedic-kubeconfig", "config")
#: variables Kubernetes or the image set that bot/settings.py does not name
NOT_SETTINGS: set[str] = set()
#: used by the Alertmanager receiver / watcher (issue 14), which add these to bot/settings.py;
#: the manifests carry them already, so the install does not change when the feature lands
WATCHER_SETTINGS = {
    "KUBEMEDIC_ALERTMANAGER_TOKEN",
    "KUBEMEDIC_ALERT_CHANNEL",
    "KUBEMEDIC_WATCH",
    "KUBEMEDIC_ROUTING_FILE",
}
ALL = ALL_RENDERINGS


def docs_of(request: pytest.FixtureRequest, target: str) -> list[Doc]:
    return cast(list[Doc], request.getfixturevalue(target))


def pod_spec(docs: list[Doc]) -> Doc:
    return cast(Doc, only(docs, "Deployment")["spec"]["template"]["spec"])


def pod_labels(docs: list[Doc]) -> dict[str, str]:
    return cast(dict[str, str], only(docs, "Deployment")["spec"]["template"]["metadata"]["labels"])


def env(container: Doc) -> dict[str, Doc]:
    entries = container.get("env", [])
    names = [e["name"] for e in entries]
    assert len(names) == len(set(names)), f"duplicate env entries: {names}"
    return {e["name"]: e for e in entries}


def config_map(docs: list[Doc], container: Doc) -> dict[str, str]:
    refs = [s["configMapRef"]["name"] for s in container.get("envFrom", []) if "configMapRef" in s]
    assert len(refs) == 1
    maps = {d["metadata"]["name"]: d for d in docs if d["kind"] == "ConfigMap"}
    assert refs[0] in maps, f"envFrom names {refs[0]}, rendered ConfigMaps are {sorted(maps)}"
    return cast(dict[str, str], maps[refs[0]].get("data", {}))


def routes(*, http_mode: bool) -> set[tuple[str, str]]:
    """(method, path) the bot's aiohttp server really answers (handlers are not run)."""
    with tempfile.TemporaryDirectory() as tmp:
        web_app = composed(Path(tmp), socket_mode=not http_mode).web
    return {
        (r.method, r.resource.canonical) for r in web_app.router.routes() if r.resource is not None
    }


def serve_args(container: Doc) -> Any:
    """The container's command line as the real CLI parses it."""
    return build_parser().parse_args([*container.get("command", []), *container.get("args", [])])


@pytest.mark.parametrize("target", ALL)
def test_pod_runs_as_a_numeric_non_root_user_with_runtime_default_seccomp(
    target: str, request: pytest.FixtureRequest
) -> None:
    context = pod_spec(docs_of(request, target))["securityContext"]
    assert context["runAsNonRoot"] is True
    for key in ("runAsUser", "runAsGroup", "fsGroup"):
        assert isinstance(context[key], int) and context[key] > 0, key
    assert context["seccompProfile"] == {"type": "RuntimeDefault"}


@pytest.mark.parametrize("target", ALL)
def test_container_is_locked_down(target: str, request: pytest.FixtureRequest) -> None:
    docs = docs_of(request, target)
    context = bot_container(docs)["securityContext"]
    assert context["allowPrivilegeEscalation"] is False
    assert context["readOnlyRootFilesystem"] is True
    assert context["capabilities"] == {"drop": ["ALL"]}
    assert context.get("privileged", False) is False
    pod_user = pod_spec(docs)["securityContext"]["runAsUser"]
    assert (
        context.get("runAsUser", pod_user) == pod_user and context.get("runAsNonRoot", True) is True
    )


def volumes_and_mounts(docs: list[Doc]) -> tuple[dict[str, Doc], dict[PurePosixPath, Doc]]:
    volumes = {v["name"]: v for v in pod_spec(docs)["volumes"]}
    mounts = {PurePosixPath(m["mountPath"]): m for m in bot_container(docs)["volumeMounts"]}
    assert {m["name"] for m in mounts.values()} == set(volumes), (
        "a volume is declared but not mounted"
    )
    return volumes, mounts


def sqlite_path(container: Doc) -> str | None:
    """The SQLite file the container's database URL names (None: PostgreSQL from a Secret, or a
    fleet agent, which keeps no database)."""
    database = env(container).get("KUBEMEDIC_DATABASE_URL", {})
    if "value" not in database:
        return None
    url = database["value"]
    assert url.startswith("sqlite+aiosqlite:////"), "a SQLite path must be absolute"
    return str(url.removeprefix("sqlite+aiosqlite:///"))


def mount_of(mounts: dict[PurePosixPath, Doc], path: str) -> Doc | None:
    return next((m for at, m in mounts.items() if PurePosixPath(path).is_relative_to(at)), None)


@pytest.mark.parametrize("target", ALL)
def test_every_path_the_bot_writes_is_a_mounted_volume(
    target: str, request: pytest.FixtureRequest
) -> None:
    """A read-only root: /tmp (HOME in the image), the catalog index cache and a SQLite file
    must each lie on an emptyDir or a claim; Secrets and ConfigMaps are mounted read-only."""
    docs = docs_of(request, target)
    container = bot_container(docs)
    volumes, mounts = volumes_and_mounts(docs)
    for path, mount in mounts.items():
        volume = volumes[mount["name"]]
        writable = "emptyDir" in volume or "persistentVolumeClaim" in volume
        assert writable or (
            {"secret", "configMap"} & set(volume) and mount.get("readOnly") is True
        ), path
        assert writable != bool(mount.get("readOnly")), path

    def writable(path: str) -> bool:
        mount = mount_of(mounts, path)
        return mount is not None and not mount.get("readOnly")

    settings = config_map(docs, container)
    assert writable("/tmp/x")
    assert writable(settings["KUBEMEDIC_CACHE_DIR"] + "/index")
    database = sqlite_path(container)
    if database is not None:
        assert writable(database)


@pytest.mark.parametrize("target", ALL)
def test_sqlite_lives_on_a_claim_that_one_pod_opens_at_a_time(
    target: str, request: pytest.FixtureRequest
) -> None:
    """SQLite: the file survives a pod replacement (a ReadWriteOnce claim rendered with the
    bot), one replica, and Recreate, so an old and a new pod never open it together.
    PostgreSQL, or SQLite without persistence (components/no-persistence): no claim, the
    database (if any) on an emptyDir, and rollouts may overlap; a fleet agent's do not (Recreate:
    a new pod beside the old one would dial with the same token)."""
    docs = docs_of(request, target)
    deployment = only(docs, "Deployment")
    volumes, mounts = volumes_and_mounts(docs)
    claims = {d["metadata"]["name"]: d for d in docs if d["kind"] == "PersistentVolumeClaim"}
    database = sqlite_path(bot_container(docs))
    if database is None:
        assert claims == {}
        strategy = deployment["spec"].get("strategy", {"type": "RollingUpdate"})["type"]
        assert strategy == ("RollingUpdate" if target in SERVERS else "Recreate")
        return
    mount = mount_of(mounts, database)
    assert mount is not None
    if "emptyDir" in volumes[mount["name"]]:
        assert claims == {} and deployment["spec"]["replicas"] == 1
        assert deployment["spec"]["strategy"]["type"] == "RollingUpdate"
        return
    claim_name = volumes[mount["name"]]["persistentVolumeClaim"]["claimName"]
    claim = claims[claim_name]
    assert claim["spec"]["accessModes"] == ["ReadWriteOnce"]
    assert claim["metadata"]["namespace"] == deployment["metadata"]["namespace"]
    assert deployment["spec"]["replicas"] == 1
    assert deployment["spec"]["strategy"] == {"type": "Recreate"}


@pytest.mark.parametrize("target", SERVERS)  # an agent's probe: tests/deploy/test_fleet_modes.py
def test_probes_use_the_routes_the_bot_serves_on_its_container_port(
    target: str, request: pytest.FixtureRequest
) -> None:
    container = bot_container(docs_of(request, target))
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"http": 3000}
    port_env = env(container)["PORT"]["value"]
    assert int(port_env) == ports["http"], "the bot listens on PORT"
    served = routes(http_mode="--http" in container["args"])
    probes = {
        kind: container[kind]["httpGet"]
        for kind in ("startupProbe", "livenessProbe", "readinessProbe")
    }
    for kind, probe in probes.items():
        assert ("GET", probe["path"]) in served, f"{kind}: the bot does not serve {probe['path']}"
        assert probe["port"] in (ports["http"], "http"), kind
    # liveness must not depend on the database (a database outage must not restart every pod)
    assert probes["livenessProbe"]["path"] == "/healthz"
    assert probes["readinessProbe"]["path"] == "/readyz"


def test_the_probe_check_knows_the_routes() -> None:
    assert ("GET", "/healthz") in routes(http_mode=False)
    assert ("POST", "/slack/events") not in routes(http_mode=False)
    assert ("POST", "/slack/events") in routes(http_mode=True)
    assert ("GET", "/livez") not in routes(http_mode=True)


@pytest.mark.parametrize("target", ALL)
def test_resources_are_requested_and_memory_is_limited(
    target: str, request: pytest.FixtureRequest
) -> None:
    resources = bot_container(docs_of(request, target))["resources"]
    assert {"cpu", "memory"} <= set(resources["requests"])
    assert "memory" in resources["limits"]


@pytest.mark.parametrize("target", ALL)
def test_pod_settings(target: str, request: pytest.FixtureRequest) -> None:
    docs = docs_of(request, target)
    spec = pod_spec(docs)
    assert spec["terminationGracePeriodSeconds"] > DRAIN_SECONDS, (
        "SIGTERM drains in-flight work first"
    )
    assert spec["serviceAccountName"] == only(docs, "ServiceAccount")["metadata"]["name"]
    reads_a_cluster = not serve_args(bot_container(docs)).__dict__.get(
        "hub"
    )  # a fleet hub reads none
    assert spec.get("automountServiceAccountToken", True) is reads_a_cluster, (
        "the in-cluster config needs it"
    )
    assert spec["enableServiceLinks"] is False, (
        "Service kubemedic would inject KUBEMEDIC_* variables"
    )
    image = bot_container(docs)["image"]
    name, _, tag = image.rpartition(":") if "@" not in image else (image, "", "digest")
    assert name and tag and tag != "latest", image
    if target not in SERVERS:
        return  # an agent is one replica per cluster: nothing to spread
    spread = {c["topologyKey"]: c for c in spec["topologySpreadConstraints"]}
    assert set(spread) == {"kubernetes.io/hostname", "topology.kubernetes.io/zone"}
    for constraint in spread.values():
        assert constraint["whenUnsatisfiable"] == "ScheduleAnyway"
        assert constraint["labelSelector"]["matchLabels"].items() <= pod_labels(docs).items()


@pytest.mark.parametrize("target", ALL)
def test_no_secret_objects_and_only_the_expected_secret_references(
    target: str, request: pytest.FixtureRequest
) -> None:
    docs = docs_of(request, target)
    assert not [d["metadata"]["name"] for d in docs if d["kind"] == "Secret"], (
        "create secrets with kubectl"
    )
    container = bot_container(docs)
    assert not [s for s in container.get("envFrom", []) if "secretRef" in s]
    secrets = [v["secret"] for v in pod_spec(docs)["volumes"] if "secret" in v]
    mounted = [secret["secretName"] for secret in secrets]
    if target in SERVERS:
        assert mounted in ([], [KUBECONFIG_SECRET[0]])
    else:  # a fleet agent: only its private key, from its token's Secret
        assert [(s["secretName"], [i["key"] for i in s["items"]]) for s in secrets] == [
            ("kubemedic-agent", ["key"])
        ]
    assert not [v for v in pod_spec(docs)["volumes"] if "projected" in v]
    referenced = {
        (e["valueFrom"]["secretKeyRef"]["name"], e["valueFrom"]["secretKeyRef"]["key"])
        for e in env(container).values()
        if "secretKeyRef" in e.get("valueFrom", {})
    }
    if (
        target not in SERVERS
    ):  # a fleet agent: its own token, and Alertmanager's when its receiver is on
        assert ("kubemedic-agent", "token") in referenced
        assert referenced <= {("kubemedic-agent", "token"), ("kubemedic-alertmanager", "token")}
        return
    allowed = {(name, key) for name, keys in SECRETS.items() for key in keys}
    assert referenced <= allowed
    chat = (
        "kubemedic-mattermost"
        if "--mattermost" in container["args"]
        else "kubemedic-teams"
        if "--teams" in container["args"]
        else "kubemedic-slack"
    )
    assert {k for n, k in referenced if n == chat} == SECRETS[chat]
    for unused in {"kubemedic-mattermost", "kubemedic-slack"} - {chat}:
        assert not [k for n, k in referenced if n == unused], (
            f"{unused} is not used with {container['args']}"
        )
    variables = env(container)
    alertmanager = variables["KUBEMEDIC_ALERTMANAGER_TOKEN"]["valueFrom"]["secretKeyRef"]
    assert alertmanager == {"name": "kubemedic-alertmanager", "key": "token", "optional": True}
    if chat == "kubemedic-slack":
        # Socket Mode needs the app token (a Secret without it stops the pod, naming the key,
        # rather than serving HTTP nobody reaches); with --http it is optional, and unused
        http = "--http" in container["args"]
        optional = variables["SLACK_APP_TOKEN"]["valueFrom"]["secretKeyRef"].get("optional", False)
        assert optional is http, target
    required = {
        "kubemedic-slack": ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"),
        "kubemedic-mattermost": ("KUBEMEDIC_MATTERMOST_TOKEN",),
        "kubemedic-teams": ("KUBEMEDIC_TEAMS_APP_PASSWORD",),
    }[chat]
    for name in required:
        assert not variables[name]["valueFrom"]["secretKeyRef"].get("optional", False), name
    assert not [
        k
        for k in config_map(docs, container)
        if "TOKEN" in k or "SECRET" in k or "URL" in k and k not in PUBLIC_URLS
    ]


@pytest.mark.parametrize("target", ALL)
def test_every_variable_set_is_a_setting_the_bot_reads(
    target: str, request: pytest.FixtureRequest
) -> None:
    """A misspelt variable would be ignored silently (Settings has extra="ignore")."""
    docs = docs_of(request, target)
    container = bot_container(docs)
    known = (
        {field.alias for field in Settings.model_fields.values()} | NOT_SETTINGS | WATCHER_SETTINGS
    )
    set_here = set(env(container)) | set(config_map(docs, container))
    assert set_here - known == set()


@pytest.mark.parametrize("target", ALL)
def test_service_and_pdb_select_the_bot_pods(target: str, request: pytest.FixtureRequest) -> None:
    docs = docs_of(request, target)
    labels = pod_labels(docs)
    deployment = only(docs, "Deployment")
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    if target == "agent":
        assert not [d for d in docs if d["kind"] == "Service"]  # it opens no port
        return
    service = only(docs, "Service")
    assert service["spec"]["type"] == "ClusterIP"
    assert service["spec"]["selector"] and service["spec"]["selector"].items() <= labels.items()
    assert [(p["port"], p["targetPort"]) for p in service["spec"]["ports"]] == [(80, "http")]
    for pdb in (d for d in docs if d["kind"] == "PodDisruptionBudget"):
        assert pdb["spec"]["selector"]["matchLabels"]
        assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
        assert "matchExpressions" not in pdb["spec"]["selector"]
    namespaces = {
        d["metadata"].get("namespace")
        for d in docs
        if d["kind"] not in ("Namespace", "ClusterRole", "ClusterRoleBinding")
    }
    assert namespaces == {only(docs, "Namespace")["metadata"]["name"]}


@pytest.mark.parametrize("target", ALL)
def test_several_replicas_have_a_pdb_that_never_blocks_a_node_drain(
    target: str, request: pytest.FixtureRequest
) -> None:
    """One replica gets no PodDisruptionBudget (allowing one disruption of one pod protects nothing,
    and policy/v1 is what a 1.20 cluster refuses); several keep one pod through a drain."""
    docs = docs_of(request, target)
    replicas = only(docs, "Deployment")["spec"]["replicas"]
    pdbs = [d for d in docs if d["kind"] == "PodDisruptionBudget"]
    assert len(pdbs) == (1 if replicas > 1 else 0)
    if not pdbs:
        return
    pdb = pdbs[0]["spec"]
    assert ("minAvailable" in pdb) != ("maxUnavailable" in pdb)
    allowed_disruptions = (
        replicas - pdb["minAvailable"] if "minAvailable" in pdb else pdb["maxUnavailable"]
    )
    assert allowed_disruptions >= 1


def test_base_is_one_socket_mode_replica(base: list[Doc]) -> None:
    deployment = only(base, "Deployment")
    assert deployment["spec"]["replicas"] == 1
    args = serve_args(bot_container(base))
    assert (args.command, args.http) == ("serve", False)
    assert [d for d in base if d["kind"] == "PodDisruptionBudget"] == []


def test_http_postgres_overlay(http_postgres: list[Doc], base: list[Doc]) -> None:
    assert only(http_postgres, "Deployment")["spec"]["replicas"] >= 2
    container = bot_container(http_postgres)
    args = serve_args(container)
    assert (args.command, args.http) == ("serve", True)
    database = env(container)["KUBEMEDIC_DATABASE_URL"]
    assert database == {
        "name": "KUBEMEDIC_DATABASE_URL",
        "valueFrom": {"secretKeyRef": {"name": "kubemedic-database", "key": "url"}},
    }
    assert only(http_postgres, "PodDisruptionBudget")["spec"]["minAvailable"] == 1
    # everything else about the container is the base's
    base_container = bot_container(base)
    for key in (
        "securityContext",
        "resources",
        "livenessProbe",
        "readinessProbe",
        "volumeMounts",
        "image",
    ):
        assert container[key] == base_container[key], key
