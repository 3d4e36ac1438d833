"""The data folder: generated keys and the admin password are private and reused."""

from __future__ import annotations

from giamsat.devstack.datadir import DataDir


def test_keys_are_generated_once_private_and_reused(tmp_path):
    folder = DataDir.create(tmp_path / "dev")
    first = folder.secrets()
    assert set(first) == {"secret_key", "master_key", "s3_access_key", "s3_secret_key"}
    assert folder.secrets_file.stat().st_mode & 0o777 == 0o600
    assert DataDir.create(tmp_path / "dev").secrets() == first


def test_admin_password_is_kept_before_creation_and_confirmed_after(tmp_path):
    folder = DataDir.create(tmp_path / "dev")
    assert folder.admin_password() is None
    pending = folder.pending_admin_password()
    assert len(pending) >= 10  # the accounts' minimum length
    # A crash before confirmation: the next start retries with the same password.
    assert folder.pending_admin_password() == pending
    assert folder.admin_password() is None
    folder.confirm_admin_password()
    assert folder.admin_password() == pending
    assert folder.admin_password_file.stat().st_mode & 0o777 == 0o600
    assert not folder.pending_password_file.exists()
