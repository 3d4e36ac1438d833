"""`giamsat keys rotate-data-key|rewrap|new-master-key` on a throwaway tenant (committed data)."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from giamsat.cases import protection
from giamsat.cases.models import (
    Case,
    CaseKind,
    Channel,
    DataKey,
    ReporterIdentity,
    ReporterMode,
)
from giamsat.commands.keys import keys as keys_command
from giamsat.core import crypto
from giamsat.tenancy.models import Tenant
from giamsat.tenancy.provision import ensure_tenant
from giamsat.units.models import Unit, UnitLevel
from tests.plugins.protection import IDENTITY, K1, K2

SLUG = "keys-cli"


@pytest.fixture()
def keys_tenant(engine, migrations_dir):
    """A tenant with one unit and three protected identities under master key k1."""
    tenant, _ = ensure_tenant(engine, migrations_dir, slug=SLUG, name="Khóa Thử", province_code=83)
    bind = engine.execution_options(schema_translate_map={None: tenant.schema_name})
    try:
        with Session(bind) as s, protection.using_master_keys(K1):
            s.add(UnitLevel(code="province", rank=0, name_vi="Tỉnh", name_en="Province"))
            unit = Unit(level_code="province", name="Tỉnh Khóa Thử", valid_from=dt.date(2025, 7, 1))
            s.add(unit)
            s.flush()
            unit.path = f"/{unit.id}/"
            for seq in (1, 2, 3):
                case = Case(
                    unit_id=unit.id,
                    year=2025,
                    seq=seq,
                    received_on=dt.date(2025, 3, 3),
                    channel=Channel.phone,
                    kind=CaseKind.denunciation,
                    title="Thử",
                    content="Thử",
                    reporter_mode=ReporterMode.confidential,
                )
                s.add(case)
                s.flush()
                protection.store_identity(s, case, IDENTITY)
            s.commit()
        yield bind
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{tenant.schema_name}" CASCADE'))
            conn.execute(delete(Tenant).where(Tenant.slug == SLUG))


def _run(cli_env, *args, keys: str | None):
    env = {**cli_env, crypto.MASTER_KEYS_VAR: keys}
    # The group itself: `giamsat keys` once cli.py lists it.
    return CliRunner().invoke(keys_command, list(args), env=env)


def _reveal_all(bind) -> list[dict]:
    """Decrypt every identity of the tenant directly (no principal involved)."""
    with Session(bind) as s:
        keyring = protection.current_keyring()
        return [
            protection._decrypt_identity(s, keyring, row)
            for row in s.scalars(select(ReporterIdentity).order_by(ReporterIdentity.id))
        ]


def test_rotate_then_rewrap_from_the_command_line(keys_tenant, cli_env):
    rotated = _run(cli_env, "rotate-data-key", "--tenant", SLUG, "--batch-size", "2", keys=K1)
    assert rotated.exit_code == 0, rotated.output
    assert "  2 re-encrypted\n  3 re-encrypted\n" in rotated.output
    assert "3 identities re-encrypted" in rotated.output
    with Session(keys_tenant) as s:
        keys = list(s.scalars(select(DataKey).order_by(DataKey.id)))
        assert [k.is_active for k in keys] == [False, True]
        assert set(s.scalars(select(ReporterIdentity.data_key_id))) == {keys[1].id}

    rewrapped = _run(cli_env, "rewrap", "--tenant", SLUG, keys=f"{K2},{K1}")
    assert rewrapped.exit_code == 0, rewrapped.output
    assert f"{SLUG}: 2 data key(s) re-wrapped with master key 'k2'" in rewrapped.output
    with Session(keys_tenant) as s:
        assert set(s.scalars(select(DataKey.master_key_id))) == {"k2"}
    with protection.using_master_keys(K2):  # the old master key is no longer needed
        assert _reveal_all(keys_tenant) == [IDENTITY] * 3


def test_commands_refuse_missing_or_unknown_keys(keys_tenant, cli_env):
    missing = _run(cli_env, "rotate-data-key", "--tenant", SLUG, keys="")
    assert missing.exit_code == 1 and "no master key configured" in missing.output
    # Only k2 configured: k1's data key cannot be re-wrapped, and nothing changes.
    refused = _run(cli_env, "rewrap", "--tenant", SLUG, keys=K2)
    assert refused.exit_code == 1 and "'k1' is not configured" in refused.output
    with Session(keys_tenant) as s:
        assert set(s.scalars(select(DataKey.master_key_id))) == {"k1"}
    unknown = _run(cli_env, "rewrap", "--tenant", "nope", keys=K1)
    assert unknown.exit_code == 1 and "unknown tenant 'nope'" in unknown.output
    both = _run(cli_env, "rewrap", keys=K1)
    assert both.exit_code == 2 and "either --tenant SLUG or --all" in both.output


def test_new_master_key_prints_a_usable_entry(cli_env):
    result = _run(cli_env, "new-master-key", "--id", "2026a", keys="")
    assert result.exit_code == 0
    assert crypto.parse_master_keys(result.output.strip()).current.key_id == "2026a"
    bad = _run(cli_env, "new-master-key", "--id", "bad id", keys="")
    assert bad.exit_code == 1 and "the id must be" in bad.output
