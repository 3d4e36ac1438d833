"""Recommendations (kiến nghị): due dates in working days, overdue up the tree, answers,
reminders, withdrawal."""

from __future__ import annotations

import datetime as dt

from giamsat.core import clock
from giamsat.units.models import TenantRule
from tests.plugins.api import ids


def _issue(caller, world, **fields):
    body = {
        "unit_id": world.alpha.commune_x,
        "organization_id": world.alpha.org_mttq,
        "addressee_kind": "party_committee",
        "addressee_name": "Đảng ủy xã Đông",
        "content": "Đề nghị xem xét việc sử dụng xe công.",
        "expected_answer": "explain",
        **fields,
    }
    return caller.post("supervision/recommendations", json=body)


def test_due_date_counts_working_days_over_tet(world, as_user, audit_count):
    # Mon 20/01/2025 + 20 working days, skipping weekends and Tết (27–31/01/2025): 24/02/2025.
    response = _issue(as_user("alpha", "x-staff"), world, issued_on="2025-01-20")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["due_on"], body["status"], body["is_overdue"]) == ("2025-02-24", "awaiting", True)
    assert audit_count("alpha", object_type="recommendations", action="create") == 1


def test_the_tenant_rule_sets_the_answer_time(world, as_user, tenant_session):
    with tenant_session("alpha") as session:
        session.add(TenantRule(key="recommendation_response_days", value=5, source="test"))
        session.commit()
    body = _issue(as_user("alpha", "x-staff"), world, issued_on="2025-01-20").get_json()
    assert body["due_on"] == "2025-02-03"  # 5 working days, Tết skipped


def test_overdue_shows_to_the_unit_and_up_the_tree_not_to_siblings(world, as_user):
    a = world.alpha
    staff = as_user("alpha", "x-staff")
    late = _issue(staff, world, issued_on="2025-01-20").get_json()
    fresh = _issue(staff, world).get_json()  # issued today, due in 20 working days
    assert fresh["due_on"] > clock.today().isoformat() and fresh["is_overdue"] is False
    overdue = {"overdue": "true"}
    assert ids(staff.get("supervision/recommendations", query_string=overdue)) == [late["id"]]
    province = as_user("alpha", "admin")
    assert ids(
        province.get("supervision/recommendations", query_string={"unit_id": a.province, **overdue})
    ) == [late["id"]]
    assert ids(
        province.get(
            "supervision/recommendations", query_string={"unit_id": a.province, "overdue": "false"}
        )
    ) == [fresh["id"]]
    assert (
        ids(
            province.get(
                "supervision/recommendations",
                query_string={"unit_id": a.province, "subtree": "false"},
            )
        )
        == []
    )
    y_admin = as_user("alpha", "y-admin")
    assert ids(y_admin.get("supervision/recommendations", query_string=overdue)) == []
    assert y_admin.get(f"supervision/recommendations/{late['id']}").status_code == 404
    assert (
        y_admin.post(
            f"supervision/recommendations/{late['id']}/reminders", json={"note": "x"}
        ).status_code
        == 404
    )
    assert ids(as_user("beta", "admin").get("supervision/recommendations")) == []


def test_remind_then_answer_closes_it(world, as_user, audit_count):
    staff = as_user("alpha", "x-staff")
    rec = _issue(staff, world, issued_on="2025-01-20").get_json()
    url = f"supervision/recommendations/{rec['id']}"
    reminder = staff.post(
        url + "/reminders",
        json={"note": "Công văn số 12/CV-MTTQ đôn đốc", "reminded_on": "2025-03-01"},
    )
    assert reminder.status_code == 201
    assert (
        staff.post(url + "/reminders", json={"note": "x", "reminded_on": "2024-12-01"}).status_code
        == 422
    )
    assert staff.post(url + "/answer", json={"outcome": "explain", "answer": ""}).status_code == 422
    answered = staff.post(
        url + "/answer",
        json={
            "outcome": "explain",
            "answered_on": "2025-03-05",
            "answer": "Đảng ủy đã giải trình bằng văn bản.",
        },
    )
    assert answered.status_code == 200
    body = answered.get_json()
    assert (body["status"], body["is_overdue"], body["answered_on"]) == (
        "answered_explained",
        False,
        "2025-03-05",
    )
    assert [r["note"] for r in body["reminders"]] == ["Công văn số 12/CV-MTTQ đôn đốc"]
    assert staff.post(url + "/answer", json={"outcome": "accept", "answer": "x"}).status_code == 409
    assert staff.post(url + "/withdraw", json={"reason": "x"}).status_code == 409
    assert audit_count("alpha", object_type="recommendations", action="answer") == 1
    assert audit_count("alpha", object_type="recommendation_reminders", action="create") == 1


def test_withdraw_and_validation(world, as_user):
    staff = as_user("alpha", "x-staff")
    rec = _issue(staff, world).get_json()
    withdrawn = staff.post(
        f"supervision/recommendations/{rec['id']}/withdraw",
        json={"reason": "Trùng kiến nghị trước"},
    )
    assert withdrawn.get_json()["status"] == "withdrawn"
    future = (clock.today() + dt.timedelta(days=3)).isoformat()
    assert _issue(staff, world, issued_on=future).status_code == 422
    assert _issue(staff, world, addressee_name=" ").status_code == 422
    assert _issue(staff, world, addressee_kind="king").status_code == 422
    assert _issue(staff, world, person_id=987654).status_code == 422


def test_readonly_cannot_issue_or_answer(world, as_user):
    rec = _issue(as_user("alpha", "x-staff"), world).get_json()
    reader = as_user("alpha", "x-reader")
    assert _issue(reader, world).status_code == 403
    assert (
        reader.post(
            f"supervision/recommendations/{rec['id']}/answer",
            json={"outcome": "accept", "answer": "x"},
        ).status_code
        == 403
    )
    assert reader.get(f"supervision/recommendations/{rec['id']}").status_code == 200
