"""The province's unit list for 129 communes: search, filters, order, pages, the chart; the
overdue units with their contacts, as a page, an XLSX file and a reminder sent once a day."""

from __future__ import annotations

import datetime as dt
import io
import re

from openpyxl import load_workbook
from sqlalchemy import func, select

from giamsat.core.audit import AuditEntry
from giamsat.core.vietnamese import normalise_spaces, sort_key
from giamsat.identity import Role
from giamsat.notifications.models import Notification
from giamsat.units.models import Unit
from tests.plugins.pages import text_of
from tests.plugins.reports import SPACED


def _page(pages, seeded, world, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    url = f"/t/alpha/reports/dashboard/{seeded.q3}?unit={world.alpha.province}&{query}"
    response = pages.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _unit_names(html: str) -> list[str]:
    body = re.search(r'<table class="stack compact units-table">(.*?)</table>', html, re.S)
    if body is None:
        return []
    return re.findall(r'<td data-label="Đơn vị"><a href="[^"]+">([^<]+)</a>', body.group(1))


def text_of_html(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _count(html: str, state: str) -> int:
    return int(re.search(rf'id="count-{state}">(\d+)<', html).group(1))


def test_counts_chart_and_state_filters(pages, world, seeded, q3_states):
    pages.login("alpha", "admin")
    html = _page(pages, seeded, world)
    counts = {s: _count(html, s) for s in ("submitted", "late", "returned", "missing", "pending")}
    assert counts == {"submitted": 30, "late": 10, "returned": 5, "missing": 84, "pending": 0}
    # The chart compares them: a bar per state as wide as its share of 260 units of width.
    svg = re.search(r'<svg class="chart".*?</svg>', html, re.S).group(0)
    assert re.search(r'class="state-missing" x="150" y="\d+" width="169"', svg)  # 84/129
    assert re.search(r'class="state-late" x="150" y="\d+" width="20"', svg)
    assert "<script" not in html.split("<main")[1] and "style=" not in svg
    assert "129 trên 129 đơn vị" in text_of(
        pages.get(f"/t/alpha/reports/dashboard/{seeded.q3}?unit={world.alpha.province}")
    )
    for state, expected in counts.items():
        shown = _page(pages, seeded, world, state=state)
        assert f"{expected} trên 129 đơn vị" in " ".join(re.sub(r"<[^>]+>", " ", shown).split())
    late = _unit_names(_page(pages, seeded, world, state="late"))
    assert len(late) == 10


def test_names_in_vietnamese_order_and_pages_keep_the_filters(pages, world, seeded, q3_states):
    pages.login("alpha", "admin")
    with_all, ids = [], []
    page_one = _page(pages, seeded, world, state="missing")
    for number in (1, 2, 3, 4):
        html = _page(pages, seeded, world, state="missing", page=number)
        with_all += _unit_names(html)
        ids += re.findall(r'<tr id="unit-(\d+)">', html)
    assert len(with_all) == 84 and len(set(ids)) == 84
    assert with_all == sorted(with_all, key=sort_key)
    assert normalise_spaces(SPACED) in with_all and with_all[0] != normalise_spaces(SPACED)
    assert SPACED not in page_one
    # The pager's links keep the filter (no JavaScript: plain GET links).
    next_link = re.search(r'rel="next" href="([^"]+)"', page_one).group(1).replace("&amp;", "&")
    assert "state=missing" in next_link and "page=2" in next_link
    assert f"unit={world.alpha.province}" in next_link
    # The last page has no next link; a page past the end shows the last one.
    assert 'rel="next"' not in _page(pages, seeded, world, state="missing", page=4)
    assert _unit_names(_page(pages, seeded, world, state="missing", page=99)) == with_all[75:]


def test_search_ignores_accents_and_sorts_by_state_or_date(pages, world, seeded, q3_states):
    pages.login("alpha", "admin")
    found = _unit_names(_page(pages, seeded, world, q="xuan giang"))
    assert found == [normalise_spaces(SPACED)]
    assert _unit_names(_page(pages, seeded, world, q="ĐÔNG  alpha")) == ["Xã Đông Alpha"]
    assert "Không có đơn vị nào khớp" in _page(pages, seeded, world, q="khong co dau nay")
    by_state = _page(pages, seeded, world, sort="state")
    assert 'id="unit-' in by_state
    first_rows = re.findall(r'class="badge state-badge-(\w+)"', by_state)
    assert first_rows[0] == "missing" and len(first_rows) == 25
    by_date = _page(pages, seeded, world, sort="submitted")
    assert set(re.findall(r'class="badge state-badge-(\w+)"', by_date)) <= {
        "submitted",
        "late",
        "returned",
    }
    # Unknown values fall back to everything by name, never an error.
    assert len(_unit_names(_page(pages, seeded, world, state="nope", sort="x", level="y"))) in (
        0,
        25,
    )


def test_the_home_page_lists_129_communes_searchable_and_paged(pages, world, province_129):
    pages.login("alpha", "admin")
    html = pages.get("/t/alpha/").get_data(as_text=True)
    names = re.findall(r'<td data-label="Tên"><a href="[^"]+">([^<]+)</a>', html)
    assert len(names) == 30 and names == sorted(names, key=sort_key)
    assert "(129)" in html
    found = pages.get("/t/alpha/?q=xuan%20giang").get_data(as_text=True)
    assert re.findall(r'<td data-label="Tên"><a href="[^"]+">([^<]+)</a>', found) == [
        "Xã Xuân Giang"
    ]
    second = pages.get("/t/alpha/?page=5").get_data(as_text=True)
    assert "Trang 5 / 5" in second


def _leader_with_contact(tenant_session, add_user, unit_id) -> int:
    user_id = add_user("alpha", f"leader-{unit_id}", Role.leader, unit_id)
    with tenant_session("alpha") as session:
        from giamsat.accounts.models import User

        user = session.get(User, user_id)
        user.full_name, user.phone, user.email = "Trần Thị Mai", "0912345678", "mai@example.vn"
        session.commit()
    return user_id


def test_missing_list_with_contacts_and_its_export(
    pages, world, seeded, q3_states, tenant_session, add_user
):
    missing_unit = q3_states[50]
    _leader_with_contact(tenant_session, add_user, missing_unit)
    pages.login("alpha", "admin")
    url = f"/t/alpha/reports/dashboard/{seeded.q3}/missing?unit={world.alpha.province}"
    html = pages.get(url).get_data(as_text=True)
    assert html.count('<tr id="missing-') == 84
    row = re.search(rf'<tr id="missing-{missing_unit}">(.*?)</tr>', html, re.S).group(1)
    assert f"/t/alpha/units/{missing_unit}" in row
    assert "Trần Thị Mai" in row and "tel:0912345678" in row and "mailto:mai@example.vn" in row
    assert "Nhắc tất cả các đơn vị này" in html

    response = pages.get(
        f"/t/alpha/reports/dashboard/{seeded.q3}/missing.xlsx?unit={world.alpha.province}"
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[4]]
    assert header[:4] == ["STT", "Đơn vị", "Cấp", "Người phụ trách"]
    assert header[-1] == "Mã đơn vị"  # the code: last and hidden
    assert sheet.column_dimensions["I"].hidden and not sheet.column_dimensions["B"].hidden
    assert sheet.freeze_panes == "A5"
    rows = [r for r in sheet.iter_rows(min_row=5, values_only=True)]
    assert len({r[1] for r in rows}) == 84
    mai = next(r for r in rows if r[3] == "Trần Thị Mai")
    assert mai[5] == "0912345678" and mai[6] == "mai@example.vn"
    due = sheet.cell(row=5, column=8)
    assert isinstance(due.value, dt.datetime) and due.number_format == "dd/mm/yyyy"
    assert sheet.column_dimensions["B"].width >= max(len(r[1]) for r in rows)


def _reminders(tenant_session, period_id) -> int:
    with tenant_session("alpha") as session:
        return session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.event_key.like(f"period:{period_id}:unit:%:reminded:%"))
        )


def test_reminder_confirms_then_sends_once_a_day(
    pages, world, seeded, q3_states, tenant_session, add_user
):
    a = world.alpha
    contacts = [_leader_with_contact(tenant_session, add_user, u) for u in q3_states[50:53]]
    add_user("alpha", "province-leader", Role.leader, a.province)
    remind = f"/t/alpha/reports/dashboard/{seeded.q3}/missing/remind?unit={a.province}"
    # A commune's staff sees neither the province's list nor its button.
    pages.login("alpha", "x-staff")
    assert pages.get(remind).status_code == 404
    assert pages.post(remind).status_code == 404
    assert _reminders(tenant_session, seeded.q3) == 0
    pages.post("/t/alpha/logout")
    # The province's leader: a confirmation first (GET sends nothing), then the POST.
    pages.login("alpha", "province-leader")
    confirm = text_of(pages.get(remind))
    assert "tới 3 người phụ trách của 84 đơn vị" in confirm
    assert _reminders(tenant_session, seeded.q3) == 0
    response = pages.post(remind)
    assert response.status_code == 302
    assert _reminders(tenant_session, seeded.q3) == 3
    with tenant_session("alpha") as session:
        got = session.scalars(
            select(Notification.user_id).where(Notification.event_key.like("%:reminded:%"))
        ).all()
        assert sorted(got) == sorted(contacts)
        audit = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "reports.remind_missing")
        ).all()
        assert len(audit) == 1 and audit[0].object_id == str(seeded.q3)
    flashed = text_of(pages.get(response.headers["Location"]))
    assert "Đã gửi nhắc nhở tới 3 người của 3 đơn vị" in flashed
    # The same day again: nothing new, and the page says so.
    again = pages.post(remind)
    assert _reminders(tenant_session, seeded.q3) == 3
    assert "đã được nhắc rồi" in text_of(pages.get(again.headers["Location"]))


def test_a_commune_leader_cannot_remind_and_beta_sees_nothing(
    pages, world, seeded, q3_states, add_user
):
    add_user("alpha", "x-leader", Role.leader, world.alpha.commune_x)
    pages.login("alpha", "x-leader")
    base = f"/t/alpha/reports/dashboard/{seeded.q3}"
    assert pages.get(f"{base}?unit={world.alpha.province}").status_code == 404
    assert pages.get(f"{base}/missing.xlsx?unit={world.alpha.province}").status_code == 404
    # On its own commune nothing below reports: an empty list, no button, no sending.
    own = pages.get(f"{base}/missing?unit={world.alpha.commune_x}").get_data(as_text=True)
    assert "Không có đơn vị nào quá hạn" in own and "Nhắc tất cả" not in own
    pages.post("/t/alpha/logout")
    # Another province: alpha's session does not open beta, and alpha's units are not beta's.
    assert pages.get(f"/t/beta/reports/dashboard/{seeded.q3}").status_code == 302
    pages.login("beta", "admin")
    alpha_only = q3_states[60]
    beta_url = f"/t/beta/reports/dashboard/{seeded.beta_yearly}/missing?unit={alpha_only}"
    assert pages.get(beta_url).status_code == 404
    beta_list = pages.get(f"/t/beta/reports/dashboard/{seeded.beta_yearly}").get_data(as_text=True)
    assert "Xuân Giang" not in beta_list and "2 trên 2 đơn vị" in text_of_html(beta_list)


def test_level_filter_when_the_tree_has_more_than_one_level(
    pages, world, seeded, province_129, tenant_session
):
    """A pre-2025 style district between the province and two of its communes."""
    from giamsat.units.models import UnitLevel

    a = world.alpha
    with tenant_session("alpha") as session:
        session.add(UnitLevel(code="district", rank=1, name_vi="Huyện", name_en="District"))
        session.flush()
        province = session.get(Unit, a.province)
        district = Unit(
            level_code="district",
            name="Huyện Gia Viễn",
            parent_id=province.id,
            valid_from=dt.date(2025, 7, 1),
        )
        session.add(district)
        session.flush()
        district.path = f"{province.path}{district.id}/"
        for unit_id in province_129[10:12]:
            commune = session.get(Unit, unit_id)
            commune.parent_id, commune.path = district.id, f"{district.path}{commune.id}/"
        session.commit()
    pages.login("alpha", "admin")
    everything = _page(pages, seeded, world)
    assert '<select id="f-level" name="level">' in everything
    assert "130 trên 130 đơn vị" in text_of_html(everything)
    districts = _page(pages, seeded, world, level="district")
    assert _unit_names(districts) == ["Huyện Gia Viễn"]
    # The district's row counts its own communes and drills down into them.
    assert "0/2" in districts
    communes = _page(pages, seeded, world, level="commune")
    assert "129 trên 130 đơn vị" in text_of_html(communes)


def test_consolidation_pages_its_129_children_and_links_the_missing(
    pages, world, seeded, q3_states
):
    a = world.alpha
    pages.login("alpha", "admin")
    url = f"/t/alpha/reports/periods/{seeded.q3}/units/{a.province}"
    html = pages.get(url).get_data(as_text=True)
    table = re.search(r'<table class="stack compact children-table">(.*?)</table>', html, re.S)
    assert table.group(1).count("<tr") == 31  # the header and 30 children
    assert "Trang 1 / 5" in html
    summary = text_of_html(re.search(r'<p id="children-summary">(.*?)</p>', html, re.S).group(1))
    # No comma-separated paragraph of 99 names: a count and a link to the filterable list.
    # 30 on time + 10 late sent; 84 missing and 5 returned are not (yet) in.
    assert summary.startswith("Đã gửi: 40/129 đơn vị. Xem 89 đơn vị")
    assert "Xã " not in summary and "Phường" not in summary
    assert f"/t/alpha/reports/dashboard/{seeded.q3}?unit={a.province}" in html
    found = pages.get(f"{url}?q=xuan%20giang").get_data(as_text=True)
    rows = re.search(r'<table class="stack compact children-table">(.*?)</table>', found, re.S)
    assert rows.group(1).count("<tr") == 2 and "Xã Xuân Giang" in rows.group(1)
