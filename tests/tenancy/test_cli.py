"""`giamsat tenants apply|list` and `giamsat users create` through click's CliRunner."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.accounts.models import User
from giamsat.accounts.operations import authenticate
from giamsat.cli import main
from giamsat.core.audit import AuditEntry
from giamsat.identity import Role
from giamsat.tenancy.models import Tenant
from giamsat.units.models import Unit
from tests.plugins.tenancy import DATA, drop_tenant, manifest_text

SLUG = "tt-cli"
PASSWORD = "mat-khau-cli-dai"


@pytest.fixture()
def run(cli_env):
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(main, list(args), input=input, env=cli_env)

    return invoke


@pytest.fixture()
def manifest_file(tmp_path, engine):
    path = tmp_path / "tt-cli.toml"
    path.write_text(
        manifest_text(DATA / "three-level.toml", SLUG).replace(
            "province_code = 98", "province_code = 97"
        ),
        encoding="utf-8",
    )
    yield path
    drop_tenant(engine, SLUG)


def _tenant(engine) -> Tenant | None:
    with Session(engine) as s:
        return s.scalar(select(Tenant).where(Tenant.slug == SLUG))


def test_apply_twice_then_list(run, manifest_file, engine):
    first = run("tenants", "apply", str(manifest_file))
    assert first.exit_code == 0, first.output
    lines = first.output.splitlines()
    assert lines[0] == f"[1/1] {manifest_file} → {SLUG} (Thử Ba Cấp, province code 97)"
    assert "  [3/4] units" in lines and "      units 8/8" in lines
    assert "8 unit created" in lines[-1] and lines[-1].startswith("  done: ")

    again = run("tenants", "apply", str(manifest_file))
    assert again.exit_code == 0, again.output
    assert "  done: nothing changed" in again.output.splitlines()

    listed = run("tenants", "list")
    assert listed.exit_code == 0
    row = next(line for line in listed.output.splitlines() if line.startswith(SLUG))
    assert row.split() == [SLUG, "97", "active", "t_tt_cli", "Thử", "Ba", "Cấp"]


def test_invalid_manifest_applies_nothing(run, manifest_file, engine):
    text = manifest_file.read_text(encoding="utf-8")
    manifest_file.write_text(
        text.replace("response_days = 15", "response_days = 0"), encoding="utf-8"
    )
    result = run("tenants", "apply", str(manifest_file))
    assert result.exit_code == 1
    assert f"{manifest_file}: [rules] response_days must be a positive integer" in result.output
    assert "nothing applied" in result.output
    assert _tenant(engine) is None


def test_check_only_validates(run, manifest_file, engine):
    result = run("tenants", "apply", "--check", str(manifest_file))
    assert result.exit_code == 0 and result.output == "1 manifest(s) valid\n"
    assert _tenant(engine) is None


def test_users_create_bootstraps_the_first_admin(run, manifest_file, engine):
    assert run("tenants", "apply", str(manifest_file)).exit_code == 0
    result = run(
        "users",
        "create",
        "--tenant",
        SLUG,
        "--username",
        "Admin.Tinh",
        "--full-name",
        "Nguyễn Văn Quản",
        "--password-stdin",
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"created user 'admin.tinh' in {SLUG}: tenant_admin at Tỉnh Thử Ba Cấp\n"
    )
    assert PASSWORD not in result.output

    bind = engine.execution_options(schema_translate_map={None: "t_tt_cli"})
    with Session(bind) as s:
        user = authenticate(s, "admin.tinh", PASSWORD)
        assert user is not None and user.full_name == "Nguyễn Văn Quản"
        [grant] = user.roles
        province = s.scalar(select(Unit).where(Unit.official_code == "98"))
        assert (grant.role, grant.unit_id) == (Role.tenant_admin, province.id)
        entry = s.scalar(select(AuditEntry).where(AuditEntry.object_type == "user"))
        assert entry.actor_label == "system" and "password_hash" not in entry.changes

    # A staff member of a commune, by official code; the password prompt is used.
    result = run(
        "users",
        "create",
        "--tenant",
        SLUG,
        "--username",
        "can.bo",
        "--full-name",
        "Trần Thị Bình",
        "--role",
        "staff",
        "--unit-code",
        "90901",
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert result.output.endswith("staff at Phường Tây Sơn\n")

    # Re-running the bootstrap is harmless with --exists-ok, and an error without it.
    again = run(
        "users",
        "create",
        "--tenant",
        SLUG,
        "--username",
        "admin.tinh",
        "--full-name",
        "X",
        "--exists-ok",
        "--password-stdin",
        input="",
    )
    assert again.exit_code == 0 and "already exists" in again.output
    clash = run(
        "users",
        "create",
        "--tenant",
        SLUG,
        "--username",
        "admin.tinh",
        "--full-name",
        "X",
        "--password-stdin",
        input=PASSWORD + "\n",
    )
    assert clash.exit_code == 1 and "đã có người dùng" in clash.output
    with Session(bind) as s:
        assert len(s.scalars(select(User)).all()) == 2


@pytest.mark.parametrize(
    "args, message",
    [
        (["--tenant", "khong-co"], "unknown tenant 'khong-co'"),
        (
            ["--tenant", SLUG, "--unit-code", "12345"],
            "no current unit has the official code '12345'",
        ),
        (
            ["--tenant", SLUG, "--unit-code", "90101"],
            "no current unit has the official code '90101'",
        ),
    ],
)
def test_users_create_errors(run, manifest_file, args, message):
    assert run("tenants", "apply", str(manifest_file)).exit_code == 0
    result = run(
        "users",
        "create",
        "--username",
        "ai.do",
        "--full-name",
        "Ai Đó",
        "--password-stdin",
        *args,
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 1 and message in result.output


def test_users_create_refuses_a_short_password(run, manifest_file, engine):
    assert run("tenants", "apply", str(manifest_file)).exit_code == 0
    result = run(
        "users",
        "create",
        "--tenant",
        SLUG,
        "--username",
        "ngan",
        "--full-name",
        "Ngắn",
        "--password-stdin",
        input="123\n",
    )
    assert result.exit_code == 1 and "Mật khẩu cần ít nhất 10 ký tự." in result.output


def test_users_create_refuses_a_common_password(run, manifest_file, engine):
    """The same policy as the pages: long enough is not enough (issue 15: `aaaaaaaaaa`)."""
    assert run("tenants", "apply", str(manifest_file)).exit_code == 0
    for password, why in (
        ("aaaaaaaaaa", "lặp lại một ký tự"),
        ("password123", "mật khẩu phổ biến"),
        ("matkhau123", "tiếng Việt rất thông dụng"),
    ):
        result = run(
            "users",
            "create",
            "--tenant",
            SLUG,
            "--username",
            "pho-bien",
            "--full-name",
            "Phổ Biến",
            "--password-stdin",
            input=password + "\n",
        )
        assert result.exit_code == 1 and why in result.output, (password, result.output)
