"""Signing and verifying exchange messages with Ed25519 (`cryptography`).

Each deployment holds one private key in a file (`var/keys/exchange-ed25519.key`, or
FANGKONG_EXCHANGE_KEY_FILE), never in the database; its partners register the public
key. A message is signed over its canonical JSON (sorted keys, no spaces, UTF-8), so a
change of one character in transit or in a file breaks the signature."""

import base64
import functools
import json
import os
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings


def key_file() -> Path:
    return Path(
        getattr(settings, "FANGKONG_EXCHANGE_KEY_FILE", "")
        or Path(settings.VAR_DIR) / "keys" / "exchange-ed25519.key"
    )


def create_key(path: Path | None = None) -> bool:
    """Create the private key file (mode 600) if missing; True if created."""
    path = path or key_file()
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(base64.b64encode(raw).decode() + "\n")
    return True


@functools.cache
def private_key() -> Ed25519PrivateKey:
    path = key_file()
    create_key(path)
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(path.read_text().strip()))


def reset() -> None:
    private_key.cache_clear()


def public_key_b64() -> str:
    raw = (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return base64.b64encode(raw).decode()


def parse_public_key(text: str) -> Ed25519PublicKey:
    """A partner's public key from base64; ValueError when it is not 32 raw bytes."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (ValueError, TypeError):
        raise ValueError("not base64") from None
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def canonical(message: dict[str, Any]) -> bytes:
    return json.dumps(message, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(message: dict[str, Any]) -> dict[str, Any]:
    """The envelope: the message and its signature (base64)."""
    signature = private_key().sign(canonical(message))
    return {"message": message, "signature": base64.b64encode(signature).decode()}


def verify(envelope: dict[str, Any], public_key: str) -> bool:
    try:
        signature = base64.b64decode(str(envelope.get("signature", "")), validate=True)
        parse_public_key(public_key).verify(signature, canonical(envelope["message"]))
    except (InvalidSignature, ValueError, TypeError, KeyError):
        return False
    return True
