"""The case search is ranked: every word in the title first, then in the people concerned, then
in the content, newest first in each; accent-insensitive either way; cursor pages of a search
follow the ranked order without gaps or repeats; another commune's cases never show."""

from __future__ import annotations

import pytest

from giamsat.http.cursors import encode_cursor
from tests.plugins.api import field_errors, ids, pagination

BASE = {"channel": "in_person", "kind": "petition", "tags": []}


@pytest.fixture()
def staff(as_user, catalogue, reporter_keys):
    return as_user("alpha", "x-staff")


def _case(
    caller, world, received_on: str, unit: str = "commune_x", tenant: str = "alpha", **words
) -> int:
    body = BASE | {
        "unit_id": getattr(getattr(world, tenant), unit),
        "received_on": received_on,
        "title": "Kiến nghị của người dân",
        "content": "Nội dung chung.",
        "concerned": "",
        **words,
    }
    response = caller.post("cases", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


@pytest.fixture()
def ranked(staff, world):
    """Cases about "đất đai" in the content (newest), the people concerned and the title
    (oldest), plus one that does not match: the ranks, not the dates, decide the order."""
    return {
        "content_new": _case(staff, world, "2026-11-20", content="Tranh chấp ĐẤT ĐAI ở thôn."),
        "content_old": _case(staff, world, "2026-03-02", content="Chuyện đất đai cũ."),
        "concerned": _case(staff, world, "2026-06-10", concerned="Ban quản lý đất đai xã"),
        "title_old": _case(staff, world, "2026-01-05", title="Đơn về đất đai"),
        "title_new": _case(staff, world, "2026-02-05", title="Phản ánh Đất Đai lấn chiếm"),
        "other": _case(staff, world, "2026-12-01", title="Đèn đường hỏng"),
    }


def test_title_matches_come_first_then_people_concerned_then_content(staff, ranked):
    expected = ["title_new", "title_old", "concerned", "content_new", "content_old"]
    for q in ("dat dai", "ĐẤT ĐAI", "Đất đai", "dat"):
        assert ids(staff.get("cases", query_string={"q": q})) == [ranked[k] for k in expected], q
    # Without a search the queue keeps its order: newest received first.
    assert ids(staff.get("cases"))[:2] == [ranked["other"], ranked["content_new"]]


def test_cursor_pages_of_a_search_follow_the_ranked_order(staff, ranked):
    listed = ids(staff.get("cases", query_string={"q": "dat dai"}))
    seen, cursor = [], None
    for _ in range(10):
        query = {"q": "dat dai", "page_size": 2} | ({"after": cursor} if cursor else {})
        page = staff.get("cases", query_string=query)
        assert page.status_code == 200, page.get_json()
        seen += ids(page)
        cursor = pagination(page).get("next_cursor")
        if not cursor:
            break
    assert seen == listed and len(set(seen)) == 5


def test_a_cursor_of_the_other_order_is_422(staff, ranked):
    queue_cursor = pagination(staff.get("cases?page_size=1"))["next_cursor"]
    search = staff.get("cases", query_string={"q": "dat dai", "after": queue_cursor})
    assert search.status_code == 422 and "after" in field_errors(search, "query")
    search_cursor = pagination(staff.get("cases", query_string={"q": "dat", "page_size": 1}))
    queue = staff.get("cases", query_string={"after": search_cursor["next_cursor"]})
    assert queue.status_code == 422 and "after" in field_errors(queue, "query")


def test_search_stays_in_scope(as_user, staff, world, ranked):
    sibling = as_user("alpha", "y-admin")
    theirs = _case(sibling, world, "2026-05-05", unit="commune_y", title="Đất đai xã Y")
    assert theirs not in ids(staff.get("cases", query_string={"q": "dat dai"}))
    assert ids(sibling.get("cases", query_string={"q": "dat dai"})) == [theirs]
    forged = encode_cursor(9, "2999-01-01", 2**31 - 1)
    assert ids(sibling.get("cases", query_string={"q": "dat dai", "after": forged})) == [theirs]
    province = as_user("alpha", "admin")
    assert ids(province.get("cases", query_string={"q": "dat dai"}))[:3] == [
        theirs,  # a title match too, received the latest
        ranked["title_new"],
        ranked["title_old"],
    ]


def test_page_numbers_and_totals_of_a_search_follow_the_ranked_order(staff, ranked):
    listed = ids(staff.get("cases", query_string={"q": "dat dai"}))
    pages = [
        staff.get("cases", query_string={"q": "dat dai", "page_size": 2, "page": n})
        for n in (1, 2, 3)
    ]
    assert sum((ids(page) for page in pages), []) == listed
    assert {(pagination(p)["total"], pagination(p)["total_is_exact"]) for p in pages} == {(5, True)}
    # After a cursor the total is what is left, as in the queue.
    cursor = pagination(pages[0])["next_cursor"]
    rest = staff.get("cases", query_string={"q": "dat dai", "after": cursor})
    assert ids(rest) == listed[2:] and pagination(rest)["total"] == 3


def test_every_word_may_be_in_another_field(staff, world, ranked):
    """With `dat thuy`, "đất" in the title and "Thủy" among the people concerned is found,
    ranked with the rest (neither field has both words): newest first there."""
    split = _case(staff, world, "2026-12-02", title="Đất ở", concerned="Trần Thị Thủy")
    both = _case(staff, world, "2026-01-01", content="Đất của bà Thủy")
    assert ids(staff.get("cases", query_string={"q": "dat thuy"})) == [split, both]
    assert ids(staff.get("cases", query_string={"q": "TRAN thi thuy"})) == [split]


def test_edited_words_are_searched_by_their_new_words(staff, ranked):
    url = f"cases/{ranked['other']}"
    etag = staff.get(url).headers["ETag"]
    edited = staff.patch(url, json={"title": "Đèn đường ở xóm Đồng"}, headers={"If-Match": etag})
    assert edited.status_code == 200, edited.get_json()
    assert ids(staff.get("cases", query_string={"q": "xom dong"})) == [ranked["other"]]
    assert ids(staff.get("cases", query_string={"q": "den duong hong"})) == []


def test_another_tenants_cases_are_never_found(as_user, staff, world, ranked):
    beta = as_user("beta", "x-staff")
    theirs = _case(beta, world, "2026-05-05", tenant="beta", title="Đất đai xã X của Beta")
    assert ids(beta.get("cases", query_string={"q": "dat dai"})) == [theirs]
    assert theirs not in ids(staff.get("cases", query_string={"q": "dat dai"}))
    assert ids(as_user("alpha", "admin").get("cases", query_string={"q": "beta"})) == []
