"""Where a supervision page hides an action from the viewer's role, it says who can do it."""

from __future__ import annotations

from giamsat.identity import Role
from tests.plugins.pages import text_of

PREFIX = "/t/alpha/supervision"
LISTS = ("people", "activities", "plans", "dialogues", "recommendations")
WRITERS_SENTENCE = "do người có vai trò quản trị tỉnh, quản trị đơn vị, lãnh đạo, cán bộ làm"


def _details(reg) -> list[str]:
    return [
        f"{PREFIX}/people/{reg.person}",
        f"{PREFIX}/plans/{reg.plan}",
        f"{PREFIX}/activities/{reg.activity}",
        f"{PREFIX}/recommendations/{reg.recommendation}",
        f"{PREFIX}/dialogues/{reg.dialogue}",
    ]


def test_reader_sees_who_keeps_the_register_instead_of_buttons(pages, register):
    pages.login("alpha", "x-reader")
    for name in LISTS:
        html = pages.get(f"{PREFIX}/{name}").get_data(as_text=True)
        assert 'id="who-writes"' in html and WRITERS_SENTENCE in html, name
        assert f"/supervision/{name}/new" not in html, name
    for url in _details(register["x"]):
        html = pages.get(url).get_data(as_text=True)
        assert 'id="who-writes"' in html, url
        assert "/edit" not in html and "/answer" not in html, url


def test_staff_see_the_buttons_and_no_write_hint(pages, register):
    pages.login("alpha", "x-staff")
    for name in LISTS:
        html = pages.get(f"{PREFIX}/{name}").get_data(as_text=True)
        assert f"/supervision/{name}/new" in html and "who-writes" not in html, name
    for url in _details(register["x"]):
        assert "who-writes" not in pages.get(url).get_data(as_text=True), url
    # A draft plan: staff edit it, but approving is for leaders and admins.
    plan = text_of(pages.get(f"{PREFIX}/plans/{register['x'].plan}"))
    assert "Duyệt kế hoạch" not in plan.replace("Duyệt kế hoạch giám sát", "")
    assert (
        "Việc “Duyệt kế hoạch giám sát” do người có vai trò quản trị tỉnh, quản trị đơn vị, "
        "lãnh đạo làm." in plan
    )


def test_a_leader_approves_without_a_hint(pages, register, add_user, world):
    add_user("alpha", "x-leader", Role.leader, world.alpha.commune_x)
    pages.login("alpha", "x-leader")
    html = pages.get(f"{PREFIX}/plans/{register['x'].plan}").get_data(as_text=True)
    assert "/approve" in html and "who-can" not in html


def test_role_matrix_lists_the_supervision_actions(pages):
    pages.login("alpha", "x-reader")
    text = text_of(pages.get("/t/alpha/roles"))
    assert "Duyệt kế hoạch giám sát" in text
    assert "Ghi sổ giám sát: người thuộc diện giám sát, phân công, kế hoạch" in text
