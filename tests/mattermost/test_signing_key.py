"""The signing key: a blank or guessable KUBEMEDIC_SIGNING_KEY can never seal a state in an admin's name.

The attack as it was made: a non-admin opens their own confirmation dialog, reads its sealed state,
guesses the key offline (a single space, a word), re-seals the state naming the admin, and submits
it. Blank is unset (the strong derived key is used); a short or word-like key refuses to start and
fails `doctor`; each purpose signs with its own derived key; a rotated key keeps old states valid.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
from pathlib import Path

import pytest

from bot.doctor import signing_key_check
from bot.mattermost.dialog_states import _DOMAIN, DialogStates, Opened, Refused
from bot.remediation.tokens import (
    BUTTONS,
    MATTERMOST_CONTEXT,
    MATTERMOST_DIALOG,
    WeakSigningKey,
    sign,
    signing_keys,
    verify,
)
from bot.settings import Settings
from tests.cli.runner import kubemedic_in_process
from tests.mattermost.harness import ADMIN, MALLORY, MmBot, running_mattermost_bot
from tests.mattermost.test_dialog_seal import _dialog_opened_by, _submit_as
from tests.mattermost.test_remediation import _audit, _tikv
from tests.slack.harness import SteppedClock

STRONG = "3f9c1d7a0b5e2c8d4f6a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e"
STRONG_TOO = "Qm7v-Xr2z_Lp9t8Kw4s1Hn6b0Yc3d5Fg7Jk2Ae9Ub4Ri6Oq"


def _resealed(state: str, key: bytes, **changes: str) -> str:
    """What the attacker computes offline: the state's fields changed, signed under a guessed key."""
    fields = {k: v for k, v in json.loads(state).items() if k != "sig"}
    fields.update(changes)
    canonical = json.dumps(dict(sorted(fields.items())), separators=(",", ":"), ensure_ascii=False)
    digest = hmac.new(key, _DOMAIN + canonical.encode(), hashlib.sha256).digest()[:16]
    return json.dumps({**fields, "sig": base64.urlsafe_b64encode(digest).rstrip(b"=").decode()})


@pytest.mark.parametrize("blank", [" ", "", "\n"])
def test_a_blank_key_is_unset_so_a_state_resealed_with_it_changes_nothing(
    tmp_path: Path, blank: str
) -> None:
    async def main() -> None:
        kube, _ = _tikv()
        async with running_mattermost_bot(tmp_path, kube=kube, KUBEMEDIC_SIGNING_KEY=blank) as bot:
            await _scenario(bot, blank.encode())

    asyncio.run(main())


async def _scenario(bot: MmBot, guessed: bytes) -> None:
    dialog = await _dialog_opened_by(bot, MALLORY)
    forged = _resealed(dialog["dialog"]["state"], guessed, user=ADMIN)
    reply = await _submit_as(dialog, ADMIN, state=forged)
    await bot.settle()
    assert "not valid" in reply["error"]
    assert bot.kube.writes() == []
    assert await _audit(bot) == ["refused"]


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("doctor", "is 6 bytes"),
        ("a" * 40, "distinct characters"),
        ("correct horse battery staple and more words", "looks like words"),
        ("0123456789abcdef" * 4, "repeats a shorter value"),
    ],
)
def test_a_guessable_key_refuses_to_start_and_fails_doctor(key: str, why: str) -> None:
    env = {
        "KUBEMEDIC_MATTERMOST_URL": "http://127.0.0.1:9",
        "KUBEMEDIC_MATTERMOST_TOKEN": "mm-bot-token-0123456789",
        "KUBEMEDIC_SIGNING_KEY": key,
    }
    done = kubemedic_in_process("serve", "--mattermost", env=env)
    assert done.code == 2
    [line] = done.stderr.strip().splitlines()
    assert "KUBEMEDIC_SIGNING_KEY" in line and why in line and "openssl rand" in line
    assert key not in line or len(key) < 8  # never echoes a real key back
    check = signing_key_check(Settings(KUBEMEDIC_SIGNING_KEY=key))
    assert check is not None and check.status == "fail" and why in check.detail
    slack = kubemedic_in_process(
        "serve",
        "--http",
        env={"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s" * 12, **env},
    )
    assert slack.code == 2 and "KUBEMEDIC_SIGNING_KEY" in slack.stderr


def test_a_strong_key_passes_doctor_and_signs() -> None:
    settings = Settings(KUBEMEDIC_SIGNING_KEY=STRONG)
    check = signing_key_check(settings)
    assert check is not None and check.status == "ok"
    keys = signing_keys(settings, BUTTONS)
    assert STRONG.encode() not in keys.accepted  # the master is never used raw
    assert verify(sign("Zq3kVt1xN0a9bC7dE5fG2h", keys), keys) == "Zq3kVt1xN0a9bC7dE5fG2h"
    assert signing_key_check(Settings()) is None  # unset: nothing to say
    with pytest.raises(WeakSigningKey):
        signing_keys(Settings(KUBEMEDIC_SIGNING_KEY="short"), BUTTONS)


def test_each_purpose_has_its_own_key() -> None:
    settings = Settings(KUBEMEDIC_SIGNING_KEY=STRONG)
    purposes = (BUTTONS, MATTERMOST_CONTEXT, MATTERMOST_DIALOG)
    keys = {signing_keys(settings, purpose).current for purpose in purposes}
    assert len(keys) == 3
    value = sign("Zq3kVt1xN0a9bC7dE5fG2h", signing_keys(settings, MATTERMOST_CONTEXT))
    assert verify(value, signing_keys(settings, BUTTONS)) is None


def test_a_rotated_key_keeps_old_buttons_until_the_previous_key_is_removed() -> None:
    before = signing_keys(Settings(KUBEMEDIC_SIGNING_KEY=STRONG), BUTTONS)
    old_button = sign("Zq3kVt1xN0a9bC7dE5fG2h", before)
    rotated = Settings(KUBEMEDIC_SIGNING_KEY=STRONG_TOO, KUBEMEDIC_SIGNING_KEY_PREVIOUS=STRONG)
    after = signing_keys(rotated, BUTTONS)
    assert verify(old_button, after) == "Zq3kVt1xN0a9bC7dE5fG2h"
    assert sign("Zq3kVt1xN0a9bC7dE5fG2h", after) != old_button  # only the new key signs
    alone = signing_keys(Settings(KUBEMEDIC_SIGNING_KEY=STRONG_TOO), BUTTONS)
    assert verify(old_button, alone) is None
    with pytest.raises(WeakSigningKey, match="KUBEMEDIC_SIGNING_KEY_PREVIOUS"):
        signing_keys(
            Settings(KUBEMEDIC_SIGNING_KEY=STRONG, KUBEMEDIC_SIGNING_KEY_PREVIOUS="old"), BUTTONS
        )


def test_a_dialog_state_sealed_before_a_rotation_still_opens_and_a_foreign_one_does_not() -> None:
    clock = SteppedClock()
    before = Settings(KUBEMEDIC_SIGNING_KEY=STRONG)
    state = DialogStates(signing_keys(before, MATTERMOST_DIALOG), clock=clock).seal(
        {"action": "remediate", "value": "v"}, user=ADMIN
    )
    rotated = Settings(KUBEMEDIC_SIGNING_KEY=STRONG_TOO, KUBEMEDIC_SIGNING_KEY_PREVIOUS=STRONG)
    opened = DialogStates(signing_keys(rotated, MATTERMOST_DIALOG), clock=clock).open(
        state, user=ADMIN
    )
    assert isinstance(opened, Opened) and opened.user == ADMIN
    alone = Settings(KUBEMEDIC_SIGNING_KEY=STRONG_TOO)
    refused = DialogStates(signing_keys(alone, MATTERMOST_DIALOG), clock=clock).open(
        state, user=ADMIN
    )
    assert isinstance(refused, Refused) and "not sealed" in refused.reason
