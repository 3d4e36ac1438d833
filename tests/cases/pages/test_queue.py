"""The queue of a unit: filters, search with and without diacritics, overdue marks, scoping."""

from __future__ import annotations

import datetime as dt

from giamsat.cases.models import Case
from giamsat.core import clock
from tests.plugins.pages import text_of


def test_queue_lists_own_unit_cases_masked_and_hides_siblings(pages, world, make_case):
    mine = make_case(title="Đường thôn Một xuống cấp")
    other = make_case(who="y-admin", unit="commune_y", title="Rác thải ở Tổ dân phố Hai")
    pages.login("alpha", "x-staff")
    text = text_of(pages.get("/t/alpha/cases/"))
    assert mine.title in text and "Nặc danh" in text
    assert other.title not in text
    assert pages.get(f"/t/alpha/cases/{other.id}").status_code == 404


def test_filters_status_kind_channel_tag_and_dates(pages, world, make_case):
    make_case(title="Hồ sơ mới", kind="petition", channel="phone", tag_codes=("NG",))
    make_case(
        title="Hồ sơ xác minh",
        status="verifying",
        kind="complaint",
        channel="suggestion_box",
        tag_codes=("CV",),
        received_on=clock.today() - dt.timedelta(days=40),
    )
    pages.login("alpha", "x-staff")

    def titles(query):
        text = text_of(pages.get("/t/alpha/cases/?" + query))
        return {t for t in ("Hồ sơ mới", "Hồ sơ xác minh") if t in text}

    assert titles("") == {"Hồ sơ mới", "Hồ sơ xác minh"}
    assert titles("status=verifying") == {"Hồ sơ xác minh"}
    assert titles("kind=petition") == {"Hồ sơ mới"}
    assert titles("channel=suggestion_box") == {"Hồ sơ xác minh"}
    assert titles("tag=NG") == {"Hồ sơ mới"}
    since = (clock.today() - dt.timedelta(days=5)).isoformat()
    assert titles(f"received_from={since}") == {"Hồ sơ mới"}
    # A wrong date says so and filters nothing out.
    response = pages.get("/t/alpha/cases/?received_from=99/99/2025")
    assert "Ngày không hợp lệ" in text_of(response)


def test_search_finds_with_and_without_diacritics(pages, make_case):
    make_case(title="Phản ánh về trưởng thôn", concerned="Nguyễn Văn An, trưởng thôn Một")
    make_case(title="Việc khác hẳn", concerned="Trần Thị Bình")
    pages.login("alpha", "x-staff")
    for q in ("nguyen van an", "Nguyễn Văn An", "NGUYEN van AN"):
        text = text_of(pages.get("/t/alpha/cases/", query_string={"q": q}))
        assert "Phản ánh về trưởng thôn" in text and "Việc khác hẳn" not in text, q


def test_overdue_rows_show_working_days_late(pages, tenant_session, make_case):
    late = make_case(title="Chờ trả lời đã lâu", status="awaiting_response")
    on_time = make_case(title="Chờ trả lời còn hạn", status="awaiting_response")
    session = tenant_session("alpha")
    # Due last Monday-or-earlier working day: a week ago is at least 1 working day late.
    session.get(Case, late.id).due_on = clock.today() - dt.timedelta(days=14)
    session.commit()
    pages.login("alpha", "x-staff")
    text = text_of(pages.get("/t/alpha/cases/"))
    assert "Quá hạn" in text and "ngày làm việc" in text
    overdue_only = text_of(pages.get("/t/alpha/cases/?overdue=y"))
    assert late.title in overdue_only and on_time.title not in overdue_only
    page = text_of(pages.get(f"/t/alpha/cases/{late.id}"))
    assert "quá hạn" in page


def test_pagination(pages, make_case):
    for i in range(27):
        make_case(title=f"Hồ sơ số thứ {i:02d}")
    pages.login("alpha", "x-staff")
    first = text_of(pages.get("/t/alpha/cases/"))
    assert "Trang 1 / 2" in first and "27 hồ sơ" in first
    second = text_of(pages.get("/t/alpha/cases/?page=2"))
    assert "Trang 2 / 2" in second
    assert sum(f"Hồ sơ số thứ {i:02d}" in second for i in range(27)) == 2


def test_other_tenant_session_cannot_reach_cases(pages, world, make_case):
    case = make_case()
    pages.login("beta", "x-staff")
    assert pages.get(f"/t/beta/cases/{case.id}").status_code == 404
    assert case.title not in text_of(pages.get("/t/beta/cases/"))
    # The alpha pages send a beta session to alpha's login.
    assert pages.get(f"/t/alpha/cases/{case.id}").status_code == 302


def test_pages_load_nothing_from_elsewhere(pages, make_case):
    case = make_case()
    pages.login("alpha", "x-staff")
    for url in ("/t/alpha/cases/", "/t/alpha/cases/new", f"/t/alpha/cases/{case.id}"):
        html = pages.get(url).get_data(as_text=True)
        assert (
            "http://" not in html
            and "https://" not in html
            and "//" not in html.replace("<!doctype", "")
        ), url


def test_capped_count_says_more_than_and_keeps_paging(pages, make_case, monkeypatch):
    for i in range(27):
        make_case(title=f"Hồ sơ số thứ {i:02d}")
    monkeypatch.setattr("giamsat.http.counts.COUNT_CAP", 25)
    pages.login("alpha", "x-staff")
    first = text_of(pages.get("/t/alpha/cases/"))
    assert "hơn 25 hồ sơ" in first and "27 hồ sơ" not in first
    assert "Trang 1 / 2" in first  # a full page under a capped count: one more page offered
    second = text_of(pages.get("/t/alpha/cases/?page=2"))
    assert sum(f"Hồ sơ số thứ {i:02d}" in second for i in range(27)) == 2
