"""A report or a consolidation as DOCX (Decree 30/2020 layout, via core.admin_docx) or XLSX.

Files are official documents: always in Vietnamese, whatever the page language. They hold
figures and text only — a report has no reporter data and nothing here looks any up.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable

from giamsat.core.admin_docx import CONTENT_TYPE, AdminDocument
from giamsat.core.spreadsheets import Column, SheetSpec, sheets_bytes
from giamsat.core.vietnamese import normalise_spaces
from giamsat.reports.labels import (
    GROUP_LABELS,
    NARRATIVE,
    NARRATIVE_FIELDS,
    STATUS_LABELS,
    vietnamese,
)
from giamsat.reports.models import Indicator, Report, ReportPeriod
from giamsat.reports.queries.consolidation import Consolidation
from giamsat.reports.queries.reports import ReportLine
from giamsat.units.issuers import IssuerBlocks, blocks_for
from giamsat.units.models import Organization, Unit

DOCX_MIMETYPE = CONTENT_TYPE
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROMAN = ("I", "II", "III", "IV", "V", "VI")
#: How a hand-entered figure is marked in every file (and explained under the table).
HAND_MARK = "(*)"
HAND_NOTE = "Số liệu có dấu (*) do đơn vị nhập tay, không tính từ hồ sơ trong hệ thống."
#: How the figures of a child that has not submitted are marked (never mixed up silently).
LIVE_MARK = "số liệu tạm tính, chưa nộp"

#: Called with (done, total) as a long export goes along.
Progress = Callable[[int, int], None]


def _no_progress(done: int, total: int) -> None:
    return None


# --- names on the document ------------------------------------------------------------------


def file_name(period: ReportPeriod, unit: Unit, suffix: str, extension: str) -> str:
    """An ASCII-safe name such as "bao-cao-quy-i-nam-2026-xa-dong.docx"."""
    text = f"{suffix} {period.title} {unit.name}".replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    return f"{slug[:120]}.{extension}"


def _status_text(status: str) -> str:
    return vietnamese(STATUS_LABELS[status]) if status in STATUS_LABELS else status


def _value_text(line: ReportLine) -> str:
    return f"{line.value:,}".replace(",", ".") + (f" {HAND_MARK}" if line.is_manual else "")


def _figure_rows(lines: list[ReportLine]) -> list[list[str]]:
    rows = []
    for index, line in enumerate(lines, start=1):
        note = line.note
        if line.is_manual and line.computed_value is not None:
            note = (f"Hồ sơ trong hệ thống: {line.computed_value}. " + note).strip()
        rows.append(
            [
                str(index),
                line.indicator.label,
                line.indicator.unit_of_measure,
                _value_text(line),
                note,
            ]
        )
    return rows


# --- DOCX -----------------------------------------------------------------------------------


def report_docx(
    report: Report,
    lines: list[ReportLine],
    *,
    parent: Unit | None,
    organization: Organization | None,
    day: dt.date,
) -> bytes:
    """The report as an administrative document: header, the five sections, the figures table
    in section II, signature and "Nơi nhận"."""
    source = report.snapshot or {}
    narrative = source.get("narrative") or {
        name: getattr(report, name) for name in NARRATIVE_FIELDS
    }
    header = source.get("header") or {
        "document_number": report.document_number,
        "signer_name": report.signer_name,
        "signer_title": report.signer_title,
    }
    doc = _document(
        report.period,
        report.unit,
        parent,
        organization,
        day,
        header["document_number"],
        f"Kết quả thực hiện Quy định 124-QĐ/TW {report.period.title}",
    )
    for index, (name, label, _help) in enumerate(NARRATIVE):
        doc.heading(f"{ROMAN[index]}. {vietnamese(label).upper()}")
        doc.paragraphs(narrative.get(name, ""), when_empty="(Chưa có nội dung.)")
        if name == "results":
            doc.paragraph("Số liệu cụ thể:", indent=False)
            doc.table(
                ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"],
                _figure_rows(lines),
                widths=[0.07, 0.45, 0.14, 0.12, 0.22],
            )
            if any(line.is_manual for line in lines):
                doc.paragraph(HAND_NOTE, italic=True, indent=False)
    _closing(doc, blocks_for(report.unit, parent, organization), header)
    return doc.to_bytes()


def consolidation_docx(
    cons: Consolidation,
    indicators: list[Indicator],
    *,
    parent: Unit | None,
    organization: Organization | None,
    day: dt.date,
    progress: Progress = _no_progress,
) -> bytes:
    """A parent's consolidation: the totals, then every child with where its figures come from
    (its submitted report, or "số liệu tạm tính, chưa nộp")."""
    doc = _document(
        cons.period,
        cons.unit,
        parent,
        organization,
        day,
        "",
        f"Tổng hợp kết quả thực hiện Quy định 124-QĐ/TW {cons.period.title}",
    )
    total = len(cons.children) + 1
    doc.heading("I. SỐ LIỆU TỔNG HỢP")
    rows = [
        [str(i), ind.label, ind.unit_of_measure, str(cons.totals.get(ind.code, 0))]
        for i, ind in enumerate(indicators, start=1)
    ]
    doc.table(["STT", "Chỉ tiêu", "Đơn vị tính", "Tổng số"], rows, widths=[0.08, 0.56, 0.18, 0.18])
    if cons.live_children:
        doc.paragraph(
            f"Số liệu tổng hợp có phần của {len(cons.live_children)} đơn vị chưa nộp "
            f"báo cáo: phần đó là {LIVE_MARK}, lấy từ hồ sơ trong hệ thống.",
            italic=True,
            indent=False,
        )
    progress(1, total)
    doc.heading("II. TÌNH HÌNH NỘP BÁO CÁO CỦA CÁC ĐƠN VỊ")
    child_rows = []
    for index, child in enumerate(cons.children, start=1):
        child_rows.append(
            [
                str(index),
                child.unit.name,
                _status_text(child.status),
                "Nộp muộn" if child.is_late else "",
                "Theo báo cáo đã nộp" if child.source == "report" else LIVE_MARK,
            ]
        )
        progress(index + 1, total)
    if child_rows:
        doc.table(
            ["STT", "Đơn vị", "Tình trạng", "Thời hạn", "Nguồn số liệu"],
            child_rows,
            widths=[0.08, 0.32, 0.22, 0.14, 0.24],
        )
    else:
        doc.paragraph("Đơn vị không có đơn vị cấp dưới phải báo cáo.")
    _closing(doc, blocks_for(cons.unit, parent, organization), {})
    return doc.to_bytes()


def _document(
    period: ReportPeriod,
    unit: Unit,
    parent: Unit | None,
    organization: Organization | None,
    day: dt.date,
    number: str,
    summary: str,
) -> AdminDocument:
    blocks = blocks_for(unit, parent, organization)
    number = number.strip()
    if number and not number.lower().startswith("số"):
        number = f"Số: {number}"
    return blocks.document(
        unit,
        number=number or f"Số:      /{blocks.symbol}",
        day=day,
        doc_type="BÁO CÁO",
        summary=summary,
    )


def _closing(doc: AdminDocument, blocks: IssuerBlocks, header: dict) -> None:
    signer = blocks.signer(header.get("signer_title") or "", header.get("signer_name") or "")
    doc.closing(list(blocks.recipients), signer, archive=blocks.archive)


# --- XLSX -----------------------------------------------------------------------------------


REPORT_COLUMNS = (
    Column("STT", "number"),
    Column("Nhóm"),
    Column("Chỉ tiêu", wrap=True),
    Column("Đơn vị tính"),
    Column("Số liệu báo cáo", "number"),
    Column("Số tính từ hồ sơ", "number"),
    Column("Nhập tay"),
    Column("Ghi chú", wrap=True),
    Column("Cách tính", wrap=True),
    Column("Mã chỉ tiêu", is_code=True),
)


def _group(indicator: Indicator) -> str:
    label = GROUP_LABELS.get(indicator.group_code)
    return vietnamese(label) if label is not None else indicator.group_code


def _period_line(period: ReportPeriod, unit: Unit) -> str:
    return f"{unit.name} — từ {period.starts_on:%d/%m/%Y} đến {period.ends_on:%d/%m/%Y}"


def report_xlsx(report: Report, lines: list[ReportLine]) -> bytes:
    """Sheet "Số liệu": one row per indicator by its Vietnamese name, the computed value beside
    a hand entry and how it is computed (the indicator code last, hidden); sheet "Nội dung":
    the narrative sections."""
    figures = SheetSpec(
        "Số liệu",
        REPORT_COLUMNS,
        [
            (
                index,
                _group(line.indicator),
                line.indicator.label,
                line.indicator.unit_of_measure,
                line.value,
                line.computed_value,
                "có" if line.is_manual else "",
                line.note,
                "Nhập tay" if line.indicator.is_manual else line.indicator.method,
                line.indicator.code,
            )
            for index, line in enumerate(lines, start=1)
        ],
        heading=(
            f"BÁO CÁO KẾT QUẢ GIÁM SÁT {report.period.title.upper()}",
            f"{_period_line(report.period, report.unit)} — {_status_text(report.status.value)}",
        ),
    )
    narrative = (report.snapshot or {}).get("narrative") or {
        name: getattr(report, name) for name in NARRATIVE_FIELDS
    }
    text = SheetSpec(
        "Nội dung",
        (Column("Phần"), Column("Nội dung", wrap=True)),
        [(vietnamese(label), narrative.get(name, "")) for name, label, _help in NARRATIVE],
    )
    return sheets_bytes(figures, text)


def consolidation_xlsx(
    cons: Consolidation, indicators: list[Indicator], *, progress: Progress = _no_progress
) -> bytes:
    """Sheet "Tổng hợp": indicators × (total, the unit itself, residential areas, each child);
    a child that has not submitted has "(số liệu tạm tính, chưa nộp)" in its column title, the
    indicator code is the last, hidden column. Sheet "Tình hình nộp": one row per child."""
    columns = [
        Column("Chỉ tiêu", wrap=True),
        Column("Đơn vị tính"),
        Column("Tổng số", "number"),
        Column("Của đơn vị", "number"),
        Column("Các khu dân cư", "number"),
    ]
    columns += [
        Column(
            normalise_spaces(child.unit.name)
            + ("" if child.source == "report" else f" ({LIVE_MARK})"),
            "number",
        )
        for child in cons.children
    ]
    columns.append(Column("Mã chỉ tiêu", is_code=True))
    table: list[list] = [
        [ind.label for ind in indicators],
        [ind.unit_of_measure for ind in indicators],
        [cons.totals.get(ind.code, 0) for ind in indicators],
        [cons.own.get(ind.code, 0) for ind in indicators],
        [cons.areas.get(ind.code, 0) for ind in indicators],
    ]
    total = len(cons.children) + 1
    for index, child in enumerate(cons.children, start=1):
        table.append([child.figures.get(ind.code, 0) for ind in indicators])
        progress(index, total)
    table.append([ind.code for ind in indicators])
    figures = SheetSpec(
        "Tổng hợp",
        columns,
        list(zip(*table, strict=True)),
        heading=(
            f"TỔNG HỢP KẾT QUẢ GIÁM SÁT {cons.period.title.upper()}",
            _period_line(cons.period, cons.unit),
        ),
    )
    status = SheetSpec(
        "Tình hình nộp",
        (
            Column("Đơn vị"),
            Column("Tình trạng"),
            Column("Ngày nộp", "date"),
            Column("Nộp muộn"),
            Column("Nguồn số liệu"),
            Column("Mã đơn vị", is_code=True),
        ),
        [
            (
                normalise_spaces(child.unit.name),
                _status_text(child.status),
                child.report.first_submitted_at if child.report else None,
                "có" if child.is_late else "",
                "Theo báo cáo đã nộp" if child.source == "report" else LIVE_MARK,
                child.unit.official_code or str(child.unit.id),
            )
            for child in cons.children
        ],
    )
    data = sheets_bytes(figures, status)
    progress(total, total)
    return data
