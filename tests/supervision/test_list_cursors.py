"""Keyset pages (`after=` / `next_cursor`) of the supervision lists: activities, recommendations
and people walk the list's own order without gaps or repeats, even past rows with equal sort
values; a forged cursor stays inside the caller's scope; a bad one is a 422 on its field."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.http.cursors import encode_cursor
from tests.plugins.api import field_errors, ids, pagination


def _walk(caller, path: str, query: dict | None = None, page_size: int = 2) -> list[int]:
    seen, cursor = [], None
    for _ in range(50):
        args = {"page_size": page_size, **(query or {})} | ({"after": cursor} if cursor else {})
        page = caller.get(path, query_string=args)
        assert page.status_code == 200, page.get_json()
        seen += ids(page)
        cursor = pagination(page).get("next_cursor")
        if not cursor:
            return seen
    raise AssertionError("the cursor never ended")


def _activity(caller, world, day: str, title: str):
    body = {
        "unit_id": world.alpha.commune_x,
        "organization_id": world.alpha.org_mttq,
        "kind": "thematic",
        "title": title,
        "starts_on": day,
        "participants_count": 3,
    }
    response = caller.post("supervision/activities", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _recommendation(caller, world, issued_on: str):
    body = {
        "unit_id": world.alpha.commune_x,
        "organization_id": world.alpha.org_mttq,
        "addressee_kind": "party_committee",
        "addressee_name": "Đảng ủy xã Đông",
        "content": "Đề nghị trả lời.",
        "expected_answer": "explain",
        "issued_on": issued_on,
    }
    response = caller.post("supervision/recommendations", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_activity_pages_walk_newest_first_without_gaps_or_repeats(as_user, world):
    staff = as_user("alpha", "x-staff")
    # Three on one day: the id breaks the tie, so no row is skipped at a page boundary.
    days = ["2026-04-02", "2026-04-02", "2026-04-02", "2026-03-01", "2026-05-09"]
    made = [_activity(staff, world, day, f"Giám sát {i}") for i, day in enumerate(days)]
    walked = _walk(staff, "supervision/activities")
    assert walked == ids(staff.get("supervision/activities", query_string={"page_size": 10}))
    assert sorted(walked) == sorted(made) and len(set(walked)) == len(made)
    # The same with a filter: the cursor keeps the page's filters.
    in_april = {"starts_from": "2026-04-01", "starts_to": "2026-04-30"}
    assert sorted(_walk(staff, "supervision/activities", in_april)) == sorted(made[:3])


def test_recommendation_pages_walk_most_urgent_first(as_user, world):
    staff = as_user("alpha", "x-staff")
    made = [
        _recommendation(staff, world, day)
        for day in ("2026-02-02", "2026-02-02", "2026-01-05", "2026-03-02", "2026-02-02")
    ]
    walked = _walk(staff, "supervision/recommendations")
    listed = staff.get("supervision/recommendations", query_string={"page_size": 10})
    assert walked == ids(listed) and sorted(walked) == sorted(made)
    due = [r["due_on"] for r in listed.get_json()]
    assert due == sorted(due)


def test_people_pages_walk_by_name(make_person, as_user):
    names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Văn Cường", "Nguyễn Thị An", "Đỗ Văn Đạt"]
    made = [
        make_person(full_name=name, birth_year=1960 + i)  # same name, another person
        for i, name in enumerate(names)
    ]
    staff = as_user("alpha", "x-staff")
    walked = _walk(staff, "supervision/people")
    listed = staff.get("supervision/people", query_string={"page_size": 10})
    assert walked == ids(listed) and sorted(walked) == sorted(p["id"] for p in made)
    assert [p["full_name"] for p in listed.get_json()][:2] == ["Đỗ Văn Đạt", "Lê Văn Cường"]


@pytest.mark.parametrize(
    ("path", "cursor"),
    [
        ("supervision/activities", encode_cursor(dt.date(2999, 1, 1), 2**31 - 1)),
        ("supervision/recommendations", encode_cursor(dt.date(1900, 1, 1), 1)),
        ("supervision/people", encode_cursor("", 1)),
    ],
)
def test_a_forged_cursor_never_reaches_a_sibling_commune(as_user, world, make_person, path, cursor):
    staff = as_user("alpha", "x-staff")
    _activity(staff, world, "2026-04-02", "Giám sát xã X")
    _recommendation(staff, world, "2026-02-02")
    make_person()
    assert len(ids(staff.get(path, query_string={"after": cursor}))) == 1
    sibling = as_user("alpha", "y-admin")
    assert ids(sibling.get(path, query_string={"after": cursor})) == []


@pytest.mark.parametrize(
    ("path", "cursor"),
    [
        ("supervision/activities", "not-a-cursor"),
        ("supervision/recommendations", encode_cursor("nguyen", 1)),  # a people cursor
        ("supervision/people", encode_cursor("nguyen")),  # the id missing
        ("supervision/people", encode_cursor("x" * 500, 1)),
        ("supervision/activities", encode_cursor(dt.date(2026, 1, 1), 0)),
    ],
)
def test_a_bad_cursor_is_422_on_its_field(as_user, path, cursor):
    response = as_user("alpha", "x-staff").get(path, query_string={"after": cursor})
    assert response.status_code == 422
    assert "after" in field_errors(response, "query")
