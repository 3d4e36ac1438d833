"""AES-256-GCM envelope primitives and master-key configuration (no database)."""

from __future__ import annotations

import base64

import pytest

from giamsat.core import crypto
from giamsat.core.config import Settings
from tests.plugins.protection import K1, K2


def test_master_keys_parse_first_is_current_and_repr_hides_keys():
    keyring = crypto.parse_master_keys(f" {K2} , {K1} ")
    assert [k.key_id for k in keyring.keys] == ["k2", "k1"]
    assert keyring.current.key_id == "k2" and keyring.get("k1").key == b"\x01" * 32
    assert "AQEB" not in repr(keyring) and "\\x01" not in repr(keyring.get("k1"))
    # The URL-safe alphabet (what `giamsat dev` generates) and missing padding are accepted.
    raw = bytes(range(200, 232))
    urlsafe = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    assert crypto.parse_master_keys(f"dev:{urlsafe}").current.key == raw


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "no master key configured"),
        ("   ", "no master key configured"),
        ("k1", "must look like <id>:<key>"),
        ("bad id:" + K1.split(":")[1], "the id must be"),
        (f"{K1},{K1}", "appears twice"),
        ("k1:not base64!", "is not valid base64"),
        ("k1:" + base64.b64encode(b"short").decode(), "must be 32 bytes once decoded, not 5"),
        (",", "holds no key"),
    ],
)
def test_bad_master_keys_are_refused_clearly_without_echoing_them(spec, message):
    with pytest.raises(crypto.MasterKeyError, match=message) as info:
        crypto.parse_master_keys(spec)
    assert K1.split(":")[1] not in str(info.value)


def test_unknown_master_key_id_names_the_missing_key():
    with pytest.raises(crypto.MasterKeyError, match="'old' is not configured"):
        crypto.parse_master_keys(K1).get("old")


def test_keyring_from_settings_refuses_dev_without_keys():
    # No invented key, even in development.
    with pytest.raises(crypto.MasterKeyError, match="no master key configured"):
        crypto.keyring_from_settings(Settings.from_env({"GIAMSAT_DEV": "1"}))
    configured = Settings.from_env({"GIAMSAT_DEV": "1", crypto.MASTER_KEYS_VAR: K1})
    assert crypto.keyring_from_settings(configured).current.key_id == "k1"


def test_settings_refuse_malformed_master_keys():
    with pytest.raises(ValueError):
        Settings(master_keys="k1:not-base64-of-32-bytes").validate()


def test_round_trip_uses_a_fresh_nonce_each_time():
    key = crypto.new_data_key()
    assert len(key) == 32
    one = crypto.encrypt(key, "Nguyễn Văn An".encode(), b"case:1")
    two = crypto.encrypt(key, "Nguyễn Văn An".encode(), b"case:1")
    assert one != two and one[:12] != two[:12]
    assert crypto.decrypt(key, one, b"case:1").decode() == "Nguyễn Văn An"
    assert "Nguyễn".encode() not in one


def test_tampering_wrong_aad_and_wrong_key_are_refused():
    key = crypto.new_data_key()
    blob = crypto.encrypt(key, b"secret", b"case:1")
    for position in (0, 12, len(blob) - 1):  # nonce, ciphertext, tag
        flipped = bytearray(blob)
        flipped[position] ^= 0x01
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(key, bytes(flipped), b"case:1")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(key, blob, b"case:2")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(crypto.new_data_key(), blob, b"case:1")
    with pytest.raises(crypto.DecryptionError, match="too short"):
        crypto.decrypt(key, blob[:20], b"case:1")


def test_wrap_and_unwrap_with_master_keys():
    k1, k2 = crypto.parse_master_keys(f"{K1},{K2}").keys
    data_key = crypto.new_data_key()
    wrapped = crypto.wrap(k1, data_key)
    assert data_key not in wrapped
    assert crypto.unwrap(k1, wrapped) == data_key
    with pytest.raises(crypto.DecryptionError, match="master key 'k2'"):
        crypto.unwrap(k2, wrapped)
    # A wrapped key is bound to its purpose: not decryptable as ordinary data.
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(k1.key, wrapped, b"case:1")
    with pytest.raises(crypto.CryptoError):
        crypto.wrap(k1, b"too short")
