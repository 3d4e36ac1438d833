"""A yearly review, or a parent's roll-up of reviews, as DOCX in the administrative layout
(Decree 30/2020, via core.admin_docx and the issuer blocks the reports use).

Official documents: always Vietnamese. Figures and text only — no reporter data is read here.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from giamsat.core.admin_docx import CONTENT_TYPE, AdminDocument
from giamsat.reports.yearly_review.lines import FigureLine
from giamsat.reports.yearly_review.queries import RollUp
from giamsat.units.issuers import blocks_for
from giamsat.units.models import Unit

DOCX_MIMETYPE = CONTENT_TYPE
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII")
SUMMARY = "Đánh giá kết quả thực hiện Chương trình phối hợp giám sát theo Quy định 124-QĐ/TW"


def file_name(prefix: str, unit: Unit, year: int) -> str:
    """An ASCII-safe name such as "danh-gia-nam-2026-xa-dong.docx"."""
    text = f"{prefix} {year} {unit.name}".replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:120] + ".docx"


def _roman(index: int) -> str:
    return ROMAN[index] if index < len(ROMAN) else str(index + 1)


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _figures_table(doc: AdminDocument, lines: list[FigureLine], year: int) -> None:
    rows = [
        [
            str(index),
            line.label,
            line.unit_of_measure,
            _number(line.previous),
            _number(line.current),
            line.change,
            line.share,
        ]
        for index, line in enumerate(lines, start=1)
    ]
    doc.table(
        ["STT", "Chỉ tiêu", "Đơn vị tính", f"Năm {year - 1}", f"Năm {year}", "Tăng, giảm", "Tỷ lệ"],
        rows,
        widths=[0.06, 0.38, 0.12, 0.11, 0.11, 0.11, 0.11],
        size=12,
    )


def _document(unit: Unit, parent: Unit | None, day: dt.date, year: int, summary: str):
    blocks = blocks_for(unit, parent, None)
    doc = blocks.document(
        unit,
        number=f"Số:      /{blocks.symbol}",
        day=day,
        doc_type="BÁO CÁO",
        summary=f"{summary} năm {year}",
    )
    return doc, blocks


def review_docx(
    unit: Unit,
    parent: Unit | None,
    year: int,
    lines: list[FigureLine],
    texts: list[tuple[str, str]],
    *,
    day: dt.date,
    is_draft: bool,
) -> bytes:
    """One unit's review: the figures against the previous year and the plan, then each
    narrative section the province asks for."""
    doc, blocks = _document(unit, parent, day, year, SUMMARY)
    if is_draft:
        doc.paragraph("(Dự thảo, chưa gửi cấp trên.)", italic=True, indent=False, align="center")
    doc.heading("I. SỐ LIỆU KẾT QUẢ THỰC HIỆN")
    doc.paragraph(
        f"So sánh với năm {year - 1} và với kế hoạch giám sát năm {year}; số liệu tính từ hồ sơ "
        "trong hệ thống.",
        indent=False,
    )
    _figures_table(doc, lines, year)
    for index, (title, text) in enumerate(texts, start=1):
        doc.heading(f"{_roman(index)}. {title.upper()}")
        doc.paragraphs(text, when_empty="(Chưa có nội dung.)")
    doc.closing(list(blocks.recipients), blocks.signer("", ""), archive=blocks.archive)
    return doc.to_bytes()


def rollup_docx(
    rollup: RollUp, parent: Unit | None, lines: list[FigureLine], *, day: dt.date
) -> bytes:
    """A parent's roll-up: the summed figures of the submitted reviews, the units counted and
    those still missing, then each section with every unit's text under its name."""
    doc, blocks = _document(
        rollup.unit, parent, day, rollup.year, f"Tổng hợp {SUMMARY[0].lower()}{SUMMARY[1:]}"
    )
    doc.heading("I. SỐ LIỆU TỔNG HỢP")
    doc.paragraph(
        f"Tổng hợp từ {len(rollup.counted)} bản đánh giá đã gửi của {len(rollup.units)} đơn vị.",
        indent=False,
    )
    _figures_table(doc, lines, rollup.year)
    if rollup.waiting:
        names = ", ".join(u.unit.name for u in rollup.waiting)
        doc.paragraph(f"Chưa gửi bản đánh giá (không tính vào số liệu): {names}.", italic=True)
    for index, (title, entries) in enumerate(rollup.narratives.items(), start=2):
        doc.heading(f"{_roman(index - 1)}. {title.upper()}")
        for unit_name, text in entries:
            doc.paragraph(f"{unit_name}:", bold=True, indent=False)
            doc.paragraphs(text)
    doc.closing(list(blocks.recipients), blocks.signer("", ""), archive=blocks.archive)
    return doc.to_bytes()
