"""Issue 83's MEDIUM: the Teams bot answers its own tenants only (KUBEMEDIC_TEAMS_TENANT_IDS).

A multi-tenant registration can be installed by anyone holding its app id, which the manifest
users get carries; the Bot Framework then signs that tenant's activities for this bot as it signs
ours. Before, nothing compared the activity's tenant with the configured one: an activity from
another tenant got 200 and the cluster's diagnosis was posted there. Every activity here is
signed as the Bot Framework signs it (the stand-in's key set); only the tenant differs.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from bot.errors import BadInput
from bot.settings import Settings
from bot.wiring.teams_bot import teams_credentials
from tests.standins.botframework import APP_ID, APP_PASSWORD, TENANT
from tests.teams.harness import running_teams_bot

OTHER = "0f0e0d0c-1111-4222-8333-944455556666"
SECOND = "5a5b5c5d-aaaa-4bbb-8ccc-9ddd0eee1fff"


def in_tenant(
    activity: dict[str, Any], conversation: str | None, data: str | None
) -> dict[str, Any]:
    """`activity` as its tenant's Teams sends it (None: the field left out)."""
    changed = {**activity, "conversation": dict(activity["conversation"])}
    changed["conversation"].pop("tenantId")
    changed.pop("channelData")
    if conversation is not None:
        changed["conversation"]["tenantId"] = conversation
    if data is not None:
        changed["channelData"] = {"tenant": {"id": data}}
    return changed


async def test_an_activity_from_another_tenant_is_refused_and_not_answered(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_teams_bot(tmp_path) as teams:
        message = teams.bf.message("pod shop/checkout-0")
        refused = {
            "another tenant": in_tenant(message, OTHER, OTHER),
            "ours in one field, another in the other": in_tenant(message, TENANT, OTHER),
            "no tenant named": in_tenant(message, None, None),
            "a tenant that is no text": in_tenant(message, None, None) | {"channelData": 7},
        }
        with caplog.at_level(logging.INFO, logger="bot.teams.activities"):
            for why, activity in refused.items():
                status, text = await teams.send(activity)
                assert status == 401 and "is not answered here" in str(text), (why, text)
        await teams.kubemedic.background.idle()
        assert teams.bf.sent == []  # nothing posted anywhere
        lines = [r.getMessage() for r in caplog.records if "Teams activity" in r.getMessage()]
        assert len(lines) == len(refused) and OTHER in lines[0]
        status, _ = await teams.send(in_tenant(message, TENANT.upper(), None))  # ours: read
        assert status == 200


async def test_every_tenant_listed_is_answered(tmp_path: Path) -> None:
    async with running_teams_bot(
        tmp_path, KUBEMEDIC_TEAMS_TENANT_IDS=f"{TENANT}, {SECOND}"
    ) as teams:
        message = teams.bf.message("pod shop/checkout-0")
        assert (await teams.send(in_tenant(message, SECOND, SECOND)))[0] == 200
        assert (await teams.send(in_tenant(message, OTHER, None)))[0] == 401


def test_serve_refuses_to_start_without_a_tenant_and_the_default_is_the_bot_s_own() -> None:
    base = {"KUBEMEDIC_TEAMS_APP_ID": APP_ID, "KUBEMEDIC_TEAMS_APP_PASSWORD": APP_PASSWORD}
    with pytest.raises(BadInput, match="KUBEMEDIC_TEAMS_TENANT_IDS"):
        teams_credentials(Settings(**base))
    assert Settings(**base, KUBEMEDIC_TEAMS_TENANT_ID=TENANT).teams_tenants == (TENANT,)
