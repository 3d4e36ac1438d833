"""Reports are addressed and signed by who sends them: an organization's report carries its own
issuer, signature and "Nơi nhận" (to the Front's Standing Board of its level), the Front's own
report goes to the party committee of its level."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from giamsat.reports import exports
from giamsat.units.issuers import blocks_for
from tests.plugins.docx import docx_texts

PROVINCE = SimpleNamespace(name="Tỉnh Ninh Bình", level_code="province")
COMMUNE = SimpleNamespace(name="Xã Gia Viễn", level_code="commune")
HLHPN = SimpleNamespace(code="hlhpn", name="Hội Liên hiệp Phụ nữ Việt Nam", short_name="Hội LHPN")
DOAN = SimpleNamespace(
    code="doan", name="Đoàn Thanh niên Cộng sản Hồ Chí Minh", short_name="Đoàn TNCS Hồ Chí Minh"
)


def _report_docx(app, unit, parent, organization, title="", name="Lê Thị Hoa") -> list[str]:
    report = SimpleNamespace(
        unit=unit,
        period=SimpleNamespace(title="quý IV năm 2026"),
        snapshot={
            "narrative": {"results": "Đã giám sát 3 cuộc."},
            "header": {"document_number": "", "signer_title": title, "signer_name": name},
        },
    )
    with app.test_request_context():
        data = exports.report_docx(
            report, [], parent=parent, organization=organization, day=dt.date(2026, 12, 6)
        )
    return docx_texts(data)


def test_a_commune_womens_union_report_is_its_own_and_goes_to_the_front(app):
    texts = _report_docx(app, COMMUNE, PROVINCE, HLHPN)
    assert "HỘI LHPN TỈNH NINH BÌNH" in texts  # the parent body, upright
    assert "BAN THƯỜNG VỤ HỘI LHPN XÃ GIA VIỄN" in texts
    assert "TM. BAN THƯỜNG VỤ" in texts and "CHỦ TỊCH" in texts and "Lê Thị Hoa" in texts
    assert "- Ban Thường trực Ủy ban MTTQ Việt Nam Xã Gia Viễn (để t/h);" in texts
    assert "- Hội LHPN Tỉnh Ninh Bình (để b/c);" in texts and "- Lưu: VT." in texts
    assert any(t.startswith("Số:") and t.endswith("/BC-HLHPN") for t in texts)
    # Not the Front's blocks, not addressed to the party committee.
    assert not any("TM. BAN THƯỜNG TRỰC" in t or "Đảng ủy" in t or "Tỉnh ủy" in t for t in texts)


def test_a_province_youth_union_report_goes_through_the_democracy_law_department(app):
    texts = _report_docx(app, PROVINCE, None, DOAN)
    assert "BAN THƯỜNG VỤ ĐOÀN TNCS HỒ CHÍ MINH TỈNH NINH BÌNH" in texts
    assert "BÍ THƯ" in texts  # the youth union's head signs as its secretary
    assert (
        "- Ban Thường trực Ủy ban MTTQ Việt Nam Tỉnh Ninh Bình (qua Ban Dân chủ - Pháp luật) "
        "(để t/h);" in texts
    )


def test_the_fronts_report_goes_to_the_party_committee_of_its_level(app):
    commune = _report_docx(app, COMMUNE, PROVINCE, None, title="Chủ tịch")
    assert "BAN THƯỜNG TRỰC ỦY BAN MTTQ XÃ GIA VIỄN" in commune
    assert "TM. BAN THƯỜNG TRỰC" in commune
    assert "- Ban Thường vụ Đảng ủy Xã Gia Viễn (để b/c);" in commune
    assert "- Ban Thường trực Ủy ban MTTQ Việt Nam Tỉnh Ninh Bình (để b/c);" in commune
    assert "- Lưu: VT, MTTQ." in commune
    province = blocks_for(PROVINCE, None, None)
    assert province.recipients[0] == "Ban Thường vụ Tỉnh ủy Ninh Bình (để b/c)"
