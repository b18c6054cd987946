"""deploy/helm/kubemedic, through the Helm v4 engine (helm-python-sdk): it lints, every value
set renders objects valid against the Kubernetes schemas, its defaults render exactly the
Kustomize base (and each Kustomize overlay has a value set that renders exactly it, modulo
Helm's standard labels), and values that cannot work are refused with what to set."""

from __future__ import annotations

import runpy
from typing import Any, cast

import pytest
import yaml

from tests.deploy.helm import (
    CHART,
    HELM_LABELS,
    TEST_IMAGE,
    VALUE_SETS,
    comparable,
    helm,
    render_chart,
)
from tests.deploy.kustomize import ALL_RENDERINGS, Doc, bot_container, needs_kubectl, only
from tests.deploy.test_schemas import K8S_VERSIONS, minimum_kubernetes, validate
from tests.deploy.test_workload import config_map, env

TWINS = sorted(set(VALUE_SETS) & set(ALL_RENDERINGS))


@pytest.fixture(scope="module")
def charts() -> dict[str, list[Doc]]:
    return {name: render_chart(values) for name, values in VALUE_SETS.items()}


def test_every_kustomize_rendering_has_a_chart_twin() -> None:
    assert TWINS == ALL_RENDERINGS, "add a value set to tests/deploy/helm.py for the new rendering"


@pytest.mark.parametrize("name", sorted(VALUE_SETS))
def test_the_chart_lints_clean(name: str) -> None:
    values = VALUE_SETS[name]
    values = {**values, "image": {"repository": TEST_IMAGE, **values.get("image", {})}}
    report = helm.lint(CHART, values, strict=True, namespace="kubemedic")
    assert report["errors"] == []
    assert [m for m in report["messages"] if m["severity"] >= 2] == []


@pytest.mark.parametrize("version", K8S_VERSIONS)
@pytest.mark.parametrize("name", sorted(VALUE_SETS))
def test_every_rendered_object_matches_the_kubernetes_schema(
    name: str, version: str, charts: dict[str, list[Doc]]
) -> None:
    assert charts[name]
    for doc in charts[name]:
        validate(doc, version)


@needs_kubectl
@pytest.mark.parametrize("name", TWINS)
def test_the_chart_and_kustomize_render_the_same_objects(
    name: str, charts: dict[str, list[Doc]], request: pytest.FixtureRequest
) -> None:
    """The two installs never drift. The one difference: Kustomize renders the Namespace,
    Helm installs into one (`helm install -n kubemedic --create-namespace`)."""
    kustomized = comparable([d for d in request.getfixturevalue(name) if d["kind"] != "Namespace"])
    charted = comparable(charts[name])
    assert sorted(charted) == sorted(kustomized)
    for key, doc in kustomized.items():
        assert charted[key] == doc, key


def test_the_comparison_sees_a_difference(charts: dict[str, list[Doc]]) -> None:
    changed = [dict(d) for d in charts["base"]]
    deployment = only(changed, "Deployment")
    deployment["spec"] = dict(deployment["spec"], revisionHistoryLimit=4)
    assert comparable(changed) != comparable(charts["base"])
    labelled = comparable(charts["base"])[("Deployment", "kubemedic")]["metadata"]["labels"]
    assert not HELM_LABELS & set(labelled) and labelled["app.kubernetes.io/name"] == "kubemedic"


def test_helm_labels_and_selectors_name_the_release(charts: dict[str, list[Doc]]) -> None:
    for doc in charts["base"]:
        labels = doc["metadata"]["labels"]
        assert (
            labels["app.kubernetes.io/managed-by"] == "Helm"
            and labels["helm.sh/chart"] == "kubemedic-0.1.0"
        )
    deployment = only(charts["base"], "Deployment")
    selector = deployment["spec"]["selector"]["matchLabels"]
    assert selector["app.kubernetes.io/instance"] == "kubemedic"
    assert selector.items() <= deployment["spec"]["template"]["metadata"]["labels"].items()
    assert only(charts["base"], "Service")["spec"]["selector"] == selector


def test_another_release_name_names_every_object_after_it() -> None:
    chart = helm.Chart.load(CHART)
    rendered = chart.render(
        {"image": {"repository": TEST_IMAGE}}, name="ops", namespace="tools", is_install=True
    )
    docs = [
        d
        for path, text in rendered.items()
        if path.endswith(".yaml")
        for d in yaml.safe_load_all(text)
        if d
    ]
    names = {d["metadata"]["name"] for d in docs if d["kind"] != "ConfigMap"}
    assert names == {"ops-kubemedic", "ops-kubemedic-read", "ops-kubemedic-data"}
    binding = only(docs, "ClusterRoleBinding")
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": "ops-kubemedic", "namespace": "tools"}
    ]
    assert only(docs, "Deployment")["spec"]["template"]["spec"]["volumes"][2][
        "persistentVolumeClaim"
    ] == {"claimName": "ops-kubemedic-data"}


def test_without_persistence_sqlite_is_on_an_emptydir_and_notes_say_what_is_lost(
    charts: dict[str, list[Doc]],
) -> None:
    docs = charts["sqlite_without_persistence"]
    assert not [d for d in docs if d["kind"] == "PersistentVolumeClaim"]
    volumes = {
        v["name"]: v for v in only(docs, "Deployment")["spec"]["template"]["spec"]["volumes"]
    }
    assert "emptyDir" in volumes["data"]
    notes = helm.Chart.load(CHART).render(
        {"persistence": {"enabled": False}, "image": {"repository": TEST_IMAGE}},
        name="kubemedic",
        namespace="kubemedic",
    )["kubemedic/templates/NOTES.txt"]
    assert "history is lost with the pod" in notes


def test_tuned_values_reach_the_objects(charts: dict[str, list[Doc]]) -> None:
    docs = charts["tuned"]
    container = bot_container(docs)
    assert container["image"] == "registry.test/kubemedic@sha256:" + "ab" * 32
    assert container["args"] == ["serve", "--http"]
    settings = config_map(docs, container)
    assert (
        settings["KUBEMEDIC_ADMINS"] == "U0ADMIN1,U0ADMIN2"
        and settings["KUBEMEDIC_NAMESPACES"] == "shop,payments"
    )
    assert (
        settings["KUBEMEDIC_DRY_RUN"] == "true"
        and settings["KUBEMEDIC_REPEAT_WINDOW_MINUTES"] == "30"
    )
    claim = only(docs, "PersistentVolumeClaim")["spec"]
    assert (
        claim["storageClassName"] == "fast-ssd"
        and claim["resources"]["requests"]["storage"] == "5Gi"
    )
    ingress = only(docs, "Ingress")
    assert ingress["spec"]["ingressClassName"] == "nginx"
    assert (
        ingress["spec"]["rules"][0]["host"]
        == ingress["spec"]["tls"][0]["hosts"][0]
        == "kubemedic.example.org"
    )
    assert ingress["metadata"]["annotations"] == {"cert-manager.io/cluster-issuer": "letsencrypt"}
    pod = only(docs, "Deployment")["spec"]["template"]
    assert pod["metadata"]["annotations"]["team"] == "sre"
    assert (
        pod["spec"]["nodeSelector"] == {"kubernetes.io/os": "linux"} and pod["spec"]["tolerations"]
    )
    assert "eks.amazonaws.com/role-arn" in only(docs, "ServiceAccount")["metadata"]["annotations"]


def test_a_settings_change_renames_the_configmap_so_pods_roll(charts: dict[str, list[Doc]]) -> None:
    before = config_map(charts["base"], bot_container(charts["base"]))
    after_docs = render_chart({"admins": ["U0NEWADMIN"]})
    after = config_map(after_docs, bot_container(after_docs))
    assert after["KUBEMEDIC_ADMINS"] == "U0NEWADMIN" and before["KUBEMEDIC_ADMINS"] == ""
    assert bot_container(after_docs)["envFrom"] != bot_container(charts["base"])["envFrom"]


@pytest.mark.parametrize(
    ("values", "says"),
    [
        ({"replicaCount": 2}, "replicaCount > 1 needs PostgreSQL: set database.existingSecret"),
        ({"ingress": {"enabled": True}}, "ingress.enabled needs slack.mode=http"),
        (
            {"routing": {"existingConfigMap": "r", "file": "x: y"}},
            "routing.existingConfigMap or routing.file",
        ),
        ({"clusters": {"contexts": ["prod"]}}, "clusters.contexts needs clusters.kubeconfigSecret"),
        ({"chat": "mattermost"}, "chat=mattermost needs mattermost.url"),
    ],
)
def test_values_that_cannot_work_are_refused_naming_the_fix(
    values: dict[str, Any], says: str
) -> None:
    with pytest.raises(helm.HelmRenderError, match=says.replace(".", r"\.").replace("(", r"\(")):
        render_chart(values)


@pytest.mark.parametrize(
    ("values", "says"),
    [
        ({"slack": {"mode": "sockets"}}, "/slack/mode"),
        ({"admins": ["alice"]}, "/admins/0"),
        ({"settings": {"SLACK_BOT_TOKEN": "xoxb-1"}}, "SLACK_BOT_TOKEN"),
        ({"replicas": 2}, "replicas"),
        ({"chat": "discord"}, "/chat"),
        ({"mattermost": {"url": "chat.example.com"}}, "/mattermost/url"),
    ],
)
def test_the_values_schema_refuses_mistakes(values: dict[str, Any], says: str) -> None:
    with pytest.raises(helm.HelmValuesError, match=says):
        render_chart(values)


def test_an_install_without_an_image_is_refused_naming_the_value() -> None:
    """No public image exists: a default would end in ImagePullBackOff, so the chart has none."""
    with pytest.raises(
        helm.HelmRenderError, match=r"image\.repository is required: the image you built"
    ):
        render_chart({}, image=None)
    with pytest.raises(helm.HelmRenderError) as placeholder:  # the docs' placeholder, in words
        render_chart({"image": {"repository": "registry.example.com/kubemedic"}})
    assert (
        "image.repository is registry.example.com/kubemedic, the docs' placeholder: set it to the image "
        "you built (docs/install.md, step 1)"
    ) in str(placeholder.value)
    assert "'not' failed" not in str(placeholder.value)


def test_the_service_port_is_a_value() -> None:
    [service] = [d for d in render_chart({"service": {"port": 8080}}) if d["kind"] == "Service"]
    assert service["spec"]["ports"] == [
        {"name": "http", "port": 8080, "targetPort": "http", "protocol": "TCP"}
    ]


def test_the_chart_carries_artifact_hub_annotations() -> None:
    """Artifact Hub reads these from Chart.yaml (category from its fixed list)."""
    annotations = cast(dict[str, Any], helm.Chart.load(CHART).metadata)["annotations"]
    assert annotations["artifacthub.io/license"] == "Apache-2.0"
    assert annotations["artifacthub.io/category"] in {
        "ai-machine-learning",
        "database",
        "integration-delivery",
        "monitoring-logging",
        "networking",
        "security",
        "storage",
        "streaming-messaging",
    }
    assert annotations["artifacthub.io/operator"] == "false"
    changes = yaml.safe_load(annotations["artifacthub.io/changes"])
    assert changes and all(set(change) == {"kind", "description"} for change in changes)


def test_the_values_table_in_the_docs_is_the_generated_one() -> None:
    table = runpy.run_path(str(CHART.parent / "values_table.py"))["values_table"]()
    assert table in (CHART.parents[2] / "docs" / "install.md").read_text(), (
        "regenerate the table of docs/install.md with: python deploy/helm/values_table.py"
    )
    assert '| `image.repository` | `""` | required: ' in table  # comments reach their key


def test_the_chart_states_the_minimum_kubernetes() -> None:
    metadata = cast(dict[str, Any], helm.Chart.load(CHART).metadata)
    assert metadata["kubeVersion"] == f">={minimum_kubernetes()}.0-0"
    assert metadata["appVersion"] == metadata["version"] == "0.1.0"


def test_secrets_are_referenced_never_rendered(charts: dict[str, list[Doc]]) -> None:
    for name, docs in charts.items():
        assert not [d for d in docs if d["kind"] == "Secret"]
        variables = env(bot_container(docs))
        if VALUE_SETS[name].get("mode") == "agent":  # the fleet agent's token, not Slack's
            assert (
                variables["KUBEMEDIC_AGENT_TOKEN"]["valueFrom"]["secretKeyRef"]["name"]
                == "kubemedic-agent"
            )
            assert "SLACK_BOT_TOKEN" not in variables
            continue
        chat = VALUE_SETS[name].get("chat", "slack")
        token = {
            "slack": "SLACK_BOT_TOKEN",
            "mattermost": "KUBEMEDIC_MATTERMOST_TOKEN",
            "teams": "KUBEMEDIC_TEAMS_APP_PASSWORD",
        }[chat]
        assert variables[token]["valueFrom"]["secretKeyRef"]["name"] == f"kubemedic-{chat}"
