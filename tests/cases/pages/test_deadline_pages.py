"""The deadline on the case page (which rule, with its source) and the tenant admin's table."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.cases import deadlines
from giamsat.cases.models import CaseKind, DeadlineRule, RecipientKind
from tests.plugins.pages import text_of


def _forward(pages, case, recipient: str, **extra):
    data = {
        "forward-recipient_kind": recipient,
        "forward-recipient_name": "Cơ quan nhận",
        "forward-forwarded_on": "2026-11-03",
        "forward-checked": "y",
        **{f"forward-{k}": v for k, v in extra.items()},
    }
    response = pages.post(f"/t/alpha/cases/{case.id}/forward", data)
    assert response.status_code == 302, text_of(response)


def test_the_case_page_names_the_rule_and_its_source(pages, make_case):
    case = make_case(status="verifying", kind="denunciation", received_on=dt.date(2026, 11, 2))
    pages.login("alpha", "x-staff")
    _forward(pages, case, "authority", accepted_on="2026-11-10")
    text = text_of(pages.get(f"/t/alpha/cases/{case.id}"))
    assert "Hạn trả lời" in text and "10/12/2026" in text
    assert (
        "Căn cứ: Luật Tố cáo 2018 (Luật số 25/2018/QH14), Điều 30: 30 ngày kể từ ngày thụ lý"
        in text
    )
    assert "Nguồn: Luật Tố cáo 2018 Điều 30 (thuvienphapluat.vn" in text


def test_a_party_committee_forward_names_qd_124_as_partial(pages, make_case):
    case = make_case(status="verifying", kind="denunciation", received_on=dt.date(2026, 11, 2))
    pages.login("alpha", "x-staff")
    _forward(pages, case, "party_committee")
    text = text_of(pages.get(f"/t/alpha/cases/{case.id}"))
    assert "Căn cứ: QĐ 124-QĐ/TW (02/02/2018), Điều 8: 20 ngày làm việc kể từ ngày chuyển" in text
    # How sure the source is, is for the tenant admin who keeps the table, not the staff.
    assert "[PARTIAL]" not in text
    pages.client.post("/t/alpha/logout", data={"csrf_token": pages.csrf_token()})
    pages.login("alpha", "admin")
    assert "[PARTIAL]" in text_of(pages.get(f"/t/alpha/cases/{case.id}"))


def _row(tenant_session, slug="alpha") -> DeadlineRule:
    session = tenant_session(slug)
    rule = deadlines.rule_for(session, RecipientKind.authority, CaseKind.complaint)
    session.commit()
    return rule


def _fields(rule, **changes) -> dict:
    values = {
        "law": rule.law,
        "clock": rule.clock.value,
        "days": str(rule.days),
        "start": rule.start.value,
        "extension_days": str(rule.extension_days),
        "max_extensions": str(rule.max_extensions),
        "reminder_days": str(rule.reminder_days),
        "confidence": rule.confidence,
        "source": rule.source,
    } | changes
    return {f"r{rule.id}-{k}": v for k, v in values.items()}


def test_the_tenant_admin_edits_a_row(pages, tenant_session, catalogue):
    rule = _row(tenant_session)
    pages.login("alpha", "admin")
    page = text_of(pages.get("/t/alpha/cases/deadlines"))
    assert "Thời hạn trả lời theo quy định áp dụng" in page and "Luật Khiếu nại 2011" in page
    response = pages.post(
        f"/t/alpha/cases/deadlines/{rule.id}",
        _fields(rule, days="12", source="Quy chế của tỉnh, điều 5 [UNCONFIRMED]"),
    )
    assert response.status_code == 302, text_of(response)
    assert "Đã lưu thời hạn" in text_of(pages.get(response.headers["Location"]))
    session = tenant_session("alpha")
    session.expire_all()
    stored = session.get(DeadlineRule, rule.id)
    assert stored.days == 12 and stored.is_overridden
    assert stored.source == "Quy chế của tỉnh, điều 5 [UNCONFIRMED]"


def test_bad_input_gets_a_plain_sentence_and_422(pages, tenant_session, catalogue):
    rule = _row(tenant_session)
    pages.login("alpha", "admin")
    response = pages.post(f"/t/alpha/cases/deadlines/{rule.id}", _fields(rule, days="mười"))
    assert response.status_code == 422
    assert "Số ngày phải là số nguyên từ 1 đến 365." in text_of(response)
    session = tenant_session("alpha")
    session.expire_all()
    assert session.get(DeadlineRule, rule.id).days == 10


@pytest.mark.parametrize("who", ["x-admin", "x-staff", "x-reader"])
def test_others_can_neither_see_nor_edit_the_table(pages, tenant_session, catalogue, who):
    rule = _row(tenant_session)
    pages.login("alpha", who)
    assert pages.get("/t/alpha/cases/deadlines").status_code == 403
    response = pages.post(f"/t/alpha/cases/deadlines/{rule.id}", _fields(rule, days="2"))
    assert response.status_code == 403
    session = tenant_session("alpha")
    session.expire_all()
    assert session.get(DeadlineRule, rule.id).days == 10


def test_an_edit_in_one_province_leaves_the_other_alone(pages, tenant_session, catalogue):
    alpha, beta = _row(tenant_session, "alpha"), _row(tenant_session, "beta")
    pages.login("alpha", "admin")
    response = pages.post(f"/t/alpha/cases/deadlines/{alpha.id}", _fields(alpha, days="15"))
    assert response.status_code == 302
    session = tenant_session("beta")
    session.expire_all()
    assert session.get(DeadlineRule, beta.id).days == 10
    assert not session.get(DeadlineRule, beta.id).is_overridden
    # And alpha's admin cannot reach beta's table at all.
    assert pages.get("/t/beta/cases/deadlines").status_code in (302, 403, 404)


def test_a_denunciation_deadline_is_extended_as_often_as_the_law_allows(
    pages, make_case, tenant_session
):
    # Luật Tố cáo 2018 Art 30: 30 days from acceptance, extendable twice by 30 (calendar days).
    case = make_case(status="verifying", kind="denunciation", received_on=dt.date(2026, 11, 2))
    pages.login("alpha", "x-staff")
    _forward(pages, case, "authority", accepted_on="2026-11-10")
    url = f"/t/alpha/cases/{case.id}"
    assert f'{url}/extend"' in pages.get(url).get_data(as_text=True)
    missing = pages.post(f"{url}/extend", {"extend-reason": ""})
    assert missing.status_code == 422
    for expected in ("09/01/2027", "08/02/2027"):
        response = pages.post(f"{url}/extend", {"extend-reason": "Công văn gia hạn của UBND"})
        assert response.status_code == 302, text_of(response)
        assert f"Hạn trả lời mới: {expected}" in text_of(pages.get(response.headers["Location"]))
    page = pages.get(url)
    assert f'{url}/extend"' not in page.get_data(as_text=True)  # no third extension offered
    assert "Gia hạn lần 2: thêm 30 ngày" in text_of(page)
    third = pages.post(f"{url}/extend", {"extend-reason": "Lần nữa"})
    assert third.status_code == 409 and "số lần tối đa" in text_of(third)
    session = tenant_session("alpha")
    session.expire_all()
    from giamsat.cases.models import Case

    assert session.get(Case, case.id).due_on == dt.date(2027, 2, 8)
