"""Master keys, leaders and protected cases for the reporter-protection tests."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import logging

import pytest

from giamsat.accounts.models import RoleAssignment, User
from giamsat.cases.models import Case, CaseKind, Channel, ReporterMode
from giamsat.cases.protection import using_master_keys
from giamsat.core.logging import JsonFormatter, RedactingFilter
from giamsat.core.passwords import hash_password
from giamsat.identity import Principal, Role
from tests.plugins.protection import K1

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def master_keys():
    """The configured keys of these tests: "k1" only (a test may nest other keys)."""
    with using_master_keys(K1) as keyring:
        yield keyring


@pytest.fixture()
def alpha(tenant_session):
    return tenant_session("alpha")


@pytest.fixture()
def people(alpha, world):
    """Principals of the alpha world plus leaders (Lãnh đạo) at X, at Y and at the province."""
    w = world.alpha
    ids = dict(w.users)
    for who, unit_id in (
        ("x-leader", w.commune_x),
        ("y-leader", w.commune_y),
        ("p-leader", w.province),
    ):
        user = User(
            username=f"alpha-{who}",
            full_name=who.title(),
            locale="vi",
            password_hash=hash_password(world.password),
        )
        alpha.add(user)
        alpha.flush()
        alpha.add(RoleAssignment(user_id=user.id, role=Role.leader, unit_id=unit_id))
        ids[who] = user.id
    alpha.flush()
    alpha.expire_all()
    return {who: Principal.of(alpha.get(User, user_id)) for who, user_id in ids.items()}


@pytest.fixture()
def bare_case(alpha, world):
    """A bare case row at commune X (or `unit_id`), without going through the workflow."""

    def make(mode: ReporterMode = ReporterMode.confidential, unit_id: int | None = None) -> Case:
        case = Case(
            unit_id=unit_id or world.alpha.commune_x,
            year=2099,
            seq=next(_seq),
            received_on=dt.date(2025, 3, 3),
            channel=Channel.in_person,
            kind=CaseKind.denunciation,
            title="Phản ánh thử",
            content="Nội dung thử",
            concerned="",
            reporter_mode=mode,
        )
        alpha.add(case)
        alpha.flush()
        return case

    return make


@pytest.fixture()
def json_log():
    """Every log line of the test as the production JSON handler writes it (DEBUG and up)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
