"""The signing key: no key a person types can seal a state in an admin's name (issue 76, MEDIUM 1).

The attack as it was made: a non-admin opens their own confirmation dialog, reads its sealed state,
tries a list of guessable keys offline until one reproduces its signature, re-seals the state
naming the admin, and submits it: the admin's delete happens. A rule list of weak keys let 9 of 12
such keys start the bot. Now a configured key must come from `kubemedic keygen` (a checksum no
typed key has), and unset, the bot makes its own at first start and keeps it in its database.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import pytest

from bot.doctor import signing_key_check
from bot.mattermost.dialog_states import DialogStates, Opened, Refused
from bot.remediation.sealed_clicks import MATTERMOST_DOMAIN, STATE_TTL
from bot.remediation.stored_key import with_signing_key
from bot.remediation.tokens import (
    BUTTONS,
    MATTERMOST_CONTEXT,
    MATTERMOST_DIALOG,
    WeakSigningKey,
    _for_purpose,
    sign,
    signing_keys,
    verify,
)
from bot.runtime import signing_key
from bot.settings import Settings
from bot.storage.sql import SqlStore
from tests.cli.runner import kubemedic_in_process
from tests.mattermost.harness import ADMIN, MALLORY, MmBot, running_mattermost_bot
from tests.mattermost.test_dialog_seal import _dialog_opened_by, _submit_as
from tests.mattermost.test_remediation import _audit, _tikv
from tests.slack.harness import SteppedClock

STRONG = signing_key.generate()
STRONG_TOO = signing_key.generate()
_TYPO = STRONG[:20] + ("A" if STRONG[20] != "A" else "B") + STRONG[21:]

GUESSABLE = {
    "a team's own phrase": "acme-kubemedic-signing-key-2024!",
    "sha256 of a word, in hex": hashlib.sha256(b"secret").hexdigest(),
    "a repeated word and digits": "changeme-changeme-changeme-12345",
    "a docs placeholder": "<generate-with-openssl-rand-hex-32>",
    "an unrendered shell variable": "${KUBEMEDIC_SIGNING_KEY_FROM_VAULT_PATH}",
    "an unrendered Helm value": "{{ .Values.kubemedic.signingKey | quote }}",
    "md5 of password, twice": hashlib.md5(b"password").hexdigest() * 2,
    "base64 of a phrase": base64.b64encode(b"kubemedic-production-signing-key").decode(),
    "a password with symbols": "P@ssw0rd!P@ssw0rd!2024-kubemedic#",
    "a UUID and a name": "123e4567-e89b-12d3-a456-426614174000-kubemedic",
    "our prefix, typed": "kmsk_"
    + base64.urlsafe_b64encode(hashlib.sha256(b"x").digest() * 2)[:48].decode(),
    "a generated key with one typo": _TYPO,
}
"""Twelve keys people type or copy: each would seal states a user can test guesses against."""


def _resealed(state: str, key: bytes, **changes: str) -> str:
    """What the attacker computes offline: the state's fields changed, signed under a guessed key."""
    fields = {k: v for k, v in json.loads(state).items() if k != "sig"}
    fields.update(changes)
    canonical = json.dumps(dict(sorted(fields.items())), separators=(",", ":"), ensure_ascii=False)
    digest = hmac.new(key, MATTERMOST_DOMAIN + canonical.encode(), hashlib.sha256).digest()[:16]
    return json.dumps({**fields, "sig": base64.urlsafe_b64encode(digest).rstrip(b"=").decode()})


def _recover(state: str, guesses: list[str]) -> bytes | None:
    """The dialog key behind `state`, found offline by trying each guess as the master key (as
    typed, or decoded when it has the generated form): the attack of the issue, 0.1 ms a guess."""
    for guess in guesses:
        masters = [guess.encode()]
        try:
            masters.append(signing_key.decode(guess))
        except signing_key.NotGenerated:
            pass
        for master in masters:
            key = _for_purpose(master, MATTERMOST_DIALOG)
            if json.loads(_resealed(state, key))["sig"] == json.loads(state)["sig"]:
                return key
    return None


async def _forge_the_admins_delete(bot: MmBot, *more: str) -> dict[str, Any]:
    """Mallory's own dialog, its key guessed offline, re-sealed in the admin's name and submitted."""
    dialog = await _dialog_opened_by(bot, MALLORY)
    state = dialog["dialog"]["state"]
    key = _recover(state, [*GUESSABLE.values(), *more])
    forged = _resealed(state, key or b"no guess matched", user=ADMIN)
    reply = await _submit_as(dialog, ADMIN, state=forged)
    await bot.settle()
    return {"recovered": key is not None, "reply": reply}


@pytest.mark.parametrize(
    "key", [GUESSABLE["a team's own phrase"], GUESSABLE["sha256 of a word, in hex"]]
)
def test_the_issues_attack_a_guessable_key_never_seals_an_admins_delete(
    tmp_path: Path, key: str
) -> None:
    """The two keys the issue's attacker used: before, the bot started with them, the key came out
    of Mallory's own state and the admin's delete was carried out. Now the bot refuses the key."""

    async def main() -> None:
        kube, _ = _tikv()
        with pytest.raises(WeakSigningKey, match="KUBEMEDIC_SIGNING_KEY") as refused:
            async with running_mattermost_bot(
                tmp_path, kube=kube, KUBEMEDIC_SIGNING_KEY=key
            ) as bot:
                attack = await _forge_the_admins_delete(bot)
                assert not attack["recovered"]
                assert bot.kube.writes() == []  # the admin's delete never happens
        assert "kubemedic keygen" in refused.value.reason and key not in refused.value.reason

    asyncio.run(main())


def test_the_key_the_bot_makes_resists_the_same_attack(tmp_path: Path) -> None:
    """Unset, the bot signs with a key it made: no guess (nor the chat's own token) reproduces a
    state's signature, and the forged submission changes nothing, is refused and audited."""

    async def main() -> None:
        kube, _ = _tikv()
        async with running_mattermost_bot(tmp_path, kube=kube) as bot:
            attack = await _forge_the_admins_delete(bot, bot.mm.state.bot_token, "")
            assert not attack["recovered"]
            assert "not valid" in attack["reply"]["error"]
            assert bot.kube.writes() == []
            assert await _audit(bot) == ["refused"]

    asyncio.run(main())


@pytest.mark.parametrize("blank", [" ", "", "\n"])
def test_a_blank_key_is_unset_so_the_bot_signs_with_its_own(tmp_path: Path, blank: str) -> None:
    async def main() -> None:
        kube, _ = _tikv()
        async with running_mattermost_bot(tmp_path, kube=kube, KUBEMEDIC_SIGNING_KEY=blank) as bot:
            dialog = await _dialog_opened_by(bot, MALLORY)
            forged = _resealed(dialog["dialog"]["state"], blank.encode(), user=ADMIN)
            reply = await _submit_as(dialog, ADMIN, state=forged)
            await bot.settle()
            assert "not valid" in reply["error"]
            assert bot.kube.writes() == []
            assert await _audit(bot) == ["refused"]

    asyncio.run(main())


@pytest.mark.parametrize("key", list(GUESSABLE.values()), ids=list(GUESSABLE))
def test_every_typed_key_refuses_to_start_and_fails_doctor(key: str) -> None:
    env = {
        "KUBEMEDIC_MATTERMOST_URL": "http://127.0.0.1:9",
        "KUBEMEDIC_MATTERMOST_TOKEN": "mm-bot-token-0123456789",
        "KUBEMEDIC_SIGNING_KEY": key,
    }
    done = kubemedic_in_process("serve", "--mattermost", env=env)
    assert done.code == 2
    [line] = done.stderr.strip().splitlines()
    assert "KUBEMEDIC_SIGNING_KEY" in line and "kubemedic keygen" in line
    assert key not in line  # never echoes a key back
    check = signing_key_check(Settings(KUBEMEDIC_SIGNING_KEY=key))
    assert check is not None and check.status == "fail" and "kubemedic keygen" in check.fix
    slack = kubemedic_in_process(
        "serve",
        "--http",
        env={"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s" * 12, **env},
    )
    assert slack.code == 2 and "KUBEMEDIC_SIGNING_KEY" in slack.stderr


def test_keygen_prints_a_key_serve_and_doctor_accept_and_a_new_one_each_time() -> None:
    first, second = kubemedic_in_process("keygen"), kubemedic_in_process("keygen")
    assert first.code == 0 and first.stderr == ""
    key = first.stdout.strip()
    assert key.startswith("kmsk_") and len(key) == 53 and key != second.stdout.strip()
    assert len(signing_key.decode(key)) == 32
    settings = Settings(KUBEMEDIC_SIGNING_KEY=key + "\n")  # a Secret made from a file
    check = signing_key_check(settings)
    assert check is not None and check.status == "ok"
    keys = signing_keys(settings, BUTTONS)
    assert signing_key.decode(key) not in keys.accepted  # the master is never used raw
    assert verify(sign("Zq3kVt1xN0a9bC7dE5fG2h", keys), keys) == "Zq3kVt1xN0a9bC7dE5fG2h"
    assert signing_key_check(Settings()) is None  # unset: the bot makes its own


def test_the_bot_makes_its_key_once_and_every_replica_reads_the_same(tmp_path: Path) -> None:
    """Two replicas starting together on one database sign with one key, and so does a restart."""

    async def main() -> None:
        url = f"sqlite+aiosqlite:///{tmp_path / 'kubemedic.db'}"
        stores = [SqlStore(url), SqlStore(url)]
        for store in stores:
            await store.start()
        try:
            both = await asyncio.gather(*(with_signing_key(Settings(), s) for s in stores))
            again = await with_signing_key(Settings(), stores[0])
        finally:
            for store in stores:
                await store.close()
        keys = {s.signing_key.get_secret_value() for s in (*both, again) if s.signing_key}
        assert len(keys) == 1
        [key] = keys
        assert len(signing_key.decode(key)) == 32
        configured = await with_signing_key(Settings(KUBEMEDIC_SIGNING_KEY=STRONG), stores[0])
        assert configured.signing_key is not None  # a configured key wins, untouched
        assert configured.signing_key.get_secret_value() == STRONG

    asyncio.run(main())


def test_a_restarted_bot_opens_the_states_it_sealed_before(tmp_path: Path) -> None:
    async def main() -> None:
        kube, _ = _tikv()
        async with running_mattermost_bot(tmp_path, kube=kube) as bot:
            dialog = await _dialog_opened_by(bot, ADMIN)
        async with running_mattermost_bot(tmp_path, kube=kube) as again:  # the same database
            reply = await _submit_as(dialog | {"url": again.url + "/mattermost/dialogs"}, ADMIN)
            await again.settle()
            assert "error" not in reply, reply
            assert again.kube.writes() and await _audit(again) == ["done"]

    asyncio.run(main())


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
    typed_previous = Settings(
        KUBEMEDIC_SIGNING_KEY=STRONG,
        KUBEMEDIC_SIGNING_KEY_PREVIOUS=hashlib.sha256(b"old").hexdigest(),
    )
    with pytest.raises(WeakSigningKey, match="KUBEMEDIC_SIGNING_KEY_PREVIOUS"):
        signing_keys(typed_previous, BUTTONS)  # generated keys only, the previous one too


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


def test_the_holder_of_the_previous_key_cannot_seal_a_state_that_outlives_its_ttl(
    tmp_path: Path,
) -> None:
    """Whoever kept the rotated-out key may seal while KUBEMEDIC_SIGNING_KEY_PREVIOUS is set, but
    never with an expiry past the TTL: a state good for a year is refused, audited, changes nothing."""

    async def main() -> None:
        kube, _ = _tikv()
        async with running_mattermost_bot(
            tmp_path,
            kube=kube,
            KUBEMEDIC_SIGNING_KEY=STRONG_TOO,
            KUBEMEDIC_SIGNING_KEY_PREVIOUS=STRONG,
        ) as bot:
            dialog = await _dialog_opened_by(bot, ADMIN)
            old_key = signing_keys(
                Settings(KUBEMEDIC_SIGNING_KEY=STRONG), MATTERMOST_DIALOG
            ).current
            state = json.loads(dialog["dialog"]["state"])
            in_a_year = str(int(state["expires"]) + 365 * 24 * 3600)
            lasting = _resealed(dialog["dialog"]["state"], old_key, expires=in_a_year)
            reply = await _submit_as(dialog, ADMIN, state=lasting)
            await bot.settle()
            assert "not valid" in reply["error"]
            assert bot.kube.writes() == [] and await _audit(bot) == ["refused"]
            within = str(int(bot.clock().timestamp() + STATE_TTL.total_seconds()))
            timely = _resealed(dialog["dialog"]["state"], old_key, expires=within)
            assert "error" not in await _submit_as(dialog, ADMIN, state=timely)  # within the TTL
            await bot.settle()
            assert bot.kube.writes()

    asyncio.run(main())
