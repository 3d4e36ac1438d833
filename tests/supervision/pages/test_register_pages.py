"""Supervision pages render in Vietnamese, keep readonly users read-only, and stay inside the
user's commune and tenant."""

from __future__ import annotations

import re

import pytest

from tests.plugins.pages import text_of

PREFIX = "/t/alpha/supervision"


def _detail_urls(reg) -> dict[str, str]:
    return {
        "person": f"{PREFIX}/people/{reg.person}",
        "plan": f"{PREFIX}/plans/{reg.plan}",
        "activity": f"{PREFIX}/activities/{reg.activity}",
        "recommendation": f"{PREFIX}/recommendations/{reg.recommendation}",
        "dialogue": f"{PREFIX}/dialogues/{reg.dialogue}",
    }


def _form_urls(reg) -> list[str]:
    return [
        f"{PREFIX}/people/new",
        f"{PREFIX}/people/import",
        f"{PREFIX}/plans/new",
        f"{PREFIX}/activities/new",
        f"{PREFIX}/recommendations/new",
        f"{PREFIX}/dialogues/new",
        f"{PREFIX}/people/{reg.person}/edit",
        f"{PREFIX}/people/{reg.person}/assign",
        f"{PREFIX}/assignments/{reg.assignment}/end",
        f"{PREFIX}/plans/{reg.plan}/edit",
        f"{PREFIX}/activities/{reg.activity}/edit",
        f"{PREFIX}/activities/{reg.activity}/comments/new",
        f"{PREFIX}/recommendations/{reg.recommendation}/answer",
        f"{PREFIX}/recommendations/{reg.recommendation}/remind",
        f"{PREFIX}/recommendations/{reg.recommendation}/withdraw",
        f"{PREFIX}/dialogues/{reg.dialogue}/edit",
        f"{PREFIX}/dialogues/{reg.dialogue}/issues/new",
        f"{PREFIX}/dialogues/{reg.dialogue}/commitments/new",
        f"{PREFIX}/commitments/{reg.commitment}/report",
    ]


def test_every_page_renders_in_vietnamese_for_staff(pages, register):
    pages.login("alpha", "x-staff")
    reg = register["x"]
    expected = {
        f"{PREFIX}/people": "Người thuộc diện giám sát",
        f"{PREFIX}/plans": "Kế hoạch giám sát",
        f"{PREFIX}/activities": "Hoạt động giám sát",
        f"{PREFIX}/recommendations": "Kiến nghị và theo dõi trả lời",
        f"{PREFIX}/dialogues": "Đối thoại",
        _detail_urls(reg)["person"]: "Phân công giám sát",
        _detail_urls(reg)["plan"]: "Hoạt động theo kế hoạch này",
        _detail_urls(reg)["activity"]: "Người được giám sát",
        _detail_urls(reg)["recommendation"]: "Các lần đôn đốc",
        _detail_urls(reg)["dialogue"]: "Cam kết và theo dõi",
    }
    for url, heading in expected.items():
        response = pages.get(url)
        assert response.status_code == 200, url
        assert heading in text_of(response), url
        assert '<html lang="vi"' in response.get_data(as_text=True)
    for url in _form_urls(reg):
        response = pages.get(url)
        assert response.status_code == 200, url
        # Every field carries its help text.
        html = response.get_data(as_text=True)
        assert 'class="help"' in html and 'name="csrf_token"' in html, url


def test_person_page_shows_assignments_activities_comments_and_recommendations(pages, register):
    pages.login("alpha", "x-reader")
    text = text_of(pages.get(_detail_urls(register["x"])["person"]))
    assert "Nguyễn Văn X" in text and "Người đứng đầu" in text
    assert "Ban Thường vụ Tỉnh ủy quản lý" in text
    assert "Ủy ban Mặt trận Tổ quốc Việt Nam" in text and "Nơi công tác" in text
    assert "Giám sát chuyên đề X" in text
    assert "Cần gương mẫu hơn ở khu dân cư X" in text
    assert "Đề nghị kiểm điểm X" in text
    assert "không bao giờ hiện người phản ánh" in text


def test_overdue_recommendations_show_working_days_late_and_reach_the_province(pages, register):
    pages.login("alpha", "x-staff")
    text = text_of(pages.get(f"{PREFIX}/recommendations?overdue=1"))
    # Issued 60 calendar days ago with 20 working days to answer: late by a working-day count.
    late = re.search(r"Quá hạn (\d+) ngày làm việc", text)
    assert late and int(late.group(1)) > 0
    assert "Đề nghị kiểm điểm X" in text and "Đề nghị kiểm điểm Y" not in text
    pages.client.post("/t/alpha/logout", data={"csrf_token": pages.csrf_token()})
    pages.login("alpha", "admin")
    province = text_of(pages.get(f"{PREFIX}/recommendations?overdue=1"))
    assert "Đề nghị kiểm điểm X" in province and "Đề nghị kiểm điểm Y" in province


def test_list_filters_narrow_the_register(pages, register):
    pages.login("alpha", "admin")
    assert "Nguyễn Văn X" in text_of(pages.get(f"{PREFIX}/people?q=nguyen+van+x"))
    assert "Nguyễn Văn X" not in text_of(pages.get(f"{PREFIX}/people?tier=cadre"))
    assert "Nguyễn Văn X" in text_of(pages.get(f"{PREFIX}/people?place=workplace"))
    assert "Nguyễn Văn X" not in text_of(pages.get(f"{PREFIX}/people?place=residence"))
    by_unit = text_of(pages.get(f"{PREFIX}/people?unit={pages.world.alpha.commune_y}"))
    assert "Nguyễn Văn Y" in by_unit and "Nguyễn Văn X" not in by_unit


# --- readonly -------------------------------------------------------------------------------

ACTION_LABELS = (
    "Thêm người",
    "Nhập từ tệp Excel",
    "Sửa thông tin",
    "Phân công tổ chức",
    "Kết thúc",
    "Thêm kế hoạch",
    "Duyệt kế hoạch",
    "Ghi nhận hoạt động",
    "Ghi ý kiến góp ý",
    "Thêm kiến nghị",
    "Ghi trả lời",
    "Đôn đốc",
    "Lên lịch đối thoại",
    "Ghi vấn đề",
    "Ghi cam kết",
    "Ghi kết quả",
)


def test_readonly_user_sees_everything_but_no_action_buttons(pages, register):
    pages.login("alpha", "x-reader")
    urls = [
        f"{PREFIX}/{p}" for p in ("people", "plans", "activities", "recommendations", "dialogues")
    ] + list(_detail_urls(register["x"]).values())
    for url in urls:
        response = pages.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        shown = [label for label in ACTION_LABELS if f">{label}" in html]
        assert shown == [], (url, shown)


def test_readonly_user_gets_403_on_forms_and_posts_and_nothing_changes(
    pages, register, people_count
):
    pages.login("alpha", "x-reader")
    for url in _form_urls(register["x"]):
        assert pages.get(url).status_code == 403, url
        assert (
            pages.post(url, {"full_name": "Ai Đó", "content": "x", "title": "x"}).status_code == 403
        ), url
    assert pages.post(f"{PREFIX}/plans/{register['x'].plan}/approve").status_code == 403
    assert pages.post(f"{PREFIX}/people/import/confirm").status_code == 403
    assert people_count("alpha") == 2


# --- commune X cannot reach commune Y; tenant A cannot reach tenant B ---------------------------


def test_commune_x_user_gets_404_on_commune_y_records(pages, register):
    pages.login("alpha", "x-admin")
    for name, url in _detail_urls(register["y"]).items():
        response = pages.get(url)
        assert response.status_code == 404, name
        assert "Nguyễn Văn Y" not in text_of(response)
    for url in _form_urls(register["y"])[6:]:  # the forms of Y's records
        assert pages.get(url).status_code == 404, url
        assert pages.post(url, {"content": "x"}).status_code == 404, url
    assert pages.post(f"{PREFIX}/plans/{register['y'].plan}/approve").status_code == 404
    lists = text_of(pages.get(f"{PREFIX}/people")) + text_of(pages.get(f"{PREFIX}/dialogues"))
    assert "Nguyễn Văn X" in lists and "Nguyễn Văn Y" not in lists and "đất đai Y" not in lists


def test_a_tenant_session_does_not_reach_another_tenant(pages, register):
    pages.login("alpha", "admin")
    reg = register["beta"]
    for url in ("/t/beta/supervision/people", f"/t/beta/supervision/people/{reg.person}"):
        response = pages.get(url)
        assert response.status_code == 302 and "/t/beta/login" in response.headers["Location"]
    # Beta's ids typed into alpha's pages never show beta's records.
    assert "Nguyễn Văn BETA" not in text_of(pages.get(f"{PREFIX}/people/{reg.person}"))


@pytest.mark.parametrize("who", ["x-staff", "x-reader"])
def test_pages_load_nothing_from_elsewhere(pages, register, who):
    pages.login("alpha", who)
    reg = register["x"]
    urls = [
        f"{PREFIX}/{p}"
        for p in ("people", "plans", "activities", "recommendations", "dialogues", "people/import")
    ]
    urls += list(_detail_urls(reg).values())
    if who == "x-staff":
        urls += _form_urls(reg)
    for url in urls:
        html = pages.get(url).get_data(as_text=True)
        assert not re.search(r'(src|href|action)="(https?:)?//', html), url
        assert "http://" not in html and "https://" not in html, url


def test_pages_follow_the_users_language(pages, register):
    pages.login("alpha", "x-staff")
    pages.post("/t/alpha/language", {"lang": "en"})
    text = text_of(pages.get(f"{PREFIX}/people"))
    assert "People under supervision" in text and "Head" in text
    assert "Overdue by" in text_of(pages.get(f"{PREFIX}/recommendations"))
