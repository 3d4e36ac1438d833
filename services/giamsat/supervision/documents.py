"""Documents of the supervision work in the Decree 30/2020 layout: the recommendation (văn bản
kiến nghị) sent after an activity, and the yearly plan with its appendix of who supervises whom.

Each is issued by the Front committee or the organization that owns the record, with that body's
blocks (`units.issuers`), and numbered per issuing body and year in the order of the records.
No reporter's identity is ever on them: supervision records hold none.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from giamsat.core.admin_docx import document_number
from giamsat.supervision.labels import EXPECTED_ANSWER_LABELS, PLACE_LABELS, vietnamese
from giamsat.supervision.models import Recommendation, SupervisionAssignment, SupervisionPlan
from giamsat.units.issuers import blocks_for
from giamsat.units.models import Unit


def recommendation_number(session: Session, rec: Recommendation) -> int:
    """Its place among the issuing body's recommendations of that year."""
    year = rec.issued_on.year
    return session.scalar(
        select(func.count())
        .select_from(Recommendation)
        .where(
            Recommendation.unit_id == rec.unit_id,
            Recommendation.organization_id == rec.organization_id,
            func.extract("year", Recommendation.issued_on) == year,
            (Recommendation.issued_on < rec.issued_on)
            | ((Recommendation.issued_on == rec.issued_on) & (Recommendation.id <= rec.id)),
        )
    )


def recommendation_docx(session: Session, rec: Recommendation, *, activity=None) -> bytes:
    unit = session.get(Unit, rec.unit_id)
    parent = session.get(Unit, unit.parent_id) if unit.parent_id else None
    blocks = blocks_for(unit, parent, rec.organization)
    about = f" qua giám sát {activity.title}" if activity is not None else ""
    doc = blocks.document(
        unit,
        number=document_number(recommendation_number(session, rec), blocks.symbol_of("KN")),
        day=rec.issued_on,
        doc_type="KIẾN NGHỊ",
        summary=f"Kiến nghị{about}",
    )
    doc.paragraph(f"Kính gửi: {rec.addressee_name}.", indent=False, align="center")
    doc.paragraphs(rec.content)
    expected = vietnamese(EXPECTED_ANSWER_LABELS)[rec.expected_answer].lower()
    doc.paragraph(
        f"Đề nghị {rec.addressee_name} xem xét, {expected} và trả lời bằng văn bản trước ngày "
        f"{rec.due_on:%d/%m/%Y}."
    )
    recipients = [f"{rec.addressee_name} (để t/h)", *blocks.recipients]
    doc.closing(recipients, blocks.signer("", ""), archive=blocks.archive)
    return doc.to_bytes()


def plan_docx(session: Session, plan: SupervisionPlan) -> bytes:
    """The yearly plan and, as its appendix, the assignments in force in that year."""
    unit = session.get(Unit, plan.unit_id)
    parent = session.get(Unit, unit.parent_id) if unit.parent_id else None
    blocks = blocks_for(unit, parent, plan.organization)
    day = plan.approved_on or plan.created_at.date()
    doc = blocks.document(
        unit,
        number=document_number(1, blocks.symbol_of("KH")),
        day=day,
        doc_type="KẾ HOẠCH",
        summary=plan.title,
    )
    doc.paragraphs(plan.content)
    doc.heading("PHỤ LỤC: DANH SÁCH PHÂN CÔNG GIÁM SÁT")
    rows = [
        [
            str(index),
            a.person.full_name,
            a.person.position or "",
            vietnamese(PLACE_LABELS)[a.place],
            a.organization.short_name,
            f"{a.valid_from:%d/%m/%Y}",
        ]
        for index, a in enumerate(assignments_in_year(session, plan), start=1)
    ]
    if rows:
        doc.table(
            ["STT", "Người được giám sát", "Chức vụ", "Nơi", "Tổ chức giám sát", "Từ ngày"],
            rows,
            widths=[0.07, 0.25, 0.22, 0.14, 0.17, 0.15],
        )
    else:
        doc.paragraph("Chưa có phân công giám sát nào trong năm.", italic=True, indent=False)
    doc.closing(list(blocks.recipients), blocks.signer("", ""), archive=blocks.archive)
    return doc.to_bytes()


def assignments_in_year(session: Session, plan: SupervisionPlan) -> list[SupervisionAssignment]:
    """The plan unit's assignments in force at some time of the plan's year."""
    start, end = dt.date(plan.year, 1, 1), dt.date(plan.year, 12, 31)
    return list(
        session.scalars(
            select(SupervisionAssignment)
            .where(
                SupervisionAssignment.unit_id == plan.unit_id,
                SupervisionAssignment.valid_from <= end,
                (SupervisionAssignment.valid_to.is_(None))
                | (SupervisionAssignment.valid_to >= start),
            )
            .order_by(SupervisionAssignment.valid_from, SupervisionAssignment.id)
        )
    )
