"""The national consolidation as XLSX (Vietnamese headers, frozen header row) and as DOCX in the
Decree 30/2020 layout (core.admin_docx). Figures and counts only: the national view holds no
case, person or reporter, so neither file can."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from giamsat.core.admin_docx import CONTENT_TYPE as DOCX_MIMETYPE
from giamsat.core.admin_docx import AdminDocument, Signer
from giamsat.core.spreadsheets import neutral, workbook_bytes
from giamsat.reports.indicators import IndicatorSpec, load_catalogue
from giamsat.reports.labels import STATUS_LABELS, vietnamese
from giamsat.reports.national.read import NationalView, ProvinceLine

ISSUER_PARENT = "ỦY BAN TRUNG ƯƠNG MẶT TRẬN TỔ QUỐC VIỆT NAM"
ISSUER = "BAN THƯỜNG TRỰC"
PLACE = "Hà Nội"
SYMBOL = "BC-MTTW"
RECIPIENTS = (
    "Ban Bí thư Trung ương Đảng (để báo cáo)",
    "Ủy ban MTTQ Việt Nam các tỉnh, thành phố (để biết)",
)
ARCHIVE = "Lưu: VT, Ban DCGS&PBXH"
__all__ = ["DOCX_MIMETYPE", "national_docx", "national_xlsx"]
NO_SUMMARY = "Chưa có số liệu tổng hợp"


def indicators(view: NationalView) -> list[IndicatorSpec]:
    """The computed indicators of the shipped catalogue, in its order, plus any code a tenant
    reports that the catalogue no longer has (shown by its code)."""
    specs = [s for s in load_catalogue() if not s.is_manual]
    known = {s.code for s in specs}
    seen = (
        set(view.totals).union(*view.by_organization.values())
        if view.by_organization
        else set(view.totals)
    )
    extra = sorted(seen - known)
    return specs + [IndicatorSpec(c, "", c, "", "unknown") for c in extra]


def file_name(view: NationalView, extension: str) -> str:
    """ASCII-safe, e.g. "tong-hop-toan-quoc-quy-i-nam-2026.xlsx"."""
    text = f"tong hop toan quoc {view.title}".replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:120] + f".{extension}"


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def province_status_text(line: ProvinceLine) -> str:
    c = line.completeness
    if c is None:
        return NO_SUMMARY
    status = STATUS_LABELS.get(c.province_status)
    text = vietnamese(status) if status is not None else c.province_status
    return text + (" — nộp muộn" if c.province_is_late else "")


def completeness_cells(line: ProvinceLine) -> list:
    c = line.completeness
    if c is None:
        return ["", "", "", "", "", "", "", NO_SUMMARY]
    return [
        c.expected,
        c.submitted,
        c.accepted,
        c.on_time,
        c.late,
        c.pending,
        c.missing,
        province_status_text(line),
    ]


COMPLETENESS_TITLES = [
    "Số đơn vị phải báo cáo",
    "Đã nộp",
    "Đã tiếp nhận",
    "Đúng hạn",
    "Nộp muộn",
    "Chưa nộp, còn hạn",
    "Quá hạn chưa nộp",
    "Báo cáo của tỉnh",
]


# --- XLSX -----------------------------------------------------------------------------------


def _header(sheet, row: int, titles: list[str], widths: list[int]) -> None:
    for column, (title, width) in enumerate(zip(titles, widths, strict=True), start=1):
        cell = sheet.cell(row=row, column=column, value=title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"A{row + 1}"  # by name: a cell() call would make row 2 exist


def national_xlsx(view: NationalView) -> bytes:
    """Sheets: "Toàn quốc" (indicator × national total and each province), "Theo tổ chức"
    (indicator × organization), "Tình hình nộp" (one row per province), "Xếp hạng" (provinces
    late or missing, in ranking order). The header row of each sheet is frozen."""
    specs = indicators(view)
    book = Workbook()
    sheet = book.active
    sheet.title = "Toàn quốc"
    titles = ["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Toàn quốc"]
    titles += [p.name for p in view.provinces]
    _header(sheet, 1, titles, [24, 48, 12, 14] + [14] * len(view.provinces))
    for spec in specs:
        row = [spec.code, spec.label, spec.unit, view.totals.get(spec.code, 0)]
        row += [p.figures.get(spec.code, 0) for p in view.provinces]
        sheet.append([neutral(v) for v in row])

    orgs = book.create_sheet("Theo tổ chức")
    codes = list(view.organizations)
    _header(
        orgs,
        1,
        ["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", *[view.organizations[c] for c in codes]],
        [24, 48, 12] + [18] * len(codes),
    )
    for spec in specs:
        row = [spec.code, spec.label, spec.unit]
        row += [view.by_organization[c].get(spec.code, 0) for c in codes]
        orgs.append([neutral(v) for v in row])

    status = book.create_sheet("Tình hình nộp")
    _header(
        status,
        1,
        ["Tỉnh, thành phố", "Mã tỉnh", *COMPLETENESS_TITLES],
        [28, 10, 14, 10, 12, 10, 10, 14, 14, 32],
    )
    for p in view.provinces:
        status.append([neutral(v) for v in [p.name, p.province_code, *completeness_cells(p)]])
    total = view.completeness
    status.append(
        [
            "Toàn quốc",
            "",
            total.expected,
            total.submitted,
            total.accepted,
            total.on_time,
            total.late,
            total.pending,
            total.missing,
            "",
        ]
    )
    status.cell(row=status.max_row, column=1).font = Font(bold=True)

    ranking = book.create_sheet("Xếp hạng")
    _header(
        ranking,
        1,
        ["Thứ tự", "Tỉnh, thành phố", "Quá hạn chưa nộp", "Nộp muộn", "Báo cáo của tỉnh"],
        [8, 28, 16, 12, 32],
    )
    for index, p in enumerate(view.ranking, start=1):
        c = p.completeness
        ranking.append(
            [
                neutral(v)
                for v in (
                    index,
                    p.name,
                    c.missing if c else "",
                    c.late if c else "",
                    province_status_text(p),
                )
            ]
        )
    return workbook_bytes(book)


# --- DOCX -----------------------------------------------------------------------------------


def national_docx(view: NationalView, *, day: dt.date) -> bytes:
    """BÁO CÁO of the central committee's standing board: I. national figures, II. by
    organization, III. the provinces' reporting, IV. provinces late or missing."""
    specs = indicators(view)
    doc = AdminDocument(
        issuer=ISSUER,
        issuer_parent=ISSUER_PARENT,
        number=f"Số:      /{SYMBOL}",
        place=PLACE,
        day=day,
        doc_type="BÁO CÁO",
        summary=f"Tổng hợp kết quả thực hiện Quy định 124-QĐ/TW toàn quốc {view.title}",
        landscape=True,
    )
    doc.paragraph(
        f"Số liệu tổng hợp từ số liệu cấp tỉnh của {len(view.provinces)} tỉnh, thành phố "
        f"trên hệ thống, tính đến ngày {view.today:%d/%m/%Y}."
    )
    doc.heading("I. SỐ LIỆU TỔNG HỢP TOÀN QUỐC")
    doc.table(
        ["STT", "Chỉ tiêu", "Đơn vị tính", "Toàn quốc"],
        [
            [str(i), s.label, s.unit, _number(view.totals.get(s.code, 0))]
            for i, s in enumerate(specs, start=1)
        ],
        widths=[0.07, 0.6, 0.15, 0.18],
    )
    doc.heading("II. SỐ LIỆU THEO TỔ CHỨC")
    codes = list(view.organizations)
    if codes:
        share = 0.5 / len(codes)
        doc.table(
            ["STT", "Chỉ tiêu", *[view.organizations[c] for c in codes]],
            [
                [str(i), s.label, *[_number(view.by_organization[c].get(s.code, 0)) for c in codes]]
                for i, s in enumerate(specs, start=1)
            ],
            widths=[0.07, 0.43] + [share] * len(codes),
            size=11,
        )
    else:
        doc.paragraph("Chưa có số liệu theo tổ chức.")
    doc.heading("III. TÌNH HÌNH NỘP BÁO CÁO CỦA CÁC TỈNH, THÀNH PHỐ")
    doc.table(
        ["STT", "Tỉnh, thành phố", *COMPLETENESS_TITLES],
        [
            [str(i), p.name, *[str(v) for v in completeness_cells(p)]]
            for i, p in enumerate(view.provinces, start=1)
        ],
        widths=[0.05, 0.17, 0.09, 0.07, 0.08, 0.07, 0.07, 0.09, 0.09, 0.22],
        size=11,
    )
    doc.heading("IV. CÁC TỈNH, THÀNH PHỐ CÒN ĐƠN VỊ NỘP MUỘN HOẶC CHƯA NỘP")
    if view.ranking:
        doc.table(
            ["Thứ tự", "Tỉnh, thành phố", "Quá hạn chưa nộp", "Nộp muộn", "Báo cáo của tỉnh"],
            [
                [
                    str(i),
                    p.name,
                    str(p.completeness.missing) if p.completeness else "",
                    str(p.completeness.late) if p.completeness else "",
                    province_status_text(p),
                ]
                for i, p in enumerate(view.ranking, start=1)
            ],
            widths=[0.08, 0.3, 0.16, 0.12, 0.34],
        )
    else:
        doc.paragraph("Các tỉnh, thành phố đều nộp báo cáo đúng hạn.")
    doc.closing(
        list(RECIPIENTS),
        Signer("PHÓ CHỦ TỊCH", "", authority="TM. BAN THƯỜNG TRỰC"),
        archive=ARCHIVE,
    )
    return doc.to_bytes()
