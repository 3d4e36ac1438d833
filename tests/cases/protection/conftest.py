"""Master keys, leaders and protected cases for the reporter-protection tests."""
from __future__ import annotations

import base64
import datetime as dt
import io
import itertools
import logging

import pytest
from giamsat.accounts.models import RoleAssignment, User
from giamsat.identity import Role
from giamsat.identity import Principal
from giamsat.cases.models import Case, CaseKind, Channel, ReporterMode
from giamsat.cases.protection import using_master_keys
from giamsat.core.logging import JsonFormatter, RedactingFilter
from giamsat.core.passwords import hash_password


def master_entry(key_id: str, fill: int) -> str:
    return f"{key_id}:{base64.b64encode(bytes([fill]) * 32).decode()}"


K1 = master_entry("k1", 1)
K2 = master_entry("k2", 2)
#: The protected person: every test looks for these exact strings (and their folded forms).
IDENTITY = {"name": "Trần Thị Bảo Mật", "contact": "0912 345 678",
            "address": "Số 7 ngõ Kín, thôn Một"}
NEEDLES = (*IDENTITY.values(), "tran thi bao mat", "Tran Thi Bao Mat", "0912345678",
           "ngõ Kín", "ngo Kin")
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
    for who, unit_id in (("x-leader", w.commune_x), ("y-leader", w.commune_y),
                         ("p-leader", w.province)):
        user = User(username=f"alpha-{who}", full_name=who.title(), locale="vi",
                    password_hash=hash_password(world.password))
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
        case = Case(unit_id=unit_id or world.alpha.commune_x, year=2099, seq=next(_seq),
                    received_on=dt.date(2025, 3, 3), channel=Channel.in_person,
                    kind=CaseKind.denunciation, title="Phản ánh thử", content="Nội dung thử",
                    concerned="", reporter_mode=mode)
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
