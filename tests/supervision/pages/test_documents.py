"""The documents of the supervision work: the recommendation letter and the yearly plan with
its appendix of who supervises whom — issued by the record's body, numbered, scoped."""

from __future__ import annotations

from tests.plugins.docx import docx_texts
from tests.plugins.pages import text_of

PREFIX = "/t/alpha/supervision"


def test_the_recommendation_letter_is_issued_numbered_and_addressed(pages, register):
    pages.login("alpha", "x-staff")
    page = pages.get(f"{PREFIX}/recommendations/{register['x'].recommendation}")
    assert "Tải văn bản kiến nghị" in text_of(page)
    response = pages.get(
        f"{PREFIX}/recommendations/{register['x'].recommendation}/van-ban-kien-nghi.docx"
    )
    assert response.status_code == 200 and response.mimetype.endswith("wordprocessingml.document")
    assert response.headers["Cache-Control"] == "private, no-store"
    texts = docx_texts(response.data)
    assert "BAN THƯỜNG TRỰC ỦY BAN MTTQ XÃ ĐÔNG ALPHA" in texts
    assert "KIẾN NGHỊ" in texts and "Số: 01/KN-MTTQ" in texts
    assert "Kiến nghị qua giám sát Giám sát chuyên đề X" in texts
    assert "Kính gửi: Đảng ủy X." in texts and "Đề nghị kiểm điểm X" in texts
    assert any(t.startswith("Đề nghị Đảng ủy X xem xét, giải trình") for t in texts)
    assert "- Đảng ủy X (để t/h);" in texts and "TM. BAN THƯỜNG TRỰC" in texts


def test_the_plan_carries_its_appendix_of_assignments(pages, register):
    pages.login("alpha", "x-staff")
    response = pages.get(f"{PREFIX}/plans/{register['x'].plan}/ke-hoach.docx")
    assert response.status_code == 200
    texts = docx_texts(response.data)
    assert "KẾ HOẠCH" in texts and "Kế hoạch giám sát X" in texts
    assert "PHỤ LỤC: DANH SÁCH PHÂN CÔNG GIÁM SÁT" in texts
    assert "Nguyễn Văn X" in texts and "Bí thư Đảng ủy" in texts and "Nơi công tác" in texts
    # Commune Y's people are not on commune X's plan.
    assert "Nguyễn Văn Y" not in texts


def test_documents_of_another_commune_are_not_found(pages, register):
    pages.login("alpha", "y-admin")
    assert pages.get(f"{PREFIX}/plans/{register['x'].plan}/ke-hoach.docx").status_code == 404
    rec = register["x"].recommendation
    assert pages.get(f"{PREFIX}/recommendations/{rec}/van-ban-kien-nghi.docx").status_code == 404
