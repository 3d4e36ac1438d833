"""The public form: no login, no script, CSRF kept, anonymous and protected senders, receipts."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import func, select, text

from giamsat.cases.models import Case, CaseReceipt, Channel, ReporterIdentity, ReporterMode
from giamsat.units.models import Unit
from tests.plugins.cases import receipt_code
from tests.plugins.pages import Pages, text_of

IDENTITY = {"name": "Lê Văn Kín Đáo", "contact": "0987 654 321", "address": "Số 9 ngõ Vắng"}


def _cases(tenant_session, slug="alpha"):
    return list(tenant_session(slug).scalars(select(Case).order_by(Case.id)))


def test_form_opens_without_login_and_hands_out_a_csrf_token(browser, world):
    response = browser.get(f"/t/alpha/gop-y/{world.alpha.commune_x}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'name="csrf_token"' in page
    text_ = text_of(response)
    assert "Gửi ý kiến đến Xã Đông Alpha" in text_
    assert "Chỉ thị 27-CT/TW" in text_  # the consent sentence about protection
    assert "Tố cáo — báo một người hay cơ quan làm sai pháp luật" in text_  # kinds explained
    # Nothing for a script to do: a plain form post, nothing loaded from elsewhere.
    assert "<script" not in page.split("<main")[1]
    assert '<form method="post"' in page
    assert not re.search(r'(src|href|action)="(https?:)?//', page)


def test_residential_area_form_sends_to_its_commune(browser, world, tenant_session):
    page = text_of(browser.get(f"/t/alpha/gop-y/{world.alpha.area_x}"))
    assert "Từ Thôn Một, gửi đến Ủy ban Mặt trận Tổ quốc Xã Đông Alpha." in page
    response = browser.submit("alpha", world.alpha.area_x)
    assert response.status_code == 200, text_of(response)
    (case,) = _cases(tenant_session)
    assert (case.unit_id, case.area_id) == (world.alpha.commune_x, world.alpha.area_x)


def test_unknown_and_retired_units_are_not_found(browser, world, tenant_session):
    assert browser.get("/t/alpha/gop-y/999999").status_code == 404
    session = tenant_session("alpha")
    session.get(Unit, world.alpha.area_y).valid_to = session.get(
        Unit, world.alpha.area_y
    ).valid_from.replace(year=2025, month=8)
    session.commit()
    assert browser.get(f"/t/alpha/gop-y/{world.alpha.area_y}").status_code == 404
    response = browser.post(
        f"/t/alpha/gop-y/{world.alpha.area_y}",
        {"title": "x"},
        token_from=f"/t/alpha/gop-y/{world.alpha.commune_x}",
    )
    assert response.status_code == 404
    assert browser.get("/t/nowhere/gop-y/1").status_code == 404
    assert _cases(tenant_session) == []


def test_post_without_csrf_token_is_refused(browser, world, tenant_session):
    response = browser.post(
        f"/t/alpha/gop-y/{world.alpha.commune_x}",
        {"kind": "petition", "title": "T", "content": "C", "consent": "y"},
        csrf=False,
    )
    assert response.status_code == 400
    assert "Biểu mẫu đã hết hạn" in text_of(response)
    assert _cases(tenant_session) == []


def test_anonymous_submission_gives_a_receipt_stored_only_as_a_hash(browser, world, tenant_session):
    response = browser.submit("alpha", world.alpha.commune_x, kind="denunciation")
    assert response.status_code == 200
    shown = receipt_code(response)
    assert re.fullmatch(r"\d{4}( \d{4}){4}", shown)  # 20 digits, grouped by 4
    assert "Mã chỉ hiện một lần" in text_of(response)
    code = shown.replace(" ", "")

    (case,) = _cases(tenant_session)
    assert case.channel == Channel.online and case.reporter_mode == ReporterMode.anonymous
    assert case.unit_id == world.alpha.commune_x and case.area_id is None
    assert f"Số tiếp nhận: {case.number}," in text_of(response)
    session = tenant_session("alpha")
    receipt = session.scalars(select(CaseReceipt)).one()
    assert receipt.case_id == case.id
    assert receipt.code_hash == hashlib.sha256(b"giamsat-receipt-v1:" + code.encode()).hexdigest()
    # The code itself is nowhere in the tenant's tables.
    dump = session.execute(
        text(f"SELECT string_agg(t::text, ' ') FROM {world.alpha.schema}.case_receipts t")
    ).scalar()
    assert code not in dump
    assert session.scalar(select(func.count()).select_from(ReporterIdentity)) == 0


def test_receipt_codes_differ_each_time(browser, world):
    first = receipt_code(browser.submit("alpha", world.alpha.commune_x))
    second = receipt_code(browser.submit("alpha", world.alpha.commune_x))
    assert first != second


@pytest.fixture()
def staff_pages(app):
    """The staff case pages too (another helper's), until cases/__init__.py lists them."""
    if "cases_pages" not in app.blueprints:
        from giamsat.cases.views import bp

        app.register_blueprint(bp)
    return app


def test_confidential_identity_is_encrypted_and_never_shown(
    browser, world, tenant_session, staff_pages, client
):
    response = browser.submit(
        "alpha",
        world.alpha.commune_x,
        reporter_mode="confidential",
        name=IDENTITY["name"],
        contact=IDENTITY["contact"],
        address=IDENTITY["address"],
    )
    assert response.status_code == 200, text_of(response)
    code = receipt_code(response)
    (case,) = _cases(tenant_session)
    assert case.reporter_mode == ReporterMode.confidential
    session = tenant_session("alpha")
    identity = session.scalars(select(ReporterIdentity)).one()
    assert identity.case_id == case.id
    schema = world.alpha.schema
    raw = session.execute(
        text(
            f"SELECT c::text || ' ' || encode(i.ciphertext, 'escape') FROM {schema}.cases c "
            f"JOIN {schema}.reporter_identities i ON i.case_id = c.id"
        )
    ).scalar()
    for value in IDENTITY.values():
        assert value not in raw
        assert value not in response.get_data(as_text=True)
    status = browser.lookup("alpha", code)
    for value in IDENTITY.values():
        assert value not in status.get_data(as_text=True)

    # The staff pages (other helper's) show the mask only.
    staff = Pages(client, world)
    staff.login("alpha", "x-admin")
    for url in ("/t/alpha/cases/", f"/t/alpha/cases/{case.id}"):
        page = staff.get(url)
        assert page.status_code == 200, url
        html = page.get_data(as_text=True)
        assert case.title in html
        for value in IDENTITY.values():
            assert value not in html, url


def test_bad_input_is_explained_and_nothing_is_saved(browser, world, tenant_session):
    cases = [
        ({"title": "  "}, "Hãy tóm tắt việc bạn muốn gửi trong một câu."),
        ({"content": ""}, "Hãy viết nội dung việc bạn muốn gửi."),
        ({"consent": ""}, "Hãy đánh dấu vào ô này để gửi."),
        ({"name": "Nguyễn Văn Lộ"}, "Bạn chọn không cho biết tên nhưng đã điền thông tin"),
        ({"reporter_mode": "open"}, "Hãy ghi họ và tên, hoặc chọn không cho biết tên."),
        ({"kind": "gossip"}, "Hãy chọn một loại trong danh sách."),
    ]
    for fields, message in cases:
        response = browser.submit("alpha", world.alpha.commune_x, **fields)
        assert response.status_code == 422, fields
        assert message in text_of(response), fields
        assert 'id="receipt-code"' not in response.get_data(as_text=True)
    assert _cases(tenant_session) == []


def test_an_operation_error_is_shown_next_to_the_form(browser, world, tenant_session):
    response = browser.submit("alpha", world.alpha.commune_x, title="T" * 250)
    assert response.status_code == 422
    assert "Tiêu đề dài quá 200 ký tự." in text_of(response)
    assert _cases(tenant_session) == []


def test_form_in_english(browser, world):
    browser.post(
        "/t/alpha/language",
        {"lang": "en", "next": "/t/alpha/tra-cuu"},
        token_from="/t/alpha/tra-cuu",
    )
    page = text_of(browser.get(f"/t/alpha/gop-y/{world.alpha.commune_x}"))
    assert "Send your opinion to Xã Đông Alpha" in page
    assert "Directive 27-CT/TW" in page


def test_a_nul_byte_in_a_submission_does_not_lose_it(browser, world, tenant_session):
    response = browser.submit(
        "alpha", world.alpha.commune_x, title="Đường\x00 hỏng", content="Hỏng\x00 nặng\r\nlắm"
    )
    assert response.status_code == 200, text_of(response)
    (case,) = _cases(tenant_session)
    assert (case.title, case.content) == ("Đường hỏng", "Hỏng nặng\r\nlắm")
