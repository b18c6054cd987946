"""What the suspects walk can find, in its own words: the vocabulary catalog entries claim.

The walk (bot/diagnosis/suspects) compares objects and says what it found in these terms
("a Service's selector is a typo of a workload's labels", "the node is cordoned"); which
catalog entry names each finding, and the one-line fix said with it, are the entries' own
`walk:` declarations (intents/walk_table.py). So no catalog id is written in the walk's code,
and a team's catalog can reword a fix or hand a finding to an entry of its own.
"""

from __future__ import annotations

from typing import Literal

WalkFinding = Literal[
    # Services: selector, endpoints, ports
    "selector_typo",
    "selector_matches_nothing",
    "workload_without_pods",
    "workload_scaled_to_zero",
    "endpoints_not_ready",
    "target_port_undeclared",
    "service_protocol_differs",
    # probes
    "readiness_probe_port",
    "readiness_probe_handler",
    "liveness_probe_port",
    "liveness_probe_handler",
    "liveness_probe_timing",
    # addresses in env values
    "env_service_unknown",
    "env_service_wrong_port",
    "config_service_unknown",
    "config_service_wrong_port",
    "address_failing_alone",
    "path_drops_calls",
    "path_moved_upstream",
    "service_missing_for_workload",
    # calls: what a workload waits on or its log says it calls
    "called_service_missing",
    "called_service_unserved",
    # routes: an Ingress's, HTTPRoute's or VirtualService's backends
    "ingress_backend_missing",
    "httproute_backend_missing",
    "virtualservice_host_missing",
    "route_backend_port",
    "route_backend_404",
    "route_names_other_service",
    # configuration the app reads: a key its ConfigMap lacks
    "config_key_missing",
    # autoscaling
    "hpa_metrics_missing",
    # admission
    "serviceaccount_missing",
    "quota_refused_pods",
    "limit_range_refused",
    "quota_full_services",
    "quota_full_storage",
    # claims
    "storageclass_missing",
    "volume_bound_elsewhere",
    "volume_misfit",
    # scheduling
    "node_cordoned",
    "taint_untolerated",
    "node_selector_unmatched",
    "node_affinity_unmatched",
    "resources_insufficient",
    "pod_affinity_unmatched",
    "volume_node_affinity",
    "host_port_taken",
    "node_pods_full",
    # nodes and the control plane
    "kubelet_stopped",
    "node_not_ready",
    "runtime_stopped",
    "runtime_down",
    "kube_proxy_stopped",
    "kube_proxy_missing",
    "scheduler_stopped",
    "scheduler_absent",
    "cluster_dns_down",
    # images
    "registry_unreachable",
    "image_name_invalid",
    "image_missing",
    "pull_unauthorized",
    # metrics the input gives
    "cpu_at_limit",
    "latency_deepest",
    # the network, seen only through callers' timeouts
    "callers_time_out",
    "node_calls_time_out",
    # NetworkPolicies: a caller whose calls fail is shut out by a policy
    "policy_shuts_out_caller",
]
"""Every finding the walk reports (a check's conclusion, before any catalog entry names it)."""

WALK_NAMES = (
    "namespace",
    "service",
    "workload",
    "node",
    "claim",
    "storageclass",
    "serviceaccount",
    "quota",
    "quota-resource",
    "selector",
    "port",
    "service-port",
    "protocol",
    "env-var",
    "address",
    "taint-key",
    "image",
    "unit",
    "replicas",
    "cpu-limit",
    "route",
    "route-path",
    "configmap",
    "config-key",
    "hpa",
    "policy",
)
"""The placeholders (`<service>`, `<node>`...) a walk fix may use; the walk fills each with a
name it checked (bot/diagnosis/naming.py), and one it does not know stays as written."""
