"""“Chọn đơn vị” on the activity form posts the whole form and draws it again: every value
typed is kept, the unit list is in Vietnamese order and can be searched without JavaScript."""

from __future__ import annotations

import re

from tests.plugins.pages import text_of

PREFIX = "/t/alpha/supervision"


def _typed(world, unit_id):
    return {
        "unit_search": "",
        "unit_id": str(unit_id),
        "organization_id": str(world.alpha.org_mttq),
        "plan_id": "",
        "kind": "thematic",
        "title": "Giám sát việc nêu gương của cán bộ thôn",
        "starts_on": "2025-09-10",
        "ends_on": "",
        "participants_count": "45",
        "participants": "Ban Thường trực, đại diện các đoàn thể",
        "findings": "Ghi nhận ban đầu",
        "choose_unit": "1",
    }


def _options(html: str, field: str) -> list[tuple[str, str, bool]]:
    select = re.search(rf'<select[^>]*id="{field}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [
        (value, label, "selected" in attrs)
        for attrs, value, label in re.findall(
            r'<option([^>]*?)value="([^"]*)"[^>]*>([^<]*)</option>', select
        )
    ]


def _kept(html: str) -> None:
    assert 'value="Giám sát việc nêu gương của cán bộ thôn"' in html
    assert 'value="2025-09-10"' in html and 'value="45"' in html
    assert "Ban Thường trực, đại diện các đoàn thể</textarea>" in html
    assert "Ghi nhận ban đầu</textarea>" in html
    assert '<option selected value="thematic">' in html


def test_choose_unit_keeps_every_value_and_lists_that_units_people(pages, register, world):
    pages.login("alpha", "admin")
    response = pages.post(f"{PREFIX}/activities/new", _typed(world, world.alpha.commune_y))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    _kept(html)
    # The people of the unit just chosen, and no complaint about fields still empty.
    assert "Nguyễn Văn Y" in html and "Nguyễn Văn X" not in html
    assert 'class="error"' not in html
    # Higher unit first, then Vietnamese order ("Phường Tây" before "Xã Đông"), not tree order.
    labels = [label for _, label, _ in _options(html, "unit_id")]
    assert labels == ["Tỉnh Alpha", "Phường Tây Alpha", "Xã Đông Alpha"]
    assert 'data-filter="Gõ vài chữ để tìm đơn vị"' in html
    # Nothing was saved: the activity is recorded only by “Lưu”.
    assert "Đã ghi nhận hoạt động" not in text_of(response)


def test_the_unit_search_without_javascript_keeps_what_was_typed(pages, register, world):
    pages.login("alpha", "admin")
    data = _typed(world, world.alpha.province) | {"unit_search": "tay"}
    html = pages.post(f"{PREFIX}/activities/new", data).get_data(as_text=True)
    _kept(html)
    options = _options(html, "unit_id")
    # Accent-blind match ("tay" finds "Tây"), and the unit already chosen stays on the list.
    assert [label for _, label, _ in options] == ["Tỉnh Alpha", "Phường Tây Alpha"]
    assert [label for _, label, selected in options if selected] == ["Tỉnh Alpha"]
    nothing = pages.post(f"{PREFIX}/activities/new", data | {"unit_search": "zzz"})
    html = nothing.get_data(as_text=True)
    _kept(html)
    assert "Không có đơn vị nào khớp. Hãy gõ chữ khác." in html
    assert len(_options(html, "unit_id")) == 3


def test_commune_staff_choose_only_their_own_unit(pages, register, world):
    """Unit scoping holds in the choose step: X's staff never get Y listed, even by search."""
    pages.login("alpha", "x-staff")
    data = _typed(world, world.alpha.commune_y) | {"unit_search": "tây"}
    html = pages.post(f"{PREFIX}/activities/new", data).get_data(as_text=True)
    assert [label for _, label, _ in _options(html, "unit_id")] == ["Xã Đông Alpha"]
    assert "Nguyễn Văn Y" not in html
