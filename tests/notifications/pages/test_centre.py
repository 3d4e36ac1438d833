"""The notification centre: Vietnamese list, unread count in the layout, mark read, open."""

from __future__ import annotations

import datetime as dt
import re

from tests.plugins.pages import text_of

CENTRE = "/t/alpha/notifications/"


def _nav(response) -> str:
    html = response.get_data(as_text=True)
    match = re.search(r'<nav class="nav".*?</nav>', html, re.DOTALL)
    assert match, "no main menu on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split())


def test_centre_lists_own_notifications_newest_first_in_vietnamese(pages, notify):
    now = dt.datetime.now(dt.UTC)
    notify("alpha", "x-staff", title="Cũ hơn", created_at=now - dt.timedelta(days=2))
    notify("alpha", "x-staff", title="Mới hơn", created_at=now - dt.timedelta(hours=1))
    notify("alpha", "x-admin", title="Của người khác")
    pages.login("alpha", "x-staff")

    response = pages.get(CENTRE)
    assert response.status_code == 200
    text = text_of(response)
    assert "Bạn có 2 thông báo chưa đọc." in text
    assert "Hồ sơ HS-0042 “Mới hơn” còn 3 ngày làm việc đến hạn trả lời (01/12/2026)." in text
    assert text.index("Mới hơn") < text.index("Cũ hơn")
    assert "Của người khác" not in text
    assert text.count("Chưa đọc") == 2  # both highlighted
    assert "Đánh dấu tất cả là đã đọc" in text


def test_unread_count_is_in_the_layout_of_every_page(pages, notify):
    pages.login("alpha", "x-staff")
    assert "Thông báo" in _nav(pages.get("/t/alpha/"))
    assert "Thông báo (" not in _nav(pages.get("/t/alpha/"))

    for _ in range(3):
        notify("alpha", "x-staff")
    assert "Thông báo (3)" in _nav(pages.get("/t/alpha/"))
    assert "Thông báo (3)" in _nav(pages.get(CENTRE))


def test_the_count_is_per_user(pages, notify):
    notify("alpha", "x-admin")
    pages.login("alpha", "x-staff")
    assert "Thông báo (" not in _nav(pages.get("/t/alpha/"))


def test_english_when_the_user_chose_it(pages, notify):
    notify("alpha", "x-staff", title="Đường liên thôn bị hỏng")
    pages.login("alpha", "x-staff")
    pages.post("/language", {"lang": "en", "next": CENTRE})
    text = text_of(pages.get(CENTRE))
    assert "Notifications (1)" in text
    assert "Mark all as read" in text
    assert "Đánh dấu" not in text


def test_mark_one_read(pages, notify, read_at):
    first, second = notify("alpha", "x-staff"), notify("alpha", "x-staff")
    pages.login("alpha", "x-staff")

    response = pages.post(f"{CENTRE}{first}/read", {"next": f"{CENTRE}?page=1"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"{CENTRE}?page=1"
    assert read_at("alpha", first) is not None
    assert read_at("alpha", second) is None
    assert "Thông báo (1)" in _nav(pages.get(CENTRE))

    # Again: nothing changes, still fine.
    stamp = read_at("alpha", first)
    assert pages.post(f"{CENTRE}{first}/read").status_code == 302
    assert read_at("alpha", first) == stamp


def test_mark_read_goes_back_only_to_the_centre(pages, notify):
    notification = notify("alpha", "x-staff")
    pages.login("alpha", "x-staff")
    for target in (
        "https://evil.example/",
        "//evil.example/",
        "/t/beta/notifications/",
        "/t/alpha/units/1",
    ):
        response = pages.post(f"{CENTRE}{notification}/read", {"next": target})
        assert response.headers["Location"] == CENTRE, target


def test_mark_all_read(pages, notify, read_at):
    mine = [notify("alpha", "x-staff") for _ in range(3)]
    other = notify("alpha", "x-admin")
    pages.login("alpha", "x-staff")

    response = pages.post(f"{CENTRE}read-all", follow_redirects=True)
    text = text_of(response)
    assert "Đã đánh dấu 3 thông báo là đã đọc." in text
    assert "Thông báo (" not in _nav(response)
    assert all(read_at("alpha", n) is not None for n in mine)
    assert read_at("alpha", other) is None

    again = pages.post(f"{CENTRE}read-all", follow_redirects=True)
    assert "Không còn thông báo nào chưa đọc." in text_of(again)


def test_unread_filter_and_pagination(pages, notify, read_at):
    now = dt.datetime.now(dt.UTC)
    ids = [
        notify(
            "alpha", "x-staff", title=f"Việc số {i:02d}", created_at=now - dt.timedelta(minutes=i)
        )
        for i in range(25)
    ]
    pages.login("alpha", "x-staff")
    pages.post(f"{CENTRE}{ids[0]}/read")

    first = text_of(pages.get(CENTRE))
    assert "Tổng cộng 25, trang 1/2." in first
    assert "Việc số 00" in first and "Việc số 19" in first and "Việc số 20" not in first
    second = text_of(pages.get(f"{CENTRE}?page=2"))
    assert "Việc số 20" in second and "Việc số 24" in second and "Việc số 19" not in second

    unread = text_of(pages.get(f"{CENTRE}?unread=1"))
    assert "Tổng cộng 24, trang 1/2." in unread
    assert "Việc số 00" not in unread


def test_open_marks_read_and_redirects_to_the_object(pages, notify, read_at):
    notification = notify(
        "alpha", "x-staff", link_endpoint="cases_pages.show", link_values={"case_id": 42}
    )
    pages.login("alpha", "x-staff")

    centre = pages.get(CENTRE).get_data(as_text=True)
    assert f'href="{CENTRE}{notification}/open"' in centre

    response = pages.get(f"{CENTRE}{notification}/open")
    assert response.status_code == 302
    assert response.headers["Location"] == "/t/alpha/cases/42"
    assert read_at("alpha", notification) is not None
    # Opening again is harmless.
    assert pages.get(f"{CENTRE}{notification}/open").headers["Location"] == "/t/alpha/cases/42"


def test_open_never_leaves_the_tenant(pages, notify, read_at):
    """Whatever a stored link says, the redirect is a path of this tenant, or the centre."""
    bad_links = [
        ("cases_pages.show", {"case_id": 42, "_external": True}),  # absolute URL
        ("web.index", {}),  # outside any tenant
        ("no_such.page", {}),  # a page that is gone
    ]
    made = [notify("alpha", "x-staff", link_endpoint=e, link_values=v) for e, v in bad_links]
    pages.login("alpha", "x-staff")
    for notification, link in zip(made, bad_links, strict=True):
        response = pages.get(f"{CENTRE}{notification}/open")
        assert response.status_code == 302, link
        assert response.headers["Location"] == CENTRE, link
        assert read_at("alpha", notification) is not None
    text = text_of(pages.get(CENTRE))
    assert "Trang của thông báo này không còn nữa." in text

    # A stored tenant is ignored: the link is always built in the reader's tenant.
    other = notify("alpha", "x-staff", link_values={"case_id": 42, "tenant": "beta"})
    assert pages.get(f"{CENTRE}{other}/open").headers["Location"] == "/t/alpha/cases/42"


def test_another_users_notification_is_not_found(pages, notify, read_at):
    others = notify("alpha", "x-admin")
    pages.login("alpha", "x-staff")
    assert pages.get(f"{CENTRE}{others}/open").status_code == 404
    assert pages.post(f"{CENTRE}{others}/read").status_code == 404
    assert pages.get(f"{CENTRE}999999/open").status_code == 404
    assert read_at("alpha", others) is None


def test_tenant_a_session_cannot_reach_tenant_b(pages, notify, read_at, world):
    """Same-looking ids in beta: alpha's login means nothing there."""
    beta_note = notify("beta", "x-staff")
    pages.login("alpha", "x-staff")
    for response in (
        pages.get("/t/beta/notifications/"),
        pages.get(f"/t/beta/notifications/{beta_note}/open"),
        pages.get("/t/beta/notifications/preferences"),
    ):
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/t/beta/login")
    assert pages.post(f"/t/beta/notifications/{beta_note}/read").status_code == 302
    assert pages.post("/t/beta/notifications/read-all").status_code == 302
    assert read_at("beta", beta_note) is None
    # alpha's own centre does not show it either
    assert "Đường liên thôn" not in text_of(pages.get(CENTRE))


def test_forms_need_the_csrf_token(pages, notify, read_at):
    notification = notify("alpha", "x-staff")
    pages.login("alpha", "x-staff")
    for url in (f"{CENTRE}{notification}/read", f"{CENTRE}read-all"):
        response = pages.post(url, csrf=False)
        assert response.status_code == 400
        assert "Biểu mẫu đã hết hạn" in text_of(response)
    assert read_at("alpha", notification) is None


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(CENTRE)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/t/alpha/login")


def test_pages_load_nothing_from_elsewhere(pages, notify):
    notify("alpha", "x-staff")
    pages.login("alpha", "x-staff")
    for url in (CENTRE, f"{CENTRE}?unread=1", f"{CENTRE}preferences"):
        html = pages.get(url).get_data(as_text=True)
        assert not re.search(r'(?:href|src|action)="(?:https?:)?//', html), url
        assert "http://" not in html and "https://" not in html, url
