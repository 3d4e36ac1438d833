"""Envelope encryption: AES-256-GCM data keys, wrapped by master keys from configuration."""

from __future__ import annotations

import base64
import binascii
import os
import re
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
#: Bound to every wrapped data key, so a wrapped key is never mistaken for other ciphertext.
WRAP_AAD = b"giamsat:data-key:v1"
_KEY_ID = re.compile(r"[A-Za-z0-9_.-]{1,40}")
#: Environment variable of the master keys (Settings.master_keys).
MASTER_KEYS_VAR = "GIAMSAT_MASTER_KEYS"


class CryptoError(Exception):
    """Base of the errors below. Messages never contain key material or plaintext."""


class MasterKeyError(CryptoError, ValueError):
    """The master keys are missing, malformed, or the one needed is not configured."""


class DecryptionError(CryptoError):
    """Wrong key, or the ciphertext (or its associated data) was altered."""


@dataclass(frozen=True)
class MasterKey:
    key_id: str
    key: bytes = field(repr=False)


@dataclass(frozen=True)
class MasterKeyring:
    """The configured master keys: the first wraps new data keys, all of them unwrap."""

    keys: tuple[MasterKey, ...]

    @property
    def current(self) -> MasterKey:
        return self.keys[0]

    def get(self, key_id: str) -> MasterKey:
        for key in self.keys:
            if key.key_id == key_id:
                return key
        raise MasterKeyError(
            f"master key {key_id!r} is not configured in {MASTER_KEYS_VAR}; add it back "
            f"(after the current one) until every data key is re-wrapped"
        )

    def __repr__(self) -> str:
        return f"MasterKeyring({', '.join(k.key_id for k in self.keys)})"


def _decode_key(key_id: str, encoded: str) -> bytes:
    text = encoded.strip()
    padded = text + "=" * (-len(text) % 4)
    try:
        # Standard and URL-safe alphabets both accepted; anything else is refused.
        raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise MasterKeyError(f"master key {key_id!r} is not valid base64") from None
    if len(raw) != KEY_BYTES:
        raise MasterKeyError(
            f"master key {key_id!r} must be {KEY_BYTES} bytes once decoded, not {len(raw)}"
        )
    return raw


def parse_master_keys(spec: str | None) -> MasterKeyring:
    """Parse "id1:base64key,id2:base64key" (the first is current). Raises MasterKeyError."""
    if not spec or not spec.strip():
        raise MasterKeyError(
            f'no master key configured: set {MASTER_KEYS_VAR}="<id>:<base64 of 32 random '
            f'bytes>" (e.g. id 2025a; generate with `python -c "import os,base64;'
            f'print(base64.b64encode(os.urandom(32)).decode())"`)'
        )
    keys: list[MasterKey] = []
    for number, item in enumerate(spec.split(","), start=1):
        item = item.strip()
        if not item:
            continue
        key_id, sep, encoded = item.partition(":")
        key_id = key_id.strip()
        if not sep:
            raise MasterKeyError(f"{MASTER_KEYS_VAR} entry {number} must look like <id>:<key>")
        if not _KEY_ID.fullmatch(key_id):
            raise MasterKeyError(
                f"{MASTER_KEYS_VAR} entry {number}: the id must be 1–40 "
                f"letters, digits, '.', '_' or '-'"
            )
        if any(k.key_id == key_id for k in keys):
            raise MasterKeyError(f"{MASTER_KEYS_VAR}: master key id {key_id!r} appears twice")
        keys.append(MasterKey(key_id, _decode_key(key_id, encoded)))
    if not keys:
        raise MasterKeyError(f"{MASTER_KEYS_VAR} holds no key")
    return MasterKeyring(tuple(keys))


def keyring_from_settings(settings) -> MasterKeyring:
    """The keyring of `settings.master_keys` (GIAMSAT_MASTER_KEYS)."""
    return parse_master_keys(settings.master_keys)


def encode_key(raw: bytes) -> str:
    """Base64 text of a key, the form GIAMSAT_MASTER_KEYS takes."""
    return base64.b64encode(raw).decode("ascii")


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def encrypt(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """nonce || AES-256-GCM(plaintext) with `aad` authenticated; a fresh random 96-bit nonce."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def decrypt(key: bytes, blob: bytes, aad: bytes) -> bytes:
    if len(blob) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("ciphertext is too short")
    try:
        return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except InvalidTag:
        raise DecryptionError("ciphertext does not match its key or associated data") from None


def wrap(master: MasterKey, data_key: bytes) -> bytes:
    if len(data_key) != KEY_BYTES:
        raise CryptoError(f"a data key must be {KEY_BYTES} bytes")
    return encrypt(master.key, data_key, WRAP_AAD)


def unwrap(master: MasterKey, wrapped: bytes) -> bytes:
    try:
        return decrypt(master.key, wrapped, WRAP_AAD)
    except DecryptionError:
        raise DecryptionError(
            f"data key does not unwrap with master key {master.key_id!r}"
        ) from None
