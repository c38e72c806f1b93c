"""Encryption at rest (AES-GCM) and keyed blind indexes (HMAC-SHA256) for personal data.

One 32-byte master key comes from FANGKONG_DATA_KEY (base64) or the key file; two
sub-keys are derived with HKDF so the encryption key never serves as the index key.
The field name is bound into both as associated data, so a ciphertext or an index of
one field cannot be passed off as another's.
"""

import base64
import functools
import hmac
import os
import secrets
import string
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = b"\x01"
NONCE_BYTES = 12


def generate_master_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def write_key_file(path: Path) -> bool:
    """Create the key file (mode 600) if missing; return True if it was created."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(generate_master_key() + "\n")
    return True


_given: bytes | None = None  # a worker process's key, handed over by its parent


def master_key() -> bytes:
    """The master key, for handing to this deployment's own worker processes
    (`core.partition`) through their pipe; never logged or stored."""
    return _master()


def use_master_key(master: bytes) -> None:
    """In a worker process: use the parent's key (not the settings' or the key file's)."""
    global _given
    _given = master
    reset_keys()


def _master() -> bytes:
    if _given is not None:
        return _given
    raw = settings.FANGKONG_DATA_KEY
    if not raw:
        path = Path(settings.FANGKONG_DATA_KEY_FILE)
        if not path.exists():
            raise ImproperlyConfigured(
                f"No data key: set FANGKONG_DATA_KEY or create {path} (`fangkong init-keys`)."
            )
        raw = path.read_text().strip()
    master = base64.b64decode(raw)
    if len(master) != 32:
        raise ImproperlyConfigured("The data key must be 32 bytes, base64-encoded.")
    return master


def _derive(info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(_master())


@functools.cache
def _keys() -> tuple[AESGCM, bytes]:
    return AESGCM(_derive(b"fangkong/encryption/v1")), _derive(b"fangkong/blind-index/v1")


def reset_keys() -> None:
    _keys.cache_clear()
    _index_state.cache_clear()
    signing_key.cache_clear()


@functools.cache
def signing_key() -> Ed25519PrivateKey:
    """The deployment's Ed25519 key for tokens that must be checked without the server
    (a gate keeper's phone offline verifies a health code with the public half). It is
    derived from the master key with HKDF, so there is no second secret to keep."""
    return Ed25519PrivateKey.from_private_bytes(_derive(b"fangkong/signing/v1"))


def encrypt(plaintext: str, field: str) -> bytes:
    aead, _ = _keys()
    nonce = os.urandom(NONCE_BYTES)
    return VERSION + nonce + aead.encrypt(nonce, plaintext.encode(), field.encode())


def decrypt(token: bytes, field: str) -> str:
    aead, _ = _keys()
    token = bytes(token)
    if token[:1] != VERSION:
        raise ValueError("unknown ciphertext version")
    nonce, body = token[1 : 1 + NONCE_BYTES], token[1 + NONCE_BYTES :]
    return aead.decrypt(nonce, body, field.encode()).decode()


# Letters and digits that are never misread for one another (no O, I, 0 or 1).
SPOKEN = string.ascii_uppercase.replace("O", "").replace("I", "") + "23456789"


def reference(prefix: str) -> str:
    """An unguessable reference a resident reads out or types (a question's ticket, an
    appeal's number): `prefix` and nine characters of `SPOKEN`."""
    return prefix + "".join(secrets.choice(SPOKEN) for _ in range(9))


@functools.cache
def _index_state(field: str) -> "hmac.HMAC":
    """The blind index's HMAC for `field`, keyed and fed the field's name: a value's
    index copies it and adds the value (HMAC of `field NUL value`, as one call would
    give), so the key's pads are not hashed again for every value (2.2 against 4.6 µs)."""
    _, key = _keys()
    return hmac.new(key, f"{field}\x00".encode(), "sha256")


def blind_index(value: str, field: str) -> str:
    """A stable keyed digest for exact lookup; 128 bits as 32 hex characters."""
    state = _index_state(field).copy()
    state.update(value.encode())
    return state.hexdigest()[:32]
