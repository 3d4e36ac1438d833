"""Box register and openings: rules (witnesses, minutes), the DOCX minutes, overdue openings."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from sqlalchemy import func, select

from giamsat.core import clock
from giamsat.core.errors import Forbidden, NotFound, ValidationFailed
from giamsat.letters import operations, queries
from giamsat.letters.models import BoxOpening, PendingUpload


def test_a_box_is_kept_by_a_named_person_the_rule_says_who(make_box, set_rule, app):
    set_rule("alpha", "box_key_holder", "Tổ trưởng tổ dân phố")
    with pytest.raises(ValidationFailed) as refused:
        make_box(keeper="")
    assert refused.value.errors["keeper"] == [
        "Hãy nhập họ tên người giữ hòm thư và chìa khóa (theo quy định của địa phương: "
        "Tổ trưởng tổ dân phố)."
    ]
    box = make_box(keeper="Bà Nông Thị Hoa, Tổ trưởng")
    assert box.keeper == "Bà Nông Thị Hoa, Tổ trưởng"
    assert box.label_code.startswith("HT-") and box.status.value == "active"
    endpoint, values = operations.qr_target(box)
    assert (endpoint, values) == ("cases_public.submit", {"unit_id": box.unit_id})
    assert endpoint in app.view_functions  # the QR label points at a page that exists


def test_box_needs_a_location_a_keeper_and_a_past_installation_day(
    tenant_session, world, principal_of
):
    with tenant_session("alpha") as session, pytest.raises(ValidationFailed) as caught:
        operations.create_box(
            session,
            principal_of("alpha", "x-staff"),
            area_id=world.alpha.area_x,
            location=" ",
            installed_on=clock.today() + dt.timedelta(days=3),
        )
    assert set(caught.value.errors) == {"location", "installed_on", "keeper"}


def test_another_communes_area_is_not_found_and_readers_cannot_write(
    tenant_session, world, principal_of, make_box
):
    with tenant_session("alpha") as session:
        with pytest.raises(NotFound):
            operations.create_box(
                session,
                principal_of("alpha", "x-staff"),
                area_id=world.alpha.area_y,
                location="Nhà văn hóa",
                installed_on=dt.date(2026, 1, 1),
            )
        with pytest.raises(Forbidden):
            operations.create_box(
                session,
                principal_of("alpha", "x-reader"),
                area_id=world.alpha.area_x,
                location="Nhà văn hóa",
                installed_on=dt.date(2026, 1, 1),
            )
    box = make_box()
    with tenant_session("alpha") as session:
        with pytest.raises(NotFound):
            queries.get_box(session, box.id, principal_of("alpha", "y-admin"))
        assert queries.get_box(session, box.id, principal_of("alpha", "admin")).id == box.id


def test_opening_needs_the_minimum_witnesses(make_box, make_opening, set_rule, tenant_session):
    set_rule("alpha", "box_min_witnesses", 3)
    box = make_box()
    with pytest.raises(ValidationFailed) as caught:
        make_opening(box=box)
    assert "Cần ít nhất 3 người chứng kiến" in caught.value.errors["witnesses"][0]
    with tenant_session("alpha") as session:
        assert session.scalar(select(func.count()).select_from(BoxOpening)) == 0


def test_minutes_required_rule_refuses_an_opening_without_minutes(
    make_box, make_opening, set_rule, bucket_keys
):
    box = make_box()
    with pytest.raises(ValidationFailed) as caught:
        make_opening(box=box, with_minutes=False)
    assert "with_minutes" in caught.value.errors
    set_rule("alpha", "box_minutes_required", False)
    before = bucket_keys("alpha", "letters/minutes/")
    opening = make_opening(box=box, with_minutes=False)
    assert opening.minutes_key is None
    assert bucket_keys("alpha", "letters/minutes/") == before


def _docx(storage, key) -> Document:
    with storage.open(key) as reader:
        return Document(io.BytesIO(reader.read()))


def test_minutes_docx_has_the_administrative_layout(make_opening, storage_of, tenant_session):
    opening = make_opening(letters_found=3, notes="Hòm thư bị ướt một góc.")
    assert opening.minutes_key.startswith("letters/minutes/") and len(opening.minutes_sha256) == 64
    doc = _docx(storage_of("alpha"), opening.minutes_key)
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [
        round(m.mm)
        for m in (
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ] == [20, 20, 30, 15]
    header = doc.tables[0]
    motto_cell = [p.text for p in header.cell(0, 1).paragraphs]
    assert motto_cell[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    national = header.cell(0, 1).paragraphs[0].runs[0]
    assert national.bold and national.font.name == "Times New Roman"
    assert header.cell(0, 0).paragraphs[-2].text.startswith("BAN CÔNG TÁC MẶT TRẬN")
    assert header.cell(1, 0).paragraphs[0].text == "Số: 01/BB-BCTMT"
    dated = header.cell(1, 1).paragraphs[0]
    assert dated.text.endswith("ngày 10 tháng 02 năm 2026") and dated.runs[0].italic
    texts = [p.text for p in doc.paragraphs]
    assert "BIÊN BẢN" in texts
    body = "\n".join(texts)
    assert "08 giờ 30 phút" in body and "niêm phong còn nguyên vẹn" in body
    assert "03 thư" in body and "Hòm thư bị ướt một góc." in body
    witnesses = [[c.text for c in row.cells] for row in doc.tables[1].rows]
    assert witnesses[1:] == [
        ["1", "Nguyễn Văn An", "Trưởng thôn"],
        ["2", "Trần Thị Bình", "Chi hội trưởng phụ nữ"],
    ]
    signatures = "\n".join(c.text for row in doc.tables[2].rows for c in row.cells)
    assert "NGƯỜI GIỮ HÒM THƯ" in signatures and "Nguyễn Văn An" in signatures
    fonts = {r.font.name for p in doc.paragraphs for r in p.runs if r.text.strip()}
    assert fonts == {"Times New Roman"}
    with tenant_session("alpha") as session:  # committed together: no pending row left
        assert session.scalar(select(func.count()).select_from(PendingUpload)) == 0


def test_minutes_numbers_run_per_box_and_year(make_box, make_opening, storage_of):
    box = make_box()
    make_opening(box=box)
    second = make_opening(box=box, opened_at=dt.datetime(2026, 3, 10, 9, 0))
    doc = _docx(storage_of("alpha"), second.minutes_key)
    assert doc.tables[0].cell(1, 0).paragraphs[0].text == "Số: 02/BB-BCTMT"


def test_overdue_openings_follow_the_frequency_rule(
    make_box, make_opening, set_rule, tenant_session, world, principal_of
):
    fresh = make_box(installed_on=dt.date(2026, 2, 1))
    late = make_box(installed_on=dt.date(2026, 1, 1))
    make_opening(box=late, opened_at=dt.datetime(2026, 1, 20, 8, 0))
    never = make_box(installed_on=dt.date(2026, 1, 2))
    old = make_box(installed_on=dt.date(2025, 1, 1), location="Kho")
    with tenant_session("alpha") as session:
        principal = principal_of("alpha", "x-staff")
        removed = operations.update_box(session, principal, old.id, status="removed")
        session.commit()
        overdue = queries.overdue_openings(session, principal, today=dt.date(2026, 2, 25))
    assert set(overdue) == {world.alpha.commune_x}
    assert [o.box.id for o in overdue[world.alpha.commune_x]] == [never.id, late.id]
    assert overdue[world.alpha.commune_x][1].last_opened_on == dt.date(2026, 1, 20)
    assert removed.status.value == "removed"
    set_rule("alpha", "box_opening_frequency", "weekly")
    with tenant_session("alpha") as session:
        overdue = queries.overdue_openings(
            session, principal_of("alpha", "x-staff"), today=dt.date(2026, 2, 25)
        )
    assert {o.box.id for o in overdue[world.alpha.commune_x]} == {fresh.id, late.id, never.id}
    with tenant_session("alpha") as session:  # commune Y sees none of X's boxes
        assert (
            queries.overdue_openings(
                session, principal_of("alpha", "y-admin"), today=dt.date(2026, 2, 25)
            )
            == {}
        )
