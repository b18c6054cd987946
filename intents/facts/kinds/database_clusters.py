"""Database operators' cluster resources (CloudNativePG, Zalando, Crunchy, Percona, MongoDB,
MariaDB, MySQL, TiDB): the phase, state and conditions in which the operator reports why its
instances are not running."""

from __future__ import annotations

from intents.facts.custom_status import row_of, status_kind

KIND = status_kind(row_of("database_clusters"), 144)
