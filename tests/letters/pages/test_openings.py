"""Openings: record one with witnesses and minutes, bad input, overdue boxes, the DOCX."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document

from giamsat.core.clock import zone
from giamsat.letters.models import BoxOpening, SealCondition
from tests.plugins.pages import field_error, text_of


def _opening_form(**overrides) -> dict:
    values = {
        "opened_on": "10/11/2026",
        "opened_time": "08:30",
        "witnesses-0-name": "Nguyễn Văn An",
        "witnesses-0-role": "Trưởng thôn",
        "witnesses-1-name": "Trần Thị Bình",
        "witnesses-1-role": "Chi hội trưởng",
        "witnesses-2-name": "",
        "witnesses-2-role": "",
        "seal_condition": "intact",
        "letters_found": "2",
        "notes": "",
    }
    values.update(overrides)
    return values


def test_record_an_opening_with_minutes_and_download_them(
    pages, make_box, tenant_session, bucket_keys
):
    box = make_box()
    pages.login("alpha", "x-staff")
    url = f"/t/alpha/letters/boxes/{box.id}/openings/new"
    form = pages.get(url)
    assert form.status_code == 200
    assert "ít nhất 2 người (quy định của địa phương)" in text_of(form)
    response = pages.post(url, _opening_form())
    assert response.status_code == 302, text_of(response)
    opening = tenant_session("alpha").query(BoxOpening).one()
    assert opening.opened_at == dt.datetime(2026, 11, 10, 8, 30, tzinfo=zone())
    assert [w["name"] for w in opening.witnesses] == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert opening.seal_condition == SealCondition.intact and opening.letters_found == 2
    assert opening.minutes_key in bucket_keys("alpha")
    page = pages.get(response.headers["Location"])
    text = text_of(page)
    assert "Đã ghi lần mở hòm thư" in text and "lập biên bản" in text
    assert "Nguyễn Văn An · Trưởng thôn" in text and "Niêm phong còn nguyên" in text
    minutes = pages.get(f"/t/alpha/letters/openings/{opening.id}/bien-ban.docx")
    assert minutes.status_code == 200
    assert minutes.mimetype.endswith("wordprocessingml.document")
    assert minutes.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in minutes.headers["Cache-Control"]
    document = Document(io.BytesIO(minutes.data))
    body = "\n".join(
        [p.text for p in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )
    assert "BIÊN BẢN" in body and "Độc lập - Tự do - Hạnh phúc" in body
    assert "Trần Thị Bình" in body


def test_too_few_witnesses_bad_time_and_no_seal_are_refused_with_nothing_saved(
    pages, make_box, tenant_session, bucket_keys
):
    box = make_box()
    before = bucket_keys("alpha")
    pages.login("alpha", "x-staff")
    url = f"/t/alpha/letters/boxes/{box.id}/openings/new"
    bad_time = pages.post(url, _opening_form(opened_time="25:99", letters_found="ba"))
    assert bad_time.status_code == 422
    assert "Giờ mở không hợp lệ" in field_error(bad_time, "opened_time")
    assert "Hãy nhập một số nguyên" in field_error(bad_time, "letters_found")
    few = pages.post(
        url, _opening_form(**{"witnesses-1-name": "", "witnesses-1-role": "", "seal_condition": ""})
    )
    assert few.status_code == 422
    text = text_of(few)
    assert "Cần ít nhất 2 người chứng kiến" in text and "mới có 1" in text
    assert "Hãy chọn tình trạng niêm phong" in field_error(few, "seal_condition")
    # What was typed is kept.
    assert 'value="Nguyễn Văn An"' in few.get_data(as_text=True)
    nameless = pages.post(url, _opening_form(**{"witnesses-1-name": ""}))
    assert nameless.status_code == 422
    assert "Hãy nhập họ tên người chứng kiến" in field_error(nameless, "witnesses-1-name")
    assert tenant_session("alpha").query(BoxOpening).count() == 0
    assert bucket_keys("alpha") == before


def test_the_configured_minimum_of_witnesses_applies(pages, make_box, set_rule, tenant_session):
    set_rule("alpha", "box_min_witnesses", 3)
    box = make_box()
    pages.login("alpha", "x-staff")
    url = f"/t/alpha/letters/boxes/{box.id}/openings/new"
    assert pages.post(url, _opening_form()).status_code == 422
    ok = pages.post(url, _opening_form(**{"witnesses-2-name": "Lê Văn Cường"}))
    assert ok.status_code == 302
    assert len(tenant_session("alpha").query(BoxOpening).one().witnesses) == 3


def test_without_required_minutes_the_opening_may_skip_them(
    pages, make_box, set_rule, tenant_session
):
    set_rule("alpha", "box_minutes_required", False)
    box = make_box()
    pages.login("alpha", "x-staff")
    url = f"/t/alpha/letters/boxes/{box.id}/openings/new"
    assert "Lập biên bản mở hòm thư" in text_of(pages.get(url))
    response = pages.post(url, _opening_form())  # the checkbox left unticked
    assert response.status_code == 302
    opening = tenant_session("alpha").query(BoxOpening).one()
    assert opening.minutes_key is None
    assert pages.get(f"/t/alpha/letters/openings/{opening.id}/bien-ban.docx").status_code == 404


def test_openings_list_highlights_overdue_boxes(pages, make_box, make_opening):
    late_box = make_box(location="Chợ thôn Một")
    fresh_box = make_box(location="Trạm y tế")
    make_opening(box=fresh_box, opened_at=dt.datetime.now(zone()) - dt.timedelta(hours=2))
    pages.login("alpha", "x-staff")
    response = pages.get("/t/alpha/letters/openings")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    overdue = html[html.index('id="overdue"') : html.index("Đã mở")]
    assert "Chợ thôn Một" in overdue and '<tr class="overdue">' in overdue
    assert "Trạm y tế" not in overdue
    assert "Chưa mở lần nào" in overdue
    text = text_of(response)
    assert "mỗi tháng một lần" in text and "Trạm y tế" not in overdue
    # The register marks the same box.
    register = pages.get("/t/alpha/letters/").get_data(as_text=True)
    assert f'id="box-{late_box.id}" class="overdue"' in register
    assert f'id="box-{fresh_box.id}" class=""' in register


def test_readers_see_openings_but_cannot_record_or_upload(pages, make_opening, tenant_session):
    opening = make_opening()
    pages.login("alpha", "x-reader")
    page = pages.get(f"/t/alpha/letters/openings/{opening.id}")
    assert page.status_code == 200
    assert "/upload" not in page.get_data(as_text=True)
    assert pages.get(f"/t/alpha/letters/openings/{opening.id}/bien-ban.docx").status_code == 200
    url = f"/t/alpha/letters/boxes/{opening.box_id}/openings/new"
    assert pages.get(url).status_code == 403
    assert pages.post(url, _opening_form()).status_code == 403
    assert tenant_session("alpha").query(BoxOpening).count() == 1


def test_another_communes_openings_and_minutes_are_not_found(pages, make_opening, make_box):
    opening_y = make_opening(who="y-admin", box=make_box(who="y-admin", area="area_y"))
    pages.login("alpha", "x-staff")
    for url in (
        f"/t/alpha/letters/openings/{opening_y.id}",
        f"/t/alpha/letters/openings/{opening_y.id}/bien-ban.docx",
        f"/t/alpha/letters/openings/{opening_y.id}/upload",
    ):
        assert pages.get(url).status_code == 404, url
    assert "Tổ dân phố Hai" not in text_of(pages.get("/t/alpha/letters/openings"))


def test_an_opening_early_in_the_vietnamese_morning_is_dated_that_day(
    pages, make_box, tenant_session, set_rule
):
    # 23:50 UTC on 5 December is 06:50 on 6 December in Vietnam: the form's default and its
    # "not after today" check go by Vietnam's day (the server's own date is still the 5th).
    # No minutes here: S3 refuses requests signed at a frozen clock.
    import time_machine

    set_rule("alpha", "box_minutes_required", False)
    with time_machine.travel(dt.datetime(2026, 12, 5, 23, 50, tzinfo=dt.UTC), tick=False):
        box = make_box()
        pages.login("alpha", "x-staff")
        url = f"/t/alpha/letters/boxes/{box.id}/openings/new"
        form = pages.get(url).get_data(as_text=True)
        assert 'name="opened_on"' in form and 'value="2026-12-06"' in form  # a date input
        response = pages.post(url, _opening_form(opened_on="06/12/2026", opened_time="06:40"))
        assert response.status_code == 302, text_of(response)
        later = pages.post(url, _opening_form(opened_on="07/12/2026", opened_time="06:40"))
        assert later.status_code == 422
    opening = tenant_session("alpha").query(BoxOpening).one()
    assert opening.opened_at == dt.datetime(2026, 12, 5, 23, 40, tzinfo=dt.UTC)
