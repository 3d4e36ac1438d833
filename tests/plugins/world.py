"""The fixture world: tenants "alpha" and "beta", each a province with communes X and Y,
one residential area in each commune, and users at every level; sessions, tokens and
principals of those users, and more users when a test needs them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from sqlalchemy.orm import Session

from giamsat.accounts.models import RoleAssignment, User
from giamsat.core.passwords import hash_password
from giamsat.identity import Principal, Role
from giamsat.tenancy.names import schema_for
from giamsat.tenancy.provision import ensure_tenant
from giamsat.units.models import Organization, TenantRule, Unit, UnitLevel

PASSWORD = "mat-khau-thu-nghiem"

LEVELS = (
    ("province", 0, "Tỉnh", "Province", False, False),
    ("commune", 1, "Xã/phường", "Commune", False, True),
    ("residential_area", 2, "Khu dân cư", "Residential area", True, False),
)


@dataclass
class TenantWorld:
    slug: str
    schema: str
    tenant_id: int
    province: int = 0
    commune_x: int = 0
    commune_y: int = 0
    area_x: int = 0
    area_y: int = 0
    org_mttq: int = 0
    users: dict[str, int] = field(default_factory=dict)


@dataclass
class World:
    alpha: TenantWorld
    beta: TenantWorld
    password: str = PASSWORD


def _unit(session, level, name, parent, code=None, kind=""):
    unit = Unit(
        level_code=level,
        name=name,
        kind=kind,
        official_code=code,
        parent_id=parent.id if parent else None,
        valid_from=dt.date(2025, 7, 1),
    )
    session.add(unit)
    session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    session.flush()
    return unit


def _user(session, username, role, unit, password_hash):
    user = User(
        username=username,
        full_name=username.replace("-", " ").title(),
        password_hash=password_hash,
        locale="vi",
    )
    session.add(user)
    session.flush()
    session.add(RoleAssignment(user_id=user.id, role=role, unit_id=unit.id))
    return user.id


def build_tenant(engine, migrations_dir, slug, name, code) -> TenantWorld:
    tenant, _ = ensure_tenant(engine, migrations_dir, slug=slug, name=name, province_code=code)
    bind = engine.execution_options(schema_translate_map={None: tenant.schema_name})
    pw = hash_password(PASSWORD)
    with Session(bind) as s, s.begin():
        for code_, rank, vi, en, is_area, holds in LEVELS:
            s.add(
                UnitLevel(
                    code=code_,
                    rank=rank,
                    name_vi=vi,
                    name_en=en,
                    is_residential_area=is_area,
                    holds_residential_areas=holds,
                )
            )
        # Nobody needs a second factor in the fixtures; its default is tested on its own.
        s.add(TenantRule(key="second_factor_roles", value=[], source="tests [CONFIRMED]"))
        s.flush()
        org = Organization(
            code="mttq", name="Ủy ban Mặt trận Tổ quốc Việt Nam", short_name="MTTQ", sort_order=0
        )
        s.add(org)
        province = _unit(s, "province", f"Tỉnh {name}", None, str(code), "tỉnh")
        x = _unit(s, "commune", f"Xã Đông {name}", province, f"{code}001", "xã")
        y = _unit(s, "commune", f"Phường Tây {name}", province, f"{code}002", "phường")
        ax = _unit(s, "residential_area", "Thôn Một", x, None, "thôn")
        ay = _unit(s, "residential_area", "Tổ dân phố Hai", y, None, "tổ dân phố")
        users = {
            "admin": _user(s, f"{slug}-admin", Role.tenant_admin, province, pw),
            "x-admin": _user(s, f"{slug}-x-admin", Role.unit_admin, x, pw),
            "x-staff": _user(s, f"{slug}-x-staff", Role.staff, x, pw),
            "x-reader": _user(s, f"{slug}-x-reader", Role.readonly, x, pw),
            "y-admin": _user(s, f"{slug}-y-admin", Role.unit_admin, y, pw),
        }
        s.flush()
        return TenantWorld(
            slug=slug,
            schema=tenant.schema_name,
            tenant_id=tenant.id,
            province=province.id,
            commune_x=x.id,
            commune_y=y.id,
            area_x=ax.id,
            area_y=ay.id,
            org_mttq=org.id,
            users=users,
        )


@pytest.fixture(scope="session")
def world(engine, migrations_dir_session, settings) -> World:
    from giamsat.core.storage import ensure_bucket
    from giamsat.tenancy.models import Tenant

    world = World(
        alpha=build_tenant(engine, migrations_dir_session, "alpha", "Alpha", 91),
        beta=build_tenant(engine, migrations_dir_session, "beta", "Beta", 92),
    )
    # Each tenant's bucket exists on the session's S3 server, as `tenants apply` makes it.
    with Session(engine) as s:
        for tw in (world.alpha, world.beta):
            ensure_bucket(settings, s.get(Tenant, tw.tenant_id).bucket_name)
    return world


@pytest.fixture(scope="session")
def migrations_dir_session():
    from giamsat.core.config import Settings

    return Settings().migrations_dir


@pytest.fixture()
def tenant_session(db):
    """`tenant_session("alpha")` — a session on that tenant's schema inside the test transaction."""
    sessions = []

    def open_(slug: str):
        s = db.session(schema_for(slug))
        sessions.append(s)
        return s

    yield open_
    for s in reversed(sessions):
        s.close()


@pytest.fixture()
def api_token(tenant_session):
    """`api_token("alpha", "x-admin")` — a fresh personal token for a fixture user."""
    from giamsat.accounts.operations import create_api_token

    def make(slug: str, who: str) -> str:
        s = tenant_session(slug)
        user = s.get(User, _world_users(slug)[who])
        _, token = create_api_token(s, user, "test")
        s.commit()
        return token

    return make


@pytest.fixture()
def principal_of(tenant_session, world):
    """`principal_of("alpha", "x-staff")` — the Principal of a fixture user."""

    def make(slug: str, who: str) -> Principal:
        users = getattr(world, slug).users
        with tenant_session(slug) as session:
            return Principal.of(session.get(User, users[who]))

    return make


@pytest.fixture()
def add_user(tenant_session, world):
    """`add_user("alpha", "x-leader", Role.leader, unit_id)` — a user with one more role; returns
    its id and registers it in `world.<slug>.users` for `principal_of`/`api_token`."""
    created = []

    def make(slug: str, who: str, role: Role, unit_id: int) -> int:
        tw = getattr(world, slug)
        with tenant_session(slug) as session:
            user = User(
                username=f"{slug}-{who}",
                full_name=who.title(),
                password_hash=hash_password(world.password),
                locale="vi",
            )
            session.add(user)
            session.flush()
            session.add(RoleAssignment(user_id=user.id, role=role, unit_id=unit_id))
            session.commit()
            tw.users[who] = user.id
            created.append((tw, who))
            return user.id

    yield make
    for tw, who in created:  # the rows are rolled back; forget their ids too
        tw.users.pop(who, None)


_WORLD: dict[str, TenantWorld] = {}


def _world_users(slug):
    return _WORLD[slug].users


@pytest.fixture(scope="session", autouse=True)
def _remember_world(world):
    _WORLD["alpha"], _WORLD["beta"] = world.alpha, world.beta
