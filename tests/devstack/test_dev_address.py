"""`giamsat dev` sets its own real address as the public one (labels print in development)."""

from __future__ import annotations

from giamsat.commands.dev import _app_env

KEYS = {"secret_key": "s", "master_key": "m"}


def test_dev_uses_its_own_address_unless_one_is_set(monkeypatch):
    monkeypatch.delenv("GIAMSAT_PUBLIC_BASE_URL", raising=False)
    assert _app_env(KEYS, "127.0.0.1", 5123)["GIAMSAT_PUBLIC_BASE_URL"] == "http://127.0.0.1:5123"
    monkeypatch.setenv("GIAMSAT_PUBLIC_BASE_URL", "http://192.168.1.20:5123")
    assert _app_env(KEYS, "0.0.0.0", 5123)["GIAMSAT_PUBLIC_BASE_URL"] == "http://192.168.1.20:5123"
