"""The API of one's own notifications: list, unread count, mark read, preferences; 401/404
across users and tenants."""

from __future__ import annotations

import pytest

from giamsat.notifications.operations import create_notifications
from tests.plugins.api import ApiCaller, field_errors


@pytest.fixture()
def two_notifications(world, tenant_session):
    """Two notifications of alpha's x-staff, one of x-admin, one of beta's x-staff."""
    made = {}
    for slug, who, key in (
        ("alpha", "x-staff", "a"),
        ("alpha", "x-staff", "b"),
        ("alpha", "x-admin", "a"),
        ("beta", "x-staff", "a"),
    ):
        tw = getattr(world, slug)
        with tenant_session(slug) as s:
            [n] = create_notifications(
                s,
                user_ids=[tw.users[who]],
                unit_id=tw.commune_x,
                event_key=f"test:{key}",
                kind="case_overdue",
                title=f"Hồ sơ {key}",
                params={"number": "1/2026", "due_on": "2026-12-01"},
                link_endpoint="cases_pages.show",
                link_values={"case_id": 7},
            )
            s.commit()
            made[(slug, who, key)] = n.id
    return made


def test_list_count_and_mark_read(as_user, two_notifications):
    staff = as_user("alpha", "x-staff")
    listed = staff.get("notifications")
    assert listed.status_code == 200
    body = listed.get_json()
    assert [n["title"] for n in body] == ["Hồ sơ b", "Hồ sơ a"]
    assert body[0]["text"] == "Hồ sơ 1/2026 “Hồ sơ b” đã quá hạn trả lời (hạn 01/12/2026)."
    assert body[0]["link"] == "/t/alpha/cases/7"
    assert staff.get("notifications/unread-count").get_json() == {"unread": 2}

    first = two_notifications[("alpha", "x-staff", "a")]
    marked = staff.post(f"notifications/{first}/read")
    assert marked.status_code == 200 and marked.get_json()["read_at"]
    assert staff.get("notifications/unread-count").get_json() == {"unread": 1}
    assert [n["title"] for n in staff.get("notifications?unread=true").get_json()] == ["Hồ sơ b"]
    assert staff.post("notifications/read-all").get_json() == {"marked": 1}
    assert staff.get("notifications/unread-count").get_json() == {"unread": 0}


def test_someone_elses_notification_is_not_found_and_tokens_stay_in_their_tenant(
    as_user, client, api_token, two_notifications
):
    admins = two_notifications[("alpha", "x-admin", "a")]
    staff = as_user("alpha", "x-staff")
    assert staff.post(f"notifications/{admins}/read").status_code == 404
    assert [n["title"] for n in as_user("alpha", "x-admin").get("notifications").get_json()] == [
        "Hồ sơ a"
    ]
    # Beta's user sees only beta's notification; its token means nothing in alpha.
    assert len(as_user("beta", "x-staff").get("notifications").get_json()) == 1
    assert (
        ApiCaller(client, "alpha", api_token("beta", "x-staff")).get("notifications").status_code
        == 401
    )
    assert ApiCaller(client, "alpha", None).get("notifications/unread-count").status_code == 401


def test_preferences_validate_and_save(as_user):
    staff = as_user("alpha", "x-staff")
    assert staff.get("notifications/preferences").get_json() == {
        "email_mode": "immediate",
        "email_address": None,
    }
    bad = staff.put("notifications/preferences", json={"email_mode": "weekly"})
    assert bad.status_code == 422 and "email_mode" in field_errors(bad)
    bad = staff.put(
        "notifications/preferences",
        json={"email_mode": "daily_digest", "email_address": "khong-phai-thu"},
    )
    assert bad.status_code == 422
    assert bad.get_json()["errors"]["json"]["email_address"] == [
        "Địa chỉ thư điện tử không đúng (ví dụ: ten@example.vn)."
    ]
    ok = staff.put(
        "notifications/preferences",
        json={"email_mode": "daily_digest", "email_address": "ca.nhan@example.vn"},
    )
    assert ok.status_code == 200
    assert staff.get("notifications/preferences").get_json() == {
        "email_mode": "daily_digest",
        "email_address": "ca.nhan@example.vn",
    }
    assert (
        as_user("alpha", "x-admin").get("notifications/preferences").get_json()["email_mode"]
        == "immediate"
    )
