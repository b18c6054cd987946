"""`kubemedic doctor` against a healthy install, then broken in one place per test.

Each failing check is one FAIL line naming what is wrong and its fix, and
the exit status is 0 only when every check passed.
"""

from __future__ import annotations

import socket
import sqlite3

from bot.cluster.permissions import READ, REMEDIATION
from bot.storage.tables import SCHEMA_VERSION
from tests.cli.runner import kubemedic
from tests.doctor.install import Install, deploy_rules, lines, status
from tests.standins.kube_api import KubeStandIn, write_kubeconfig
from tests.standins.kube_api import start_in_thread as kube_in_thread

EVERY_CHECK = [
    "Slack token",
    "Slack scopes",
    "Slack events and commands (Socket Mode)",
    "Database",
    "Catalog",
    "Learned decision",
    "API server (cluster lab)",
    "read permissions (cluster lab)",
    "remediation permissions (cluster lab)",
]


def test_a_healthy_install_passes_every_check(install: Install) -> None:
    result = install.doctor()
    assert result.code == 0, result.stdout + result.stderr
    assert result.stdout.startswith("kubemedic doctor (Socket Mode: SLACK_APP_TOKEN is set)\n")
    assert status(result) == dict.fromkeys(EVERY_CHECK, "ok")
    found = lines(result)
    assert "@kubemedic in workspace" in found["Slack token"]
    assert "Kubernetes v1.31.4" in found["API server (cluster lab)"]
    assert result.stdout.rstrip().endswith(f"all {len(EVERY_CHECK)} checks passed")
    assert result.stderr == ""
    reviews = install.kube.requests_to("POST", "selfsubjectaccessreviews")
    assert len(reviews) == len(READ) + len(REMEDIATION)  # each permission asked of the API server
    assert install.kube.writes() == reviews, "doctor changed something in the cluster"


def test_a_refused_bot_token_names_where_to_find_the_right_one(install: Install) -> None:
    result = install.doctor(SLACK_BOT_TOKEN="xoxb-revoked")
    assert result.code == 1
    found = lines(result)
    assert found["Slack token"].startswith("FAIL  Slack token: Slack refused it (invalid_auth)")
    assert "fix: set SLACK_BOT_TOKEN to the Bot User OAuth Token" in found["Slack token"]
    assert status(result)["Slack scopes"] == "skip"


def test_a_missing_scope_is_named_with_what_it_is_for_and_how_to_grant_it(install: Install) -> None:
    install.slack.scopes = [
        s for s in install.slack.scopes if s not in ("groups:history", "pins:write")
    ]
    result = install.doctor()
    assert result.code == 1
    line = lines(result)["Slack scopes"]
    assert line.startswith("FAIL  Slack scopes: missing groups:history, pins:write: ")
    assert "groups:history (message.groups" in line and "pins:write (pins.add" in line
    assert "Reinstall to Workspace" in line
    assert status(result)["Slack token"] == "ok"


def test_a_refused_app_token_says_how_to_make_one(install: Install) -> None:
    result = install.doctor(SLACK_APP_TOKEN="xapp-1-stale")
    assert result.code == 1
    line = lines(result)["Slack events and commands (Socket Mode)"]
    assert "Slack refused SLACK_APP_TOKEN (invalid_auth)" in line
    assert "fix: set SLACK_APP_TOKEN to an app-level token with connections:write" in line


MIGRATE_FIX = (
    "fix: run `kubemedic migrate` with the bot's KUBEMEDIC_DATABASE_URL (no Slack token needed; "
    "`kubemedic serve` does the same at start-up)"
)
NO_SLACK = {"SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": "", "SLACK_SIGNING_SECRET": ""}


def test_a_missing_sqlite_database_names_a_fix_that_needs_no_slack(install: Install) -> None:
    missing = install.tmp / "nowhere" / "kubemedic.db"
    result = install.doctor(KUBEMEDIC_DATABASE_URL=f"sqlite+aiosqlite:///{missing}")
    assert result.code == 1
    assert (
        lines(result)["Database"]
        == f"FAIL  Database: no SQLite database at {missing}; {MIGRATE_FIX}"
    )
    assert not missing.parent.exists(), "doctor must not create what it checks"
    env = {**install.env, **NO_SLACK, "KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{missing}"}
    missing.parent.mkdir()
    fixed = kubemedic("migrate", env=env)  # the fix as written, before the Slack app exists
    assert fixed.code == 0 and fixed.stdout.endswith(
        f"schema version {SCHEMA_VERSION} (current)\n"
    ), fixed.stderr
    assert status(install.doctor(**env))["Database"] == "ok"


def test_before_slack_is_set_up_doctor_says_so_once_and_checks_the_rest(install: Install) -> None:
    result = install.doctor(**NO_SLACK)
    assert result.code == 1
    assert result.stdout.startswith("kubemedic doctor (Slack not set up yet)\n")
    line = lines(result)["Slack"]
    assert line.startswith("FAIL  Slack: not set up yet: ") and "`kubemedic slack-manifest`" in line
    assert "SLACK_APP_TOKEN (Socket Mode, the default install)" in line
    assert status(result) == {"Slack": "FAIL", **dict.fromkeys(EVERY_CHECK[3:], "ok")}


def test_an_unmigrated_database_is_reported_not_migrated(install: Install) -> None:
    path = install.tmp / "kubemedic.db"
    with sqlite3.connect(path) as raw:
        raw.execute("update schema_version set version = 1")
    result = install.doctor()
    assert result.code == 1
    line = lines(result)["Database"]
    assert (
        f"has schema version 1, this kubemedic needs {SCHEMA_VERSION}" in line
        and "fix: run `kubemedic migrate`" in line
    )
    with sqlite3.connect(path) as raw:
        assert raw.execute("select max(version) from schema_version").fetchone() == (1,)


def test_an_unreachable_database_names_the_url_setting(install: Install) -> None:
    result = install.doctor(
        KUBEMEDIC_DATABASE_URL="postgresql+asyncpg://kubemedic:hunter2@127.0.0.1:1/kubemedic"
    )
    assert result.code == 1
    line = lines(result)["Database"]
    assert line.startswith("FAIL  Database: database unavailable (postgresql+asyncpg://kubemedic:")
    assert "@127.0.0.1:1/kubemedic)" in line
    assert (
        "fix: check KUBEMEDIC_DATABASE_URL" in line
        and "hunter2" not in result.stdout + result.stderr
    )


def test_a_broken_catalog_file_points_at_catalog_check(install: Install) -> None:
    extra = install.tmp / "catalog"
    extra.mkdir()
    (extra / "my-entry.yaml").write_text("id: my-entry\ntitle: [unclosed\n")
    result = install.doctor(KUBEMEDIC_CATALOG_DIRS=str(extra))
    assert result.code == 1
    line = lines(result)["Catalog"]
    assert line.startswith("FAIL  Catalog: 1 problem(s): ") and "my-entry.yaml" in line
    assert "fix: run `kubemedic catalog check` for the full list" in line


def test_an_unreachable_cluster_names_the_context(install: Install) -> None:
    kubeconfig = write_kubeconfig(install.tmp / "gone", {"lab": "http://127.0.0.1:1"})
    result = install.doctor(KUBECONFIG=str(kubeconfig))
    assert result.code == 1
    line = lines(result)["API server (cluster lab)"]
    assert line.startswith("FAIL  API server (cluster lab): cannot reach the API server")
    assert "fix: check the server address of this context" in line
    assert "read permissions (cluster lab)" not in lines(result)


def test_rejected_cluster_credentials_say_to_renew_them(install: Install) -> None:
    install.kube.token = "another-token"
    line = lines(install.doctor())["API server (cluster lab)"]
    assert line.startswith("FAIL  API server (cluster lab): credentials rejected")
    assert "fix: renew the token or certificate of this context" in line


def test_a_missing_read_permission_is_named_with_the_role_to_apply(install: Install) -> None:
    install.kube.rbac = deploy_rules("kubemedic-read", "kubemedic-remediate").without(
        "get", "", "pods/log"
    )
    result = install.doctor()
    assert result.code == 1
    line = lines(result)["read permissions (cluster lab)"]
    assert line.startswith(
        f"FAIL  read permissions (cluster lab): missing 1 of {len(READ)}: get pods/log; fix: "
    )
    assert "deploy/base/rbac/clusterrole-read.yaml" in line
    assert status(result)["remediation permissions (cluster lab)"] == "ok"


def test_a_missing_remediation_verb_is_reported_on_its_own_line(install: Install) -> None:
    install.kube.rbac = deploy_rules("kubemedic-read", "kubemedic-remediate").without(
        "patch", "apps", "deployments/scale"
    )
    result = install.doctor()
    assert result.code == 1
    assert status(result)["read permissions (cluster lab)"] == "ok"
    line = lines(result)["remediation permissions (cluster lab)"]
    assert line.startswith(
        "FAIL  remediation permissions (cluster lab): missing patch deployments.apps/scale; "
    )
    assert "deploy/components/remediation" in line


def test_a_read_only_install_without_admins_passes(install: Install) -> None:
    install.kube.rbac = deploy_rules("kubemedic-read")
    result = install.doctor(KUBEMEDIC_ADMINS="")
    assert result.code == 0, result.stdout
    assert lines(result)["remediation permissions (cluster lab)"].startswith(
        "info  remediation permissions (cluster lab): none granted: a read-only install"
    )


def test_admins_without_the_remediation_role_fail(install: Install) -> None:
    install.kube.rbac = deploy_rules("kubemedic-read")
    result = install.doctor()
    assert result.code == 1
    line = lines(result)["remediation permissions (cluster lab)"]
    assert "missing delete pods, patch pods, delete persistentvolumeclaims" in line
    assert "or leave KUBEMEDIC_ADMINS empty" in line


def test_remediation_is_checked_in_each_allowed_namespace(install: Install) -> None:
    result = install.doctor(KUBEMEDIC_NAMESPACES="shop,tidb")
    assert result.code == 0, result.stdout
    reviews = [
        r.body["spec"]["resourceAttributes"]
        for r in install.kube.requests_to("POST", "selfsubjectaccess")
    ]
    deletes = {(a["namespace"], a["resource"]) for a in reviews if a["verb"] == "delete"}
    assert deletes == {
        ("shop", "pods"),
        ("tidb", "pods"),
        ("shop", "persistentvolumeclaims"),
        ("tidb", "persistentvolumeclaims"),
        ("", "apiservices"),
    }


def test_every_allowed_context_is_checked_on_its_own(install: Install) -> None:
    prod = KubeStandIn(latency=0.0)
    prod.rbac = deploy_rules("kubemedic-read").without("list", "", "events")
    with kube_in_thread(prod) as prod_server:
        kubeconfig = write_kubeconfig(
            install.tmp / "two", {"lab": str(install.kube.url), "prod": prod_server.url}
        )
        result = install.doctor(KUBECONFIG=str(kubeconfig), KUBEMEDIC_CONTEXTS="lab,prod")
    assert result.code == 1
    found = status(result)
    assert (
        found["read permissions (cluster lab)"] == "ok"
        and found["read permissions (cluster prod)"] == "FAIL"
    )
    assert (
        f"missing 1 of {len(READ)}: list events" in lines(result)["read permissions (cluster prod)"]
    )
    assert found["remediation permissions (cluster prod)"] == "FAIL"  # KUBEMEDIC_ADMINS is set


def test_an_unknown_allowed_context_is_one_failed_line(install: Install) -> None:
    result = install.doctor(KUBEMEDIC_CONTEXTS="lab,staging")
    assert result.code == 1
    line = lines(result)["cluster staging"]
    assert line.startswith("FAIL  cluster staging: unknown context 'staging' in kubeconfig")


def test_the_doctor_these_tests_run_in_process_says_what_the_console_script_says(
    install: Install,
) -> None:
    assert install.doctor() == kubemedic("doctor", env=install.env)
    broken = {"SLACK_BOT_TOKEN": "xoxb-revoked", "KUBEMEDIC_CONTEXTS": "lab,staging"}
    assert install.doctor(**broken) == kubemedic("doctor", env={**install.env, **broken})


def test_a_socket_host_the_pod_cannot_reach_says_the_slack_connection_is_down(
    install: Install,
) -> None:
    """apps.connections.open works (slack.com is reachable) but its socket host is not: the bot
    would retry for ever while no event reaches it, so doctor fails the line."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        install.slack.socket_url = f"ws://127.0.0.1:{closed.getsockname()[1]}/link/?ticket=1"
    result = install.doctor()
    assert result.code == 1
    line = lines(result)["Slack events and commands (Socket Mode)"]
    assert line.startswith(
        "FAIL  Slack events and commands (Socket Mode): apps.connections.open accepted the "
        "app-level token, but its socket host 127.0.0.1:"
    ), line
    assert "the Slack connection is down; fix: let the pod reach Slack's Socket Mode host" in line
    assert install.slack.sockets == 0  # checked without joining the app's connections
