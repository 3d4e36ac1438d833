"""`giamsat users …`: bootstrap accounts of a tenant from the command line."""

from __future__ import annotations

import sys

import click
from sqlalchemy import select

from giamsat.core.config import Settings
from giamsat.identity import Role


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        # First line only, so `echo secret | giamsat users create …` works.
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Mật khẩu", hide_input=True, confirmation_prompt="Nhập lại mật khẩu")


def _find_unit(session, code: str | None, province_code: int):
    from giamsat.units.models import Unit
    from giamsat.units.provisioning import find_province_unit

    if code is None:
        unit = find_province_unit(session, province_code)
        if unit is None:
            raise click.ClickException(
                "the tenant has no province unit yet: apply its manifest first, or pass --unit-code"
            )
        return unit
    candidates = {code}
    if code.isdigit():
        # People type "4" for "00004": try the official zero-padded widths too.
        candidates |= {code.zfill(2), code.zfill(5)}
    units = list(
        session.scalars(
            select(Unit).where(Unit.official_code.in_(candidates), Unit.valid_to.is_(None))
        )
    )
    if not units:
        raise click.ClickException(f"no current unit has the official code {code!r}")
    if len(units) > 1:
        found = ", ".join(f"{u.name} ({u.level_code} {u.official_code})" for u in units)
        raise click.ClickException(f"the code {code!r} matches several units: {found}")
    return units[0]


@click.group(help="Users of a tenant.")
def users() -> None:
    pass


@users.command(
    "create",
    help="Create a user with one role at a unit (default: the province "
    "unit). Typical first use: the tenant's first tenant_admin.",
)
@click.option("--tenant", "slug", help="Tenant slug, e.g. ninh-binh (required unless --operator).")
@click.option(
    "--operator",
    is_flag=True,
    help="Create a platform operator (all tenants: status, suspend/resume at /platform/) "
    "instead of a user of a tenant; --tenant, --role and --unit-code do not apply.",
)
@click.option(
    "--central",
    is_flag=True,
    help="Create a platform account of the central committee (Ủy ban Trung ương MTTQ Việt "
    "Nam): it signs in at /platform/login and reads the national view only; --tenant, --role "
    "and --unit-code do not apply.",
)
@click.option("--username", required=True, help="Login name (lowercase).")
@click.option("--full-name", required=True, help="Họ và tên.")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.tenant_admin.value,
    show_default=True,
)
@click.option(
    "--unit-code",
    help="Official code of the unit the role applies to (default: the province unit).",
)
@click.option("--email", help="Email address (optional).")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input instead of asking.",
)
@click.option(
    "--exists-ok",
    is_flag=True,
    help="If the username already exists, change nothing and exit successfully.",
)
def create(
    slug: str | None,
    operator: bool,
    central: bool,
    username: str,
    full_name: str,
    role: str,
    unit_code: str | None,
    email: str | None,
    password_stdin: bool,
    exists_ok: bool,
) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from giamsat.accounts.models import User
    from giamsat.accounts.operations import create_user
    from giamsat.core.db import Database
    from giamsat.core.errors import DomainError
    from giamsat.domains import load_models
    from giamsat.identity import SystemActor
    from giamsat.tenancy.context import tenant_context
    from giamsat.tenancy.registry import get_tenant

    load_models()
    if operator and central:
        raise click.UsageError("--operator and --central are two different accounts: pick one")
    if operator or central:
        _create_operator(username, full_name, password_stdin, exists_ok, central=central)
        return
    if not slug:
        raise click.UsageError(
            "--tenant is required (or --operator / --central for a platform account)"
        )
    engine = create_engine(Settings.from_env().database_url, poolclass=NullPool)
    try:
        with Database(engine).session() as shared:
            tenant = get_tenant(shared, slug)
        if tenant is None:
            raise click.ClickException(f"unknown tenant {slug!r} (see `giamsat tenants list`)")
        with tenant_context(Database(engine), tenant) as scope:
            session = scope.session
            existing = session.scalar(select(User).where(User.username == username.strip().lower()))
            if existing is not None and exists_ok:
                click.echo(f"user {existing.username!r} already exists in {slug}; unchanged")
                return
            unit = _find_unit(session, unit_code, tenant.province_code)
            password = _read_password(password_stdin)
            try:
                user = create_user(
                    session,
                    SystemActor(),
                    username=username,
                    full_name=full_name,
                    password=password,
                    email=email,
                    grants=[(Role(role), unit.id, None)],
                )
            except DomainError as error:
                raise click.ClickException(error.message) from None
            session.commit()
            click.echo(f"created user {user.username!r} in {slug}: {role} at {unit.name}")
    finally:
        engine.dispose()


#: Operators see every tenant: a longer password than the tenants' minimum.
OPERATOR_MIN_PASSWORD = 12


def _create_operator(
    username: str, full_name: str, password_stdin: bool, exists_ok: bool, *, central: bool
) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from giamsat.accounts.passwords_policy import password_problem
    from giamsat.core.db import Database
    from giamsat.tenancy.operators import PlatformOperator, PlatformRole, create_operator

    engine = create_engine(Settings.from_env().database_url, poolclass=NullPool)
    try:
        with Database(engine).session() as shared:
            name = username.strip().lower()
            existing = shared.scalar(
                select(PlatformOperator).where(PlatformOperator.username == name)
            )
            if existing is not None:
                if exists_ok:
                    click.echo(f"platform account {name!r} already exists; unchanged")
                    return
                raise click.ClickException(f"a platform account {name!r} already exists")
            password = _read_password(password_stdin)
            if len(password) < OPERATOR_MIN_PASSWORD:
                raise click.ClickException(
                    f"an operator's password needs at least {OPERATOR_MIN_PASSWORD} characters"
                )
            problem = password_problem(password, [name, full_name])
            if problem:
                raise click.ClickException(problem)
            role = PlatformRole.central if central else PlatformRole.operator
            create_operator(
                shared, username=name, full_name=full_name, password=password, role=role
            )
            shared.commit()
            what = "central committee account" if central else "platform operator"
            click.echo(f"created {what} {name!r} (sign in at /platform/login)")
    finally:
        engine.dispose()
