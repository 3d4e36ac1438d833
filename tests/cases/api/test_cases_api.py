"""The cases API: intake, queue and search, one case, transitions, history, hints, categories;
scoping (sibling 404, tenant isolation), roles (readonly 403) and 422s that write nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine

from giamsat.cases.models import Case
from giamsat.core import clock
from giamsat.http.cursors import encode_cursor
from tests.plugins.api import field_errors, ids, pagination

INTAKE = {
    "channel": "suggestion_box",
    "kind": "denunciation",
    "title": "Thư tố cáo cán bộ địa chính",
    "content": "Nhận tiền khi làm sổ đỏ.",
    "concerned": "Ông Nguyễn Văn An, cán bộ địa chính",
    "tags": ["DD-7", "CV"],
}
SECRET = {"name": "Phạm Thị Kín Đáo", "contact": "0987 654 321", "address": "Xóm Giấu Tên"}


@pytest.fixture()
def count_cases(tenant_session):
    def count(slug: str = "alpha") -> int:
        with tenant_session(slug) as session:
            return session.scalar(select(func.count()).select_from(Case))

    return count


@pytest.fixture()
def staff(as_user, catalogue, reporter_keys):
    return as_user("alpha", "x-staff")


def _intake(caller, world, **extra):
    body = INTAKE | {"unit_id": world.alpha.commune_x} | extra
    return caller.post("cases", json=body)


def test_intake_numbers_and_masks_the_reporter(staff, world):
    response = _intake(staff, world, reporter_mode="confidential", reporter=SECRET)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["number"] == f"1/{clock.today().year}" and body["status"] == "received"
    assert body["tags"] == ["DD-7", "CV"] and body["reporter"] == "Đã ẩn danh tính (bảo mật)"
    assert response.headers["Location"].endswith(f"/cases/{body['id']}")
    raw = response.get_data(as_text=True)
    assert all(value not in raw for value in SECRET.values())
    for path in ("cases", f"cases/{body['id']}", f"cases/{body['id']}/history"):
        text = staff.get(path).get_data(as_text=True)
        assert all(value not in text for value in SECRET.values())


def test_bad_intake_is_422_with_every_field_and_writes_nothing(
    staff, world, count_cases, audit_count
):
    before, audits = count_cases(), audit_count("alpha", object_type="case")
    response = staff.post(
        "cases",
        json={
            "unit_id": world.alpha.commune_x,
            "channel": "pigeon",
            "kind": "rumour",
            "title": " ",
            "content": "",
            "tags": ["ZZ-1"],
            "reporter_mode": "anonymous",
            "reporter": {"name": "Ai đó"},
            "area_id": world.alpha.area_y,
            "received_on": (clock.today() + dt.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 422
    assert set(field_errors(response)) == {
        "channel",
        "kind",
        "title",
        "content",
        "tags",
        "reporter",
        "area_id",
        "received_on",
    }
    assert count_cases() == before and audit_count("alpha", object_type="case") == audits
    missing = staff.post("cases", json={"unit_id": world.alpha.commune_x})
    assert missing.status_code == 422 and {"channel", "kind", "title", "content"} <= set(
        field_errors(missing)
    )


def test_readonly_reads_but_cannot_write(as_user, staff, world, count_cases):
    case_id = _intake(staff, world).get_json()["id"]
    reader = as_user("alpha", "x-reader")
    assert reader.get(f"cases/{case_id}").status_code == 200
    before = count_cases()
    assert _intake(reader, world).status_code == 403
    assert count_cases() == before
    refused = reader.post(f"cases/{case_id}/transitions", json={"action": "verify"})
    assert refused.status_code == 403
    assert staff.get(f"cases/{case_id}").get_json()["status"] == "received"


def test_sibling_commune_gets_404_on_every_route(as_user, staff, world):
    case_id = _intake(staff, world).get_json()["id"]
    other = as_user("alpha", "y-admin")
    calls = [
        ("get", f"cases/{case_id}", None),
        ("get", f"cases/{case_id}/history", None),
        ("get", f"cases/{case_id}/related", None),
        ("get", f"cases/{case_id}/attachments", None),
        ("get", f"cases/{case_id}/attachments/1/content", None),
        ("post", f"cases/{case_id}/transitions", {"action": "verify"}),
        ("post", f"cases/{case_id}/reporter/reveal", {"reason": "Cần liên hệ xác minh."}),
        ("patch", f"cases/{case_id}", {"title": "Đổi"}),
    ]
    for method, path, body in calls:
        kwargs = {"json": body} if body is not None else {}
        if method == "patch":
            kwargs["headers"] = {"If-Match": "*"}
        assert getattr(other, method)(path, **kwargs).status_code == 404, path
    assert case_id not in ids(other.get("cases"))
    assert other.get(f"cases?unit_id={world.alpha.commune_x}").status_code == 404
    # Nor may a sibling record a case at commune X.
    assert _intake(other, world).status_code == 404


def test_tenant_isolation(as_user, staff, world, api_token):
    case_id = _intake(staff, world).get_json()["id"]
    beta = as_user("beta", "admin")
    assert beta.get(f"cases/{case_id}").status_code == 404
    assert case_id not in ids(beta.get("cases"))
    token = api_token("alpha", "x-staff")
    cross = beta.client.get("/api/v1/t/beta/cases", headers={"Authorization": f"Bearer {token}"})
    assert cross.status_code == 401


def test_workflow_over_the_api(staff, world):
    case_id = _intake(staff, world).get_json()["id"]
    url = f"cases/{case_id}/transitions"
    refused = staff.post(url, json={"action": "close"})
    assert refused.status_code == 409 and "Đã tiếp nhận" in refused.get_json()["message"]
    assert staff.post(url, json={"action": "verify"}).get_json()["status"] == "verifying"
    bad = staff.post(url, json={"action": "forward", "recipient_kind": "press"})
    assert bad.status_code == 422 and {"recipient_kind", "recipient_name"} <= set(field_errors(bad))
    forwarded = staff.post(
        url,
        json={
            "action": "forward",
            "recipient_kind": "party_committee",
            "recipient_name": "Đảng ủy xã",
            "is_complex": True,
        },
    )
    body = forwarded.get_json()
    assert body["status"] == "awaiting_response" and body["due_on"] and body["is_complex"]
    assert (
        staff.post(
            url,
            json={
                "action": "respond",
                "outcome": "accepted",
                "text": "Đã tiếp thu, xử lý kỷ luật.",
            },
        ).status_code
        == 200
    )
    assert staff.post(url, json={"action": "close"}).get_json()["status"] == "closed"
    assert staff.post(url, json={"action": "fly"}).status_code == 422
    history = staff.get(f"cases/{case_id}/history").get_json()
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        (None, "received"),
        ("received", "verifying"),
        ("verifying", "awaiting_response"),
        ("awaiting_response", "responded"),
        ("responded", "closed"),
    ]
    assert all(h["actor_label"] == "alpha-x-staff" for h in history)


def test_escalation_over_the_api_shows_only_the_linked_status(as_user, staff, world):
    case_id = _intake(staff, world, reporter_mode="open", reporter=SECRET).get_json()["id"]
    moved = staff.post(
        f"cases/{case_id}/transitions",
        json={"action": "escalate", "reason": "Vượt thẩm quyền cấp xã."},
    )
    body = moved.get_json()
    assert body["status"] == "transferred"
    assert body["linked"]["unit_name"] == "Tỉnh Alpha" and body["linked"]["status"] == "received"
    province = as_user("alpha", "admin")
    queue = province.get(f"cases?unit_id={world.alpha.province}").get_json()
    assert len(queue) == 1 and queue[0]["id"] != case_id
    new = province.get(f"cases/{queue[0]['id']}").get_json()
    assert new["channel"] == "forwarded" and new["origin"]["number"] == body["number"]
    assert staff.get(f"cases/{new['id']}").status_code == 404
    assert as_user("alpha", "y-admin").get(f"cases/{new['id']}").status_code == 404
    assert all(
        v not in province.get(f"cases/{new['id']}").get_data(as_text=True) for v in SECRET.values()
    )


def test_assignment_over_the_api(as_user, world, catalogue):
    province = as_user("alpha", "admin")
    case_id = _intake(province, world, unit_id=world.alpha.province).get_json()["id"]
    bad = province.post(
        f"cases/{case_id}/transitions",
        json={"action": "assign", "unit_id": world.alpha.area_x, "reason": "Giao xuống."},
    )
    assert bad.status_code == 422 and "unit_id" in field_errors(bad)
    moved = province.post(
        f"cases/{case_id}/transitions",
        json={"action": "assign", "unit_id": world.alpha.commune_x, "reason": "Giao xã xác minh."},
    )
    assert moved.get_json()["linked"]["unit_name"].startswith("Xã Đông")
    x_queue = as_user("alpha", "x-staff").get(f"cases?unit_id={world.alpha.commune_x}")
    assert len(x_queue.get_json()) == 1
    assert as_user("alpha", "y-admin").get("cases").get_json() == []


def test_patch_needs_if_match_and_validates(staff, world):
    created = _intake(staff, world)
    case_id = created.get_json()["id"]
    assert staff.patch(f"cases/{case_id}", json={"title": "Mới"}).status_code == 428
    stale = staff.patch(f"cases/{case_id}", json={"title": "Mới"}, headers={"If-Match": '"x"'})
    assert stale.status_code == 412
    etag = staff.get(f"cases/{case_id}").headers["ETag"]
    bad = staff.patch(
        f"cases/{case_id}", json={"title": "", "tags": ["NOPE"]}, headers={"If-Match": etag}
    )
    assert bad.status_code == 422 and {"title", "tags"} <= set(field_errors(bad))
    ok = staff.patch(
        f"cases/{case_id}",
        json={"title": "Tiêu đề mới", "tags": ["NG"]},
        headers={"If-Match": etag},
    )
    assert ok.status_code == 200 and ok.get_json()["tags"] == ["NG"]
    assert ok.get_json()["title"] == "Tiêu đề mới"


def test_queue_search_filters_and_pagination(staff, world):
    for i in range(3):
        _intake(
            staff,
            world,
            title=f"Đường hỏng số {i}",
            concerned="",
            kind="petition",
            content="Đường bê tông xuống cấp.",
            tags=[],
        )
    target = _intake(staff, world).get_json()["id"]
    assert ids(staff.get("cases?q=nguyen van an")) == [target]
    assert ids(staff.get("cases?q=NGUYỄN")) == [target]
    assert ids(staff.get("cases?tag=DD-7")) == [target]
    assert ids(staff.get("cases?kind=denunciation&channel=suggestion_box")) == [target]
    page = staff.get("cases?page_size=2")
    assert len(page.get_json()) == 2 and pagination(page)["total"] == 4
    assert staff.get("cases?status=lost").status_code == 422
    assert ids(staff.get("cases?overdue=true")) == []


def test_related_hints_over_the_api(staff, world):
    first = _intake(staff, world).get_json()["id"]
    second = _intake(
        staff, world, title="Sử dụng xe công", content="Đi việc riêng.", tags=[]
    ).get_json()["id"]
    hints = staff.get(f"cases/{first}/related").get_json()
    assert [h["case"]["id"] for h in hints] == [second]
    assert hints[0]["reason"] == "same_concerned" and "reporter" in hints[0]["case"]


def test_categories_list_and_admin_edit(as_user, catalogue, audit_count):
    admin = as_user("alpha", "admin")
    listed = admin.get("case-categories?page_size=50")
    assert pagination(listed)["total"] == 31
    cat = next(c for c in listed.get_json() if c["code"] == "CT-6")
    assert cat["confidence"] == "UNCONFIRMED"
    url = f"case-categories/{cat['id']}"
    etag = admin.get(url).headers["ETag"]
    assert (
        as_user("alpha", "x-admin")
        .patch(url, json={"label": "X"}, headers={"If-Match": etag})
        .status_code
        == 403
    )
    assert admin.patch(url, json={"label": " "}, headers={"If-Match": etag}).status_code == 422
    changed = admin.patch(
        url,
        json={"label": "Nói không đi đôi với làm", "is_active": False},
        headers={"If-Match": etag},
    )
    assert changed.status_code == 200
    assert changed.get_json()["is_overridden"] and not changed.get_json()["is_active"]
    assert audit_count("alpha", object_type="case_category", action="update") == 1
    assert "CT-6" not in [
        c["code"] for c in admin.get("case-categories?active_only=true&page_size=50").get_json()
    ]
    assert as_user("beta", "admin").get(url).get_json()["label"] != "Nói không đi đôi với làm"


def test_openapi_documents_the_cases_resources_validly(client):
    import openapi_spec_validator as validator

    spec = client.get("/api/v1/openapi.json").get_json()
    validator.validate(spec)
    paths = spec["paths"]
    assert "/api/v1/t/{tenant}/cases/{case_id}/transitions" in paths
    upload = paths["/api/v1/t/{tenant}/cases/{case_id}/attachments"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]


def test_capped_total_says_not_exact_and_still_offers_the_next_page(staff, world, monkeypatch):
    for i in range(4):
        _intake(staff, world, title=f"Hồ sơ đếm {i}", tags=[])
    exact = pagination(staff.get("cases?page_size=2"))
    assert exact["total"] == 4 and exact["total_is_exact"] is True
    monkeypatch.setattr("giamsat.http.counts.COUNT_CAP", 3)
    first = staff.get("cases?page_size=2")
    capped = pagination(first)
    assert capped["total"] == 3 and capped["total_is_exact"] is False
    assert capped["next_page"] == 2
    second = staff.get("cases?page_size=2&page=2")
    assert pagination(second)["total_is_exact"] is False
    assert len(set(ids(first)) | set(ids(second))) == 4
    monkeypatch.setattr("giamsat.http.counts.COUNT_CAP", 4)
    assert pagination(staff.get("cases?page_size=2"))["total_is_exact"] is True


def test_cursor_pages_walk_the_queue_in_order_without_gaps_or_repeats(staff, world):
    made = [
        _intake(staff, world, title=f"Hồ sơ con trỏ {i}", tags=[]).get_json()["id"]
        for i in range(5)
    ]
    first = staff.get("cases?page_size=2")
    cursor = pagination(first)["next_cursor"]
    seen = ids(first)
    while cursor:
        page = staff.get(f"cases?page_size=2&after={cursor}")
        assert page.status_code == 200
        seen += ids(page)
        cursor = pagination(page).get("next_cursor")
    assert seen == ids(staff.get("cases?page_size=10")) and sorted(seen) == sorted(made)
    # A case received meanwhile (newest, so before the cursor) does not shift the next page.
    second = staff.get(f"cases?page_size=2&after={pagination(first)['next_cursor']}")
    _intake(staff, world, title="Hồ sơ mới chen vào", tags=[])
    again = staff.get(f"cases?page_size=2&after={pagination(first)['next_cursor']}")
    assert ids(again) == ids(second)


def test_bad_cursor_is_422_on_its_field(staff):
    response = staff.get("cases?after=not-a-cursor")
    assert response.status_code == 422
    assert "after" in field_errors(response, "query")


def test_cursor_never_reaches_a_sibling_communes_cases(as_user, staff, world):
    mine = _intake(staff, world, title="Hồ sơ xã X", tags=[]).get_json()["id"]
    cursor = encode_cursor(dt.date(2999, 1, 1), 2**31 - 1)
    assert ids(staff.get(f"cases?after={cursor}")) == [mine]
    sibling = as_user("alpha", "y-admin")
    assert ids(sibling.get(f"cases?after={cursor}")) == []


def _selects_of(caller, path: str) -> tuple[object, int]:
    """(response, SELECTs sent) of one API call; the transaction's role switch not counted."""
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT") and "enter_schema" not in statement:
            statements.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        response = caller.get(path)
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    return response, len(statements)


def test_queue_rows_are_the_cases_summaries_in_statements_that_do_not_grow(staff, world):
    _intake(staff, world, organization_id=world.alpha.org_mttq)
    _, one = _selects_of(staff, "cases")
    for i in range(3):
        _intake(staff, world, title=f"Hồ sơ {i}", tags=["CV", "DD-7"][: i % 3])
    response, four = _selects_of(staff, "cases")
    rows = response.get_json()
    assert len(rows) == 4 and four == one  # registry, token, count, page, tags: no lazy loads
    for row in rows:
        full = staff.get(f"cases/{row['id']}").get_json()
        assert row == {key: full[key] for key in row}, row
    assert {tuple(r["tags"]) for r in rows} == {("DD-7", "CV"), (), ("CV",)}
    assert rows[-1]["organization_id"] == world.alpha.org_mttq
