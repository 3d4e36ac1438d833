"""Keyset pages of the letters list: every current letter once, in filing order, a rescan
replacing its original in place; a forged cursor stays inside the caller's commune."""

from __future__ import annotations

import pytest

from giamsat.http.cursors import encode_cursor
from giamsat.letters import operations
from tests.plugins.api import ApiCaller, field_errors, ids, pagination
from tests.plugins.letters import incoming


@pytest.fixture()
def as_user(client, api_token, letter_buckets):
    return lambda slug, who: ApiCaller(client, slug, api_token(slug, who))


@pytest.fixture()
def upload(in_tenant, principal_of, storage_of, journal_of):
    def run(opening, letters):
        with in_tenant("alpha") as scope:
            created = operations.upload_letters(
                scope.session,
                principal_of("alpha", "x-staff"),
                opening.id,
                letters,
                storage=storage_of("alpha"),
                journal=journal_of("alpha"),
            )
            scope.session.commit()
            return [c.id for c in created]

    return run


def _walk(caller, query: dict) -> list[int]:
    seen, cursor = [], None
    for _ in range(20):
        page = caller.get("letters", query_string=query | ({"after": cursor} if cursor else {}))
        assert page.status_code == 200, page.get_json()
        seen += ids(page)
        cursor = pagination(page).get("next_cursor")
        if not cursor:
            return seen
    raise AssertionError("the cursor never ended")


def test_letter_pages_walk_current_letters_without_gaps_or_repeats(
    as_user, make_opening, upload, in_tenant, principal_of, storage_of, journal_of, letter_jpeg
):
    made = upload(make_opening(), [[incoming(letter_jpeg, f"thu-{i}.jpg")] for i in range(5)])
    with in_tenant("alpha") as scope:
        newer = operations.rescan_letter(
            scope.session,
            principal_of("alpha", "x-staff"),
            made[1],
            [incoming(letter_jpeg, "thu-1-lai.jpg")],
            storage=storage_of("alpha"),
            journal=journal_of("alpha"),
        )
        scope.session.commit()
        newer_id = newer.id
    staff = as_user("alpha", "x-staff")
    current = [made[0], *made[2:], newer_id]
    assert _walk(staff, {"page_size": 2}) == current
    assert _walk(staff, {"page_size": 2, "all_versions": "true"}) == [*made, newer_id]
    after_first = {"after": encode_cursor(made[0])}
    assert ids(staff.get("letters", query_string=after_first)) == current[1:]

    forged = {"after": encode_cursor(1)}
    assert ids(as_user("alpha", "y-admin").get("letters", query_string=forged)) == []
    assert ids(as_user("beta", "admin").get("letters", query_string=forged)) == []
    response = staff.get("letters", query_string={"after": "e30"})
    assert response.status_code == 422 and "after" in field_errors(response, "query")
