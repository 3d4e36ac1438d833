"""The forwarding document (phiếu chuyển) that sends a case to the competent body: what was
received, about whom, and by when the answer is due — never who reported it.

Issued by the Standing Board of the Front committee that holds the case (`units.issuers`),
numbered per committee and year in the order cases were forwarded. Only the case's own fields
are read; the reporter's identity lives encrypted elsewhere and is not touched here.
"""

from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from giamsat.cases.labels import KIND_LABELS
from giamsat.cases.models import Case
from giamsat.core.admin_docx import document_number
from giamsat.units.issuers import blocks_for
from giamsat.units.models import Unit


def forwarding_number(session: Session, case: Case) -> int:
    """Its place among the committee's forwarded cases of that year."""
    assert case.forwarded_on is not None
    return session.scalar(
        select(func.count())
        .select_from(Case)
        .where(
            Case.unit_id == case.unit_id,
            Case.forwarded_on.is_not(None),
            func.extract("year", Case.forwarded_on) == case.forwarded_on.year,
            (Case.forwarded_on < case.forwarded_on)
            | ((Case.forwarded_on == case.forwarded_on) & (Case.id <= case.id)),
        )
    )


def forwarding_docx(session: Session, case: Case) -> bytes:
    """The document of a forwarded case (`case.forwarded_on` and `recipient_name` set)."""
    assert case.forwarded_on is not None and case.recipient_name
    unit = session.get(Unit, case.unit_id)
    parent = session.get(Unit, unit.parent_id) if unit.parent_id else None
    blocks = blocks_for(unit, parent, None)
    with force_locale("vi"):  # the document is Vietnamese whatever the page language
        kind = str(KIND_LABELS[case.kind]).lower()
    doc = blocks.document(
        unit,
        number=document_number(forwarding_number(session, case), blocks.symbol_of("PC")),
        day=case.forwarded_on,
        doc_type="PHIẾU CHUYỂN",
        summary=f"Thông tin {kind} của Nhân dân",
    )
    doc.paragraph(f"Kính gửi: {case.recipient_name}.", indent=False, align="center")
    doc.paragraph(
        f"Ngày {case.received_on:%d/%m/%Y}, {blocks.issuer_line.capitalize()} tiếp nhận thông "
        f"tin {kind} (hồ sơ số {case.number}): {case.title}."
    )
    doc.paragraphs(case.content)
    if case.concerned.strip():
        doc.paragraph(f"Người, tổ chức bị phản ánh: {case.concerned.strip()}.")
    due = (
        f" và trả lời bằng văn bản trước ngày {case.due_on:%d/%m/%Y}"
        if case.due_on
        else " và trả lời bằng văn bản"
    )
    doc.paragraph(
        f"{blocks.issuer_line.capitalize()} chuyển đến {case.recipient_name} để xem xét, giải "
        f"quyết theo thẩm quyền{due}. Danh tính người cung cấp thông tin được giữ bí mật theo "
        "quy định."
    )
    recipients = [f"{case.recipient_name} (để giải quyết)", f"Hồ sơ {case.number}"]
    doc.closing(recipients, blocks.signer("", ""), archive=blocks.archive)
    return doc.to_bytes()
