"""The yearly review over the API: draft, sections, submit, roll-up; 422 with the field named;
scoping and tenant isolation."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.reports.provisioning import provision_tenant
from giamsat.reports.yearly_review.sections import list_sections
from tests.plugins.api import field_errors
from tests.plugins.reports import add_activity, add_case

D = dt.date
YEAR = 2026


@pytest.fixture()
def seeded(tenant_session, world):
    """Both tenants provisioned; in alpha, 2 sessions and a case at commune X, 1 session at
    commune Y, all in 2026 — committed for the app."""
    a = world.alpha
    for slug in ("alpha", "beta"):
        s = tenant_session(slug)
        provision_tenant(s, today=D(2026, 11, 1))
        if slug == "alpha":
            add_activity(s, a.commune_x, a.org_mttq, D(2026, 3, 1))
            add_activity(s, a.commune_x, a.org_mttq, D(2026, 4, 1))
            add_activity(s, a.commune_y, a.org_mttq, D(2026, 5, 1))
            add_case(s, a.commune_x, D(2026, 3, 1))
        s.commit()
        s.close()
    s = tenant_session("alpha")
    ids = [section.id for section in list_sections(s)]
    s.close()
    return ids


def _all(section_ids, text):
    return {"texts": {str(sid): text for sid in section_ids}}


def test_review_over_the_api(as_user, world, seeded):
    a = world.alpha
    x_admin = as_user("alpha", "x-admin")
    created = x_admin.post("yearly-reviews", json={"unit_id": a.commune_x, "year": YEAR})
    assert created.status_code == 201, created.get_json()
    review = created.get_json()
    assert review["figures"]["current"]["activities.held"] == 2
    assert review["figures"]["current"]["intake.received"] == 1
    assert review["figures"]["previous"]["activities.held"] == 0
    again = x_admin.post("yearly-reviews", json={"unit_id": a.commune_x, "year": YEAR})
    assert again.status_code == 200 and again.get_json()["id"] == review["id"]
    sections = x_admin.get("yearly-reviews/sections").get_json()
    assert [s["id"] for s in sections] == seeded
    url = f"yearly-reviews/{review['id']}"
    # Bad input: 422, the field named; nothing written.
    unknown = x_admin.patch(url, json={"texts": {"999999": "Mục lạ"}})
    assert unknown.status_code == 422 and "section-999999" in field_errors(unknown)
    assert x_admin.patch(url, json={"texts": {"abc": ""}}).status_code == 422
    assert x_admin.patch(url, json={}).status_code == 422
    too_early = x_admin.post(f"{url}/submit", json={})
    assert too_early.status_code == 422
    assert set(field_errors(too_early)) == {f"section-{sid}" for sid in seeded}
    future = x_admin.post("yearly-reviews", json={"unit_id": a.commune_x, "year": 2099})
    assert future.status_code == 422 and "year" in field_errors(future)
    written = x_admin.patch(url, json=_all(seeded, "Xã Đông đã làm theo kế hoạch."))
    assert written.status_code == 200
    assert {t["content"] for t in written.get_json()["texts"]} == {"Xã Đông đã làm theo kế hoạch."}
    sent = x_admin.post(f"{url}/submit", json={"version": written.get_json()["version"]})
    assert sent.status_code == 200 and sent.get_json()["status"] == "submitted"
    assert x_admin.patch(url, json=_all(seeded, "Sửa sau khi gửi")).status_code == 409

    y_admin = as_user("alpha", "y-admin")
    y = y_admin.post("yearly-reviews", json={"unit_id": a.commune_y, "year": YEAR}).get_json()
    y_admin.patch(f"yearly-reviews/{y['id']}", json=_all(seeded, "Phường Tây."))
    assert y_admin.post(f"yearly-reviews/{y['id']}/submit", json={}).status_code == 200

    admin = as_user("alpha", "admin")
    rollup = admin.get("yearly-reviews/rollup", query_string={"unit_id": a.province, "year": YEAR})
    body = rollup.get_json()
    assert body["current"]["activities.held"] == 3 and body["current"]["intake.received"] == 1
    assert [n["unit_name"] for n in body["narratives"][0]["entries"]] == [
        "Xã Đông Alpha",
        "Phường Tây Alpha",
    ]
    assert {u["unit_id"]: u["status"] for u in body["units"]} == {
        a.province: "missing",
        a.commune_x: "submitted",
        a.commune_y: "submitted",
    }


def test_scoping_and_isolation_over_the_api(as_user, world, seeded):
    a = world.alpha
    y_admin = as_user("alpha", "y-admin")
    y = y_admin.post("yearly-reviews", json={"unit_id": a.commune_y, "year": YEAR}).get_json()
    x_staff = as_user("alpha", "x-staff")
    assert x_staff.get(f"yearly-reviews/{y['id']}").status_code == 404
    assert (
        x_staff.post("yearly-reviews", json={"unit_id": a.commune_y, "year": YEAR}).status_code
        == 404
    )
    rollup = x_staff.get(
        "yearly-reviews/rollup", query_string={"unit_id": a.province, "year": YEAR}
    )
    assert rollup.status_code == 404
    x_reader = as_user("alpha", "x-reader")
    denied = x_reader.post("yearly-reviews", json={"unit_id": a.commune_x, "year": YEAR})
    assert denied.status_code == 403
    beta = as_user("beta", "admin")
    assert beta.get(f"yearly-reviews/{y['id']}").status_code == 404
    assert beta.post(f"yearly-reviews/{y['id']}/submit", json={}).status_code == 404
