"""Prometheus metrics, one registry per process, served on /metrics.

With several worker processes (KUBEMEDIC_WORKER_PROCESSES) every worker
writes its values to files in PROMETHEUS_MULTIPROC_DIR (prometheus-client's
multiprocess mode, switched on by `share_between_processes` before the
workers start) and /metrics, whichever worker answers, shows their sum: the
replica's figures, not one worker's.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    values,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST

MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"


def share_between_processes(directory: str) -> None:
    """Keep metric values in files under `directory`, summed over processes (call before any `Metrics()`
    and before forking the workers); files left by an earlier run are removed."""
    for name in os.listdir(directory):
        if name.endswith(".db"):
            os.remove(os.path.join(directory, name))
    os.environ[MULTIPROC_DIR] = directory
    values.ValueClass = values.get_value_class()  # type: ignore[no-untyped-call]  # the library's own choice, now that the directory is set


def process_gone(pid: int) -> None:
    """Forget a dead worker's gauges (its counters still count in the sums)."""
    if os.environ.get(MULTIPROC_DIR):
        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]


TOOL_COUNTERS: tuple[tuple[str, str, list[str]], ...] = (
    (
        "kubemedic_incident_webhooks",
        (
            "Incident webhooks received (POST /incidents/pagerduty, /incidents/opsgenie, "
            "/incidents/jsm), by tool and HTTP status"
        ),
        ["tool", "status"],
    ),
    (
        "kubemedic_incident_notes",
        (
            "Diagnoses written back to incidents: posted, updated, adopted (found after a restart), "
            "kept (the tool cannot edit it), quiet (unsure: no note), failed, gave_up"
        ),
        ["tool", "action"],
    ),
    (
        "kubemedic_outbound_calls",
        (
            "Calls to PagerDuty, Opsgenie, Jira and the Bot Framework, by tool, call and outcome "
            "(ok, failed after retries, refused by an open breaker)"
        ),
        ["tool", "call", "outcome"],
    ),
    (
        "kubemedic_outbound_retries",
        "Outbound calls tried again, by tool, call and reason (rate_limited, server_error, unreachable)",
        ["tool", "call", "reason"],
    ),
)
ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0)


class Metrics:
    """The counters and histograms kubemedic exports."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._answer_metrics()
        self._outside_metrics()
        self._tool_metrics()
        self._load_metrics()

    def _answer_metrics(self) -> None:
        """What the answers were: diagnoses, asks, choices, hand-offs, skips."""
        self.diagnoses = Counter(
            "kubemedic_diagnoses",
            "Diagnoses answered, by catalog id and confidence",
            ["catalog_id", "confidence", "source"],
            registry=self.registry,
        )
        self.ack_seconds = Histogram(
            "kubemedic_ack_seconds",
            "Time from request to Slack ack",
            ["kind"],
            buckets=ACK_BUCKETS,
            registry=self.registry,
        )
        self.skipped = Counter(
            "kubemedic_messages_skipped",
            "Messages not answered, by reason",
            ["reason"],
            registry=self.registry,
        )
        self.direct_asks = Counter(
            "kubemedic_direct_asks",
            "Direct asks (slash command, mention, direct message) by outcome: answered (here, from the "
            "catalog), handed_off (to the agent of KUBEMEDIC_HANDOFF_URL), unanswered (no answer, no agent), "
            "refused (bad input, a cluster that cannot be read)",
            ["outcome"],
            registry=self.registry,
        )
        self.choices = Counter(
            "kubemedic_choices",
            '"Is it one of these?" and "Not this" by outcome: asked, unanswered (a direct '
            "ask with no candidate), chosen, none (None of these), picked (from the Not this dialog), undone",
            ["outcome"],
            registry=self.registry,
        )
        self.unmatched = Counter(
            "kubemedic_unmatched_pastes",
            "Pastes no rule found a candidate for (kept, redacted, for `kubemedic catalog "
            "suggest`), by where they came from: message (nobody addressed the bot), command, mention, dm",
            ["via"],
            registry=self.registry,
        )
        self.handoffs = Counter(
            "kubemedic_handoffs",
            "Cases handed to the agent, by result: answered, timeout, failed, over_limit (not sent: "
            "the asker had as many waiting as allowed)",
            ["result"],
            registry=self.registry,
        )
        self.coalesced = Counter(
            "kubemedic_diagnoses_coalesced",
            "Diagnoses answered from an identical one: joined (in flight) "
            "or cached (finished moments ago), by kind (pod, namespace, node, paste)",
            ["how", "kind"],
            registry=self.registry,
        )

    def _outside_metrics(self) -> None:
        """Calls to what kubemedic does not own: Kubernetes, Slack, Alertmanager, the watches."""
        self.kube_errors = Counter(
            "kubemedic_kubernetes_api_errors",
            "Kubernetes API requests that failed, by HTTP status (or timeout / unreachable), verb "
            "and resource",
            ["status", "verb", "resource"],
            registry=self.registry,
        )
        self.remediations = Counter(
            "kubemedic_remediation_actions",
            "Remediation clicks by kind and outcome",
            ["kind", "outcome"],
            registry=self.registry,
        )
        self.slack_errors = Counter(
            "kubemedic_slack_api_errors",
            "Slack Web API calls that failed (after retries), by method and error",
            ["method", "error"],
            registry=self.registry,
        )
        self.slack_retries = Counter(
            "kubemedic_slack_api_retries",
            "Slack Web API calls retried, by method and reason "
            "(rate_limited, server_error, connection_error)",
            ["method", "reason"],
            registry=self.registry,
        )
        self.alert_deliveries = Counter(
            "kubemedic_alert_deliveries",
            "Alertmanager deliveries to POST /alertmanager, by HTTP status",
            ["status"],
            registry=self.registry,
        )
        self.alert_messages = Counter(
            "kubemedic_alert_messages",
            "Alert and watcher messages: posted, edited, noted (thread), failed",
            ["source", "action"],
            registry=self.registry,
        )
        self.watch_restarts = Counter(
            "kubemedic_watch_restarts",
            "Watch streams opened again, by kind and why (ended, failed, expired)",
            ["kind", "why"],
            registry=self.registry,
        )

    def _tool_metrics(self) -> None:
        """The incident tools: pages in, notes and tickets out, every outbound call's fate."""
        counters = [
            Counter(name, text, labels, registry=self.registry)
            for name, text, labels in TOOL_COUNTERS
        ]
        self.incident_webhooks, self.incident_notes, self.outbound_calls, self.outbound_retries = (
            counters
        )
        self.outbound_breaker_open = Gauge(
            "kubemedic_outbound_breaker_open",
            "1 while a call's circuit breaker is open (the tool failed too often; calls refused)",
            ["tool", "call"],
            registry=self.registry,
            multiprocess_mode="max",
        )

    def _load_metrics(self) -> None:
        """The work queue and what was shed or refused under load."""
        self.queue_depth = Gauge(
            "kubemedic_work_queue_depth",
            "Requests holding a work-queue slot on this replica (stored or running)",
            registry=self.registry,
            multiprocess_mode="livesum",
        )
        self.queue_waiting = Gauge(
            "kubemedic_work_queue_waiting",
            "Requests acked without a slot, waiting in line for one on this replica",
            registry=self.registry,
            multiprocess_mode="livesum",
        )
        self.shed = Counter(
            "kubemedic_requests_shed",
            "Requests not worked on: queue_full (told `kubemedic is busy`), "
            "user_rate or channel_rate (told to slow down)",
            ["reason"],
            registry=self.registry,
        )
        self.fleet_refused = Counter(
            "kubemedic_fleet_agents_refused",
            "Agent connections refused at the hub (unknown, forged or revoked token)",
            registry=self.registry,
        )

    def kube_api_error(self, status: str, verb: str, resource: str) -> None:
        """Count one failed Kubernetes API request (called from the gateway's worker threads)."""
        self.kube_errors.labels(status, verb, resource).inc()

    def alert_messages_counted(self, source: str, action: str) -> None:
        self.alert_messages.labels(source, action).inc()

    def watch_restarted(self, kind: str, why: str) -> None:
        self.watch_restarts.labels(kind, why).inc()

    def render(self) -> bytes:
        if os.environ.get(MULTIPROC_DIR):  # every worker's values, summed
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            return generate_latest(registry)
        return generate_latest(self.registry)
