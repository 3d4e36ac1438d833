"""Keyset pages of one's notifications: newest first, none skipped or repeated, only one's own."""

from __future__ import annotations

import datetime as dt

from giamsat.http.cursors import encode_cursor
from giamsat.notifications.operations import create_notifications
from tests.plugins.api import field_errors, ids, pagination


def _notify(tenant_session, world, who: str, keys) -> list[int]:
    made = []
    with tenant_session("alpha") as s:
        for key in keys:
            [n] = create_notifications(
                s,
                user_ids=[world.alpha.users[who]],
                unit_id=world.alpha.commune_x,
                event_key=f"test:{key}",
                kind="case_overdue",
                title=f"Hồ sơ {key}",
                params={"number": "1/2026", "due_on": "2026-12-01"},
                link_endpoint="cases_pages.show",
                link_values={"case_id": 7},
            )
            made.append(n.id)
        s.commit()
    return made


def test_notification_pages_walk_newest_first_and_only_ones_own(as_user, world, tenant_session):
    mine = _notify(tenant_session, world, "x-staff", "abcde")
    theirs = _notify(tenant_session, world, "x-admin", "fg")
    staff = as_user("alpha", "x-staff")
    seen, cursor = [], None
    while True:
        query = {"page_size": 2} | ({"after": cursor} if cursor else {})
        page = staff.get("notifications", query_string=query)
        assert page.status_code == 200, page.get_json()
        assert page.get_json()[0]["text"]  # rows still shown with their sentence
        seen += ids(page)
        cursor = pagination(page).get("next_cursor")
        if not cursor:
            break
    assert seen == ids(staff.get("notifications?page_size=10"))
    assert sorted(seen) == sorted(mine) and not set(seen) & set(theirs)

    late = encode_cursor(dt.datetime(2999, 1, 1, tzinfo=dt.UTC), 2**31 - 1)
    assert sorted(ids(staff.get("notifications", query_string={"after": late}))) == sorted(mine)
    naive = encode_cursor(dt.datetime(2999, 1, 1), 1)  # no time zone: not one of ours
    response = staff.get("notifications", query_string={"after": naive})
    assert response.status_code == 422 and "after" in field_errors(response, "query")
