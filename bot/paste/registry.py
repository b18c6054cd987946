"""Every reading of a paste, in the order they are tried: the one place that order is decided.

At each line the READINGS are tried top to bottom and the first that reads a block takes its
lines (bot.paste.reading.scan); a table's header picks the TABLE_READINGS that read it; once
the whole paste is read, the AFTER_READINGS look across it, in this order.  A new reading is
one module that defines a `Reading` (or a `TableReading`, an `AfterReading`), one line here,
and its table of cases in tests/readings (docs/matching.md, "How to add a reading").
"""

from __future__ import annotations

from bot.paste import ready_since, tables
from bot.paste.reading import AfterReading, Reading
from bot.paste.readings import (
    cni_missing,
    command_lines,
    condition_columns,
    describe_custom,
    describe_events,
    describe_node,
    describe_pod,
    get_events,
    get_nodes,
    get_pods,
    get_pv,
    get_pvc,
    helm_status,
    hpa_rows,
    latest_rows,
    objects,
    persistent_volumes,
    prose_reasons,
    prose_states,
    quota_room,
    quota_rows,
    service_links,
    status_lines,
    storage_classes,
    systemd_units,
    tolerations,
    workload_rows,
)
from bot.paste.table_model import TableReading

TABLE_READINGS: tuple[TableReading, ...] = (
    quota_rows.QUOTAS,
    workload_rows.DAEMONSETS,
    workload_rows.DEPLOYMENTS,
    get_events.EVENTS,
    get_pods.PODS,
    get_nodes.NODES,
    get_pvc.CLAIMS,
    get_pv.PV_ROWS,
    condition_columns.CONDITIONS,
    hpa_rows.HPA,
    cni_missing.CNI_MISSING,
    storage_classes.STORAGE_CLASSES,
    quota_room.SERVICES,
    persistent_volumes.PERSISTENT_VOLUMES,
)
"""Table readings: the first fitting one with a `row` reads the rows; every fitting `finish` runs."""

READINGS: tuple[Reading, ...] = (
    objects.JSON,
    command_lines.COMMAND,
    objects.YAML,
    systemd_units.SYSTEMD_UNITS,
    describe_node.DESCRIBE_NODE,
    describe_custom.DESCRIBE_CUSTOM,
    describe_pod.DESCRIBE_POD,
    describe_events.EVENTS_ALONE,
    tolerations.TOLERATIONS,
    helm_status.HELM_STATUS,
    tables.headed(TABLE_READINGS),
    status_lines.STATUS_LINES,
    tables.bare_rows(TABLE_READINGS),
    prose_states.STATES_IN_WORDS,
    prose_reasons.REASONS_IN_WORDS,
)

AFTER_READINGS: tuple[AfterReading, ...] = (
    storage_classes.CHECK_CLASSES,
    persistent_volumes.CHECK_STATIC_CLAIMS,
    service_links.LINK,
    ready_since.FORGET_WARM_UP,
    latest_rows.FORGET_RECOVERED,
    quota_room.CHECK_ROOM,
)
