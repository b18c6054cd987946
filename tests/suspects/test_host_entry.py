"""A host accusation names an entry whose `requires` the clients' words meet (hosts.entry_stating)."""

from __future__ import annotations

from bot.diagnosis.suspects.hosts import entry_stating
from intents.matcher import Matcher


def test_a_refusal_names_vault_only_in_vaults_words(matcher: Matcher) -> None:
    index = matcher.index
    generic = [
        "2026/01/02 11:59:58 ready check: geo: dial tcp geo:8080: connect: connection refused"
    ]
    vault = [
        (
            '[ERROR] agent.auth.handler: error authenticating: error="Put '
            '\\"http://vault.vault.svc:8200/v1/auth/kubernetes/login\\": dial tcp 10.43.204.196:8200: '
            'connect: connection refused" backoff=1.81s'
        )
    ]
    assert entry_stating("connection-refused", index, generic) == "dependency-unreachable"
    assert entry_stating("connection-refused", index, vault) == "vault-server-unreachable"
