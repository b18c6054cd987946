"""cert-manager's Certificates, CertificateRequests, Issuers, ACME Orders and Challenges: their
conditions, and an Order's or Challenge's state and reason (why issuance stopped)."""

from __future__ import annotations

from intents.facts.custom_status import row_of, status_kind

KIND = status_kind(row_of("certmanager"), 143)
