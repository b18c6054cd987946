"""The agent's own key: what a token is bound to when the hub issues it.

The agent keeps an Ed25519 key pair in KUBEMEDIC_AGENT_KEY_FILE (PEM, mode 0600). The hub binds a
token to the key's public half when it issues it, never at first use (a copy of a token made
before its agent's first start would win that race): `fleet token issue CLUSTER --secret` makes
the pair and puts the private key beside the token in the agent's Secret (the chart mounts it as
the key file), `--key=PUBLIC` binds to the key an agent made itself (`kubemedic agent
--public-key`). Every connection must then sign the hub's fresh challenge with that key, so a copy
of the token alone is refused. The hub keeps only the public key, so its database does not let
anyone prove anything either.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PROOF_CONTEXT = b"kubemedic-fleet-key-proof-v1\0"
"""Signed before the token id and the challenge, so a signature means nothing anywhere else."""


class KeyFileError(Exception):
    """The key file cannot be read or made (the reason, one line)."""


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def load_or_create(path: Path) -> Ed25519PrivateKey:
    """The agent's key from `path`, made there (0600) when the file does not exist yet."""
    try:
        pem = path.read_bytes()
    except FileNotFoundError:
        return _create(path)
    except OSError as exc:
        raise KeyFileError(f"cannot read the agent key {path}: {exc.strerror}") from exc
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except ValueError as exc:
        raise KeyFileError(f"{path} is not an agent key (a PEM Ed25519 private key)") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path} is not an Ed25519 key")
    return key


def new_pair() -> tuple[str, str]:
    """A new key pair: (the private key as PEM, for the agent's key file; its public text)."""
    key = Ed25519PrivateKey.generate()
    return _pem(key).decode(), public_text(key)


def _pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _create(path: Path) -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    pem = _pem(key)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return load_or_create(path)  # another process made it meanwhile: use theirs
    except OSError as exc:
        raise KeyFileError(f"cannot make the agent key {path}: {exc.strerror}") from exc
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    return key


def public_text(key: Ed25519PrivateKey) -> str:
    """The public key as the hello carries it (43 characters)."""
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _encode(raw)


def checked_public(text: str) -> str:
    """`text` when it is an agent's public key as `kubemedic agent --public-key` prints it; else
    ValueError saying what one looks like."""
    value = text.strip()
    try:
        Ed25519PublicKey.from_public_bytes(_decode(value))
    except (ValueError, binascii.Error):
        raise ValueError(
            "not an agent's public key: `kubemedic agent --public-key` prints one (43 characters)"
        ) from None
    if public_text_of(value) != value:
        raise ValueError("not an agent's public key: it must be base64url without padding")
    return value


def public_text_of(text: str) -> str:
    return _encode(_decode(text))


def fingerprint(public: str) -> str:
    """A short name of a public key for people to compare (`fleet token list`, `/diagnose clusters`)."""
    return public[:8]


def new_challenge() -> str:
    return secrets.token_urlsafe(32)


def sign(key: Ed25519PrivateKey, *, token_id: str, challenge: str) -> str:
    return _encode(key.sign(PROOF_CONTEXT + f"{token_id}\0{challenge}".encode()))


def verify(public: str, signature: str, *, token_id: str, challenge: str) -> bool:
    """True when `signature` is the holder of `public`'s signature of this challenge for this token."""
    try:
        peer = Ed25519PublicKey.from_public_bytes(_decode(public))
        peer.verify(_decode(signature), PROOF_CONTEXT + f"{token_id}\0{challenge}".encode())
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True
