"""Ban TTND and Ban GSĐTCĐ of a commune: terms, members, their own activities and
recommendations; scoped to the unit and the province."""

from __future__ import annotations

from tests.plugins.api import ids


def _board(caller, world, **fields):
    body = {
        "unit_id": world.alpha.commune_x,
        "kind": "ttnd",
        "term_start_year": 2024,
        "term_end_year": 2029,
        "decision": "Quyết định số 05/QĐ-MTTQ",
        **fields,
    }
    return caller.post("supervision/boards", json=body)


def _activity(caller, world, **fields):
    body = {
        "unit_id": world.alpha.commune_x,
        "organization_id": world.alpha.org_mttq,
        "kind": "via_peoples_inspection",
        "title": "Giám sát việc thu, chi quỹ",
        "starts_on": "2026-04-02",
        **fields,
    }
    return caller.post("supervision/activities", json=body)


def _recommendation(caller, world, **fields):
    body = {
        "unit_id": world.alpha.commune_x,
        "organization_id": world.alpha.org_mttq,
        "addressee_kind": "authority",
        "addressee_name": "UBND xã",
        "content": "Đề nghị công khai thu, chi",
        "expected_answer": "accept",
        "issued_on": "2026-04-03",
        **fields,
    }
    return caller.post("supervision/recommendations", json=body)


def test_board_with_term_and_members(world, as_user, audit_count):
    staff = as_user("alpha", "x-staff")
    created = _board(staff, world)
    assert created.status_code == 201, created.get_json()
    board = created.get_json()
    assert board["kind_label"] == "Ban Thanh tra nhân dân" and board["members"] == []
    url = f"supervision/boards/{board['id']}"
    head = staff.post(
        url + "/members",
        json={"full_name": "Nguyễn Văn An", "role": "head", "from_on": "2024-03-01"},
    )
    assert head.status_code == 201, head.get_json()
    member = staff.post(url + "/members", json={"full_name": "Lê Thị Bình"}).get_json()
    assert member["role"] == "member" and member["is_current"] is True
    left = staff.patch(
        f"supervision/boards/members/{member['id']}", json={"to_on": "2025-06-30"}
    ).get_json()
    assert left["is_current"] is False
    body = staff.get(url).get_json()
    assert [m["full_name"] for m in body["members"]] == ["Nguyễn Văn An", "Lê Thị Bình"]
    etag = staff.get(url).headers["ETag"]
    patched = staff.patch(url, json={"term_end_year": 2030}, headers={"If-Match": etag})
    assert patched.status_code == 200 and patched.get_json()["term_end_year"] == 2030
    assert ids(staff.get("supervision/boards", query_string={"year": 2025})) == [board["id"]]
    assert ids(staff.get("supervision/boards", query_string={"year": 2031})) == []
    assert ids(staff.get("supervision/boards", query_string={"kind": "gsdtcd"})) == []
    assert audit_count("alpha", object_type="supervision_boards", action="create") == 1
    assert audit_count("alpha", object_type="supervision_board_members", action="update") == 1


def test_board_rules_answer_422(world, as_user):
    staff = as_user("alpha", "x-staff")
    assert _board(staff, world, kind="ttdn").status_code == 422
    assert _board(staff, world, term_end_year=2020).status_code == 422
    assert _board(staff, world, term_start_year=1800).status_code == 422
    assert _board(staff, world, unit_id=world.alpha.area_x).status_code == 422
    board = _board(staff, world).get_json()
    url = f"supervision/boards/{board['id']}/members"
    assert staff.post(url, json={"full_name": "  "}).status_code == 422
    assert staff.post(url, json={"full_name": "A", "role": "chief"}).status_code == 422
    bad_dates = {"full_name": "A", "from_on": "2025-01-02", "to_on": "2024-01-01"}
    assert staff.post(url, json=bad_dates).status_code == 422
    assert staff.get(f"supervision/boards/{board['id']}").get_json()["members"] == []


def test_boards_and_members_are_scoped_to_the_unit_and_the_province(world, as_user):
    staff = as_user("alpha", "x-staff")
    board = _board(staff, world).get_json()
    member = staff.post(
        f"supervision/boards/{board['id']}/members", json={"full_name": "Nguyễn Văn An"}
    ).get_json()
    reader = as_user("alpha", "x-reader")
    assert ids(reader.get("supervision/boards")) == [board["id"]]
    assert _board(reader, world).status_code == 403
    y_admin = as_user("alpha", "y-admin")
    for url in (f"supervision/boards/{board['id']}", f"supervision/boards/members/{member['id']}"):
        assert y_admin.get(url).status_code == 404, url
    assert (
        y_admin.post(f"supervision/boards/{board['id']}/members", json={"full_name": "B"})
    ).status_code == 404
    assert ids(y_admin.get("supervision/boards")) == []
    assert _board(y_admin, world).status_code == 404  # commune X is not Y's
    assert ids(as_user("alpha", "admin").get("supervision/boards")) == [board["id"]]
    beta = as_user("beta", "admin")
    assert ids(beta.get("supervision/boards")) == []
    assert beta.get(f"supervision/boards/{board['id']}").status_code == 404


def test_a_boards_activities_and_recommendations(world, as_user):
    staff = as_user("alpha", "x-staff")
    ttnd = _board(staff, world).get_json()
    gsdtcd = _board(staff, world, kind="gsdtcd").get_json()
    created = _activity(staff, world, board_id=ttnd["id"])
    assert created.status_code == 201, created.get_json()
    activity = created.get_json()
    assert activity["board_id"] == ttnd["id"]
    # Ban TTND's work is "via Ban TTND"; Ban GSĐTCĐ's is not; a board of another unit is not
    # this activity's; a date outside the term is refused.
    assert _activity(staff, world, board_id=ttnd["id"], kind="thematic").status_code == 422
    assert _activity(staff, world, board_id=gsdtcd["id"]).status_code == 422
    assert _activity(staff, world, board_id=gsdtcd["id"], kind="thematic").status_code == 201
    y_board = _board(as_user("alpha", "y-admin"), world, unit_id=world.alpha.commune_y).get_json()
    assert _activity(staff, world, board_id=y_board["id"]).status_code == 422
    assert _activity(staff, world, board_id=ttnd["id"], starts_on="2031-01-05").status_code == 422
    assert _activity(staff, world, board_id=999999).status_code == 422
    url = f"supervision/activities/{activity['id']}"
    etag = staff.get(url).headers["ETag"]
    changed = staff.patch(url, json={"kind": "regular"}, headers={"If-Match": etag})
    assert changed.status_code == 422
    assert ids(staff.get("supervision/activities", query_string={"board_id": ttnd["id"]})) == [
        activity["id"]
    ]

    # A recommendation after the board's activity is the board's.
    after = _recommendation(staff, world, activity_id=activity["id"]).get_json()
    assert after["board_id"] == ttnd["id"]
    assert (
        _recommendation(staff, world, activity_id=activity["id"], board_id=gsdtcd["id"])
    ).status_code == 422
    direct = _recommendation(staff, world, board_id=gsdtcd["id"]).get_json()
    assert direct["board_id"] == gsdtcd["id"]
    assert _recommendation(staff, world, board_id=y_board["id"]).status_code == 422
    listed = staff.get("supervision/recommendations", query_string={"board_id": ttnd["id"]})
    assert ids(listed) == [after["id"]]
