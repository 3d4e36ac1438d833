"""The queue's plain read path (`cases.queue_read`) answers exactly what `CaseSummarySchema`
dumps of the same cases, filtered or not, and keeps the subtree check."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select, update

from giamsat.cases.models import Case, CaseStatus
from giamsat.cases.schemas import CaseSummarySchema
from giamsat.core import clock
from tests.plugins.api import ids, pagination

BASE = {
    "channel": "suggestion_box",
    "kind": "denunciation",
    "content": "Nội dung.",
    "concerned": "Ông Trần Văn Bình",
}


@pytest.fixture()
def staff(as_user, catalogue, reporter_keys):
    return as_user("alpha", "x-staff")


@pytest.fixture()
def varied(staff, world, tenant_session):
    """Cases of every shape a summary shows: each reporter mode, tags or none, an organization
    or none, from a residential area, overdue, due later, no due date, an older one."""
    a = world.alpha
    bodies = [
        {"title": "Nặc danh, hai phân loại", "tags": ["DD-7", "CV"]},
        {"title": "Bảo mật", "reporter_mode": "confidential", "reporter": {"name": "Kín"}},
        {"title": "Công khai", "reporter_mode": "open", "reporter": {"name": "Lộ"}, "tags": []},
        {"title": "Của Mặt trận", "organization_id": a.org_mttq, "tags": ["CV"]},
        {"title": "Từ khu dân cư", "area_id": a.area_x, "kind": "petition"},
        {"title": "Cũ hơn", "received_on": (clock.today() - dt.timedelta(days=40)).isoformat()},
    ]
    made = []
    for body in bodies:
        response = staff.post("cases", json=BASE | {"unit_id": a.commune_x} | body)
        assert response.status_code == 201, response.get_json()
        made.append(response.get_json()["id"])
    past, later = clock.today() - dt.timedelta(days=3), clock.today() + dt.timedelta(days=9)
    with tenant_session("alpha") as session:
        for case_id, due in ((made[0], past), (made[1], later), (made[3], past)):
            session.execute(
                update(Case)
                .where(Case.id == case_id)
                .values(status=CaseStatus.awaiting_response, due_on=due)
            )
        session.commit()
    return made


def _schema_dump(app, tenant_session, case_ids: list[int]) -> list[dict]:
    """What marshmallow's CaseSummarySchema gives for these cases, in this order, as JSON."""
    with tenant_session("alpha") as session, app.test_request_context():
        cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(case_ids)))}
        dumped = CaseSummarySchema(many=True).dump([cases[i] for i in case_ids])
        return json.loads(app.json.dumps(dumped))


@pytest.mark.parametrize(
    "query",
    [
        "cases?page_size=50",  # the statement built once
        "cases?page_size=3&page=2",
        "cases?overdue=true",
        "cases?overdue=false",
        "cases?q=tran+van+binh",  # ranked: its own columns and cursor
        "cases?status=awaiting_response&page_size=1",
    ],
)
def test_the_plain_read_equals_the_schema_dump(app, staff, varied, tenant_session, query):
    response = staff.get(query)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body, query
    assert body == _schema_dump(app, tenant_session, ids(response))
    if query == "cases?page_size=50":  # every shape was compared
        assert len(body) == len(varied)
        assert {row["reporter"] for row in body} == {
            "Nặc danh",
            "Đã ẩn danh tính (bảo mật)",
            "Đã ẩn danh tính",
        }
        assert {len(row["tags"]) for row in body} == {0, 1, 2}
        assert {(row["due_on"] is not None, row["is_overdue"]) for row in body} == {
            (False, False),
            (True, False),
            (True, True),
        }
        assert {row["organization_id"] is None for row in body} == {True, False}


def test_the_plain_read_keeps_paging_and_the_cursor(staff, varied):
    first = staff.get("cases?page_size=4")
    meta = pagination(first)
    assert meta["total"] == len(varied) and meta["total_is_exact"] is True
    rest = staff.get(f"cases?page_size=4&after={meta['next_cursor']}")
    assert ids(first) + ids(rest) == ids(staff.get("cases?page_size=50"))
    ranked = pagination(staff.get("cases?q=tran&page_size=2"))
    assert ids(staff.get(f"cases?q=tran&page_size=50&after={ranked['next_cursor']}"))


def test_the_statement_built_once_still_checks_the_subtree(as_user, staff, varied):
    """Commune Y's staff, served by the same statement object, sees none of commune X's."""
    other = as_user("alpha", "y-admin")
    assert set(ids(other.get("cases?page_size=50"))).isdisjoint(varied)
    assert pagination(other.get("cases"))["total"] == 0
    assert set(ids(staff.get("cases?page_size=50"))) == set(varied)
