"""DOCX in the administrative document layout of Decree 30/2020/NĐ-CP (DOMAIN.md §9).

    doc = AdminDocument(issuer="BAN THƯỜNG TRỰC ỦY BAN MTTQ XÃ AN BÌNH",
                        issuer_parent="ỦY BAN MTTQ VIỆT NAM TỈNH NINH BÌNH",
                        number=document_number(5, "BB-MTTQ"), place="An Bình",
                        day=dt.date(2026, 2, 5), doc_type="BIÊN BẢN", summary="Mở hòm thư góp ý")
    doc.paragraph("Hôm nay, …")
    doc.signatures([Signer("CHỦ TỊCH", "Nguyễn Văn A", authority="TM. BAN THƯỜNG TRỰC")])
    doc.recipients(["Ban Thường trực UBMTTQ tỉnh (để b/c)"], archive="Lưu: VT, MTTQ")
    doc.save(stream)

A4 portrait, margins 20/20/30/15 mm, Times New Roman; the sizes are those of §9. Pure layout:
it knows nothing of tenants or domains (the reports helper reuses it).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import BinaryIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

#: The media type of every document built here.
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
#: Margins in mm (top, bottom, left, right), within the ranges of §9.
MARGINS_MM = (20, 20, 30, 15)
BODY_PT = 14
HEADER_PT = 13
#: Average glyph width of Times New Roman as a share of the font size, for the short lines.
_GLYPH_EM = 0.5
_LEFT_SHARE = 0.42  # of the text width: the issuer column of the header


def document_number(seq: int, symbol: str) -> str:
    """ "Số: 05/BB-MTTQ": numbers below 10 padded with 0, the symbol in capitals (ô 3)."""
    return f"Số: {seq:02d}/{symbol.upper()}"


def place_and_date(place: str, day: dt.date) -> str:
    """ "An Bình, ngày 05 tháng 02 năm 2026": day < 10 and months 1–2 padded (ô 4)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


@dataclass(frozen=True)
class Signer:
    """One signature column: authority (TM./KT./Q./TL.), title, then the name after the space
    left for the signature."""

    title: str
    name: str
    authority: str = ""


class AdminDocument:
    """One administrative document being built; call the parts in reading order, then `save`."""

    def __init__(
        self,
        *,
        issuer: str,
        doc_type: str,
        day: dt.date,
        place: str,
        issuer_parent: str = "",
        number: str = "",
        summary: str = "",
        landscape: bool = False,
    ):
        self.document = Document()
        self._setup_page(landscape)
        self._setup_styles()
        self._header(issuer_parent.upper(), issuer.upper(), number, place_and_date(place, day))
        self._title(doc_type.upper(), summary)

    # -- page and styles ------------------------------------------------------------------
    @property
    def text_width(self) -> int:
        section = self.document.sections[0]
        # _setup_page sets all three, so none is None here.
        return (
            int(section.page_width or 0)
            - int(section.left_margin or 0)
            - int(section.right_margin or 0)
        )

    def _setup_page(self, landscape: bool) -> None:
        section = self.document.sections[0]
        width, height = Mm(210), Mm(297)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            width, height = height, width
        section.page_width, section.page_height = width, height
        top, bottom, left, right = MARGINS_MM
        section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
        section.left_margin, section.right_margin = Mm(left), Mm(right)
        section.header_distance = Mm(10)
        # Page numbers centred in the top margin, not on page 1.
        section.different_first_page_header_footer = True
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_field(paragraph.add_run(), HEADER_PT)

    def _setup_styles(self) -> None:
        normal = self.document.styles["Normal"]
        _set_font(normal.font, BODY_PT)
        normal.element.get_or_add_rPr()
        fmt = normal.paragraph_format
        fmt.space_before, fmt.space_after = Pt(0), Pt(6)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE

    # -- header, title --------------------------------------------------------------------
    def _header(self, parent: str, issuer: str, number: str, dated: str) -> None:
        table = self._layout_table(2, 2, [_LEFT_SHARE, 1 - _LEFT_SHARE])
        left, right = table.cell(0, 0), table.cell(0, 1)
        first = True
        if parent:
            self._cell_line(left, parent, size=HEADER_PT, first=first)
            first = False
        self._cell_line(left, issuer, size=HEADER_PT, bold=True, first=first)
        self._short_line(left, len(issuer.splitlines()[-1]), HEADER_PT, share=0.4)
        self._cell_line(right, NATIONAL_NAME, size=12, bold=True, first=True)
        self._cell_line(right, NATIONAL_MOTTO, size=HEADER_PT, bold=True)
        self._short_line(right, len(NATIONAL_MOTTO), HEADER_PT, share=1.0)
        if number:
            self._cell_line(table.cell(1, 0), number, size=HEADER_PT, first=True)
        self._cell_line(table.cell(1, 1), dated, size=HEADER_PT, italic=True, first=True)

    def _title(self, doc_type: str, summary: str) -> None:
        paragraph = self._line(doc_type, size=BODY_PT, bold=True, space_before=18)
        paragraph.paragraph_format.space_after = Pt(0)
        if summary:
            self._line(summary, size=BODY_PT, bold=True).paragraph_format.space_after = Pt(0)
        self._short_line(
            self.document, len(summary or doc_type), BODY_PT, share=0.4, width=self.text_width
        )

    # -- body ------------------------------------------------------------------------------
    def paragraph(
        self,
        text: str = "",
        *,
        italic: bool = False,
        bold: bool = False,
        indent: bool = True,
        align: str = "justify",
    ):
        """A body paragraph (ô 6): 14 pt, justified, first-line indent 1.27 cm, 6 pt after."""
        paragraph = self.document.add_paragraph()
        paragraph.alignment = _ALIGN[align]
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Cm(1.27) if indent else None
        fmt.space_after = Pt(6)
        fmt.line_spacing = 1.15
        if text:
            run = paragraph.add_run(text)
            _set_font(run.font, BODY_PT, bold=bold, italic=italic)
        return paragraph

    def paragraphs(self, text: str | None, *, when_empty: str | None = None) -> None:
        """One body paragraph per non-blank line of a text typed by a person."""
        lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
        for line in lines or ([when_empty] if when_empty else []):
            self.paragraph(line)

    def legal_bases(self, bases: list[str]) -> None:
        """Căn cứ lines in italic, each ending with ";" and the last with "."."""
        for index, base in enumerate(bases):
            end = "." if index == len(bases) - 1 else ";"
            self.paragraph(base.rstrip(";. ") + end, italic=True)

    def heading(self, text: str):
        """A bold run-in heading inside the body (e.g. "I. THÀNH PHẦN")."""
        return self.paragraph(text, bold=True, indent=False, align="left")

    def table(
        self,
        header: list[str],
        rows: list[list[str]],
        widths: list[float] | None = None,
        size: int = 13,
    ):
        """A bordered data table (13 pt, bold header row)."""
        table = self.document.add_table(rows=1 + len(rows), cols=len(header))
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for col, title in enumerate(header):
            self._cell_line(table.cell(0, col), title, size=size, bold=True, first=True)
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                self._cell_line(
                    table.cell(r, col),
                    str(value),
                    size=size,
                    first=True,
                    align="left" if col else "center",
                )
        if widths:
            _set_widths(table, [self.text_width * w for w in widths])
        return table

    # -- closing -----------------------------------------------------------------------------
    def signatures(self, signers: list[Signer], *, per_row: int = 2) -> None:
        """Signature columns (ô 7): authority and title bold capitals, space, name bold."""
        if not signers:
            return
        per_row = max(1, min(per_row, len(signers)))
        rows = -(-len(signers) // per_row)
        table = self._layout_table(rows, per_row, [1 / per_row] * per_row, space_before=12)
        for index, signer in enumerate(signers):
            self._signature(table.cell(index // per_row, index % per_row), signer)

    def closing(self, recipients: list[str], signer: Signer, *, archive: str) -> None:
        """The usual end: "Nơi nhận" on the left, one signature on the right (ô 7, ô 9b)."""
        table = self._layout_table(1, 2, [0.45, 0.55], space_before=12)
        self._recipients_into(table.cell(0, 0), recipients, archive)
        self._signature(table.cell(0, 1), signer)

    def recipients(self, recipients: list[str], *, archive: str) -> None:
        """ "Nơi nhận:" alone (when the signatures are already placed above)."""
        table = self._layout_table(1, 1, [0.5], space_before=12)
        self._recipients_into(table.cell(0, 0), recipients, archive)

    def save(self, stream: BinaryIO) -> None:
        self.document.save(stream)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.save(out)
        return out.getvalue()

    # -- helpers --------------------------------------------------------------------------
    def _signature(self, cell, signer: Signer) -> None:
        first = True
        if signer.authority:
            self._cell_line(cell, signer.authority.upper(), size=BODY_PT, bold=True, first=True)
            first = False
        self._cell_line(cell, signer.title.upper(), size=BODY_PT, bold=True, first=first)
        spacer = self._cell_line(cell, "", size=BODY_PT)
        spacer.paragraph_format.space_after = Pt(60)  # room for the signature and seal
        self._cell_line(cell, signer.name, size=BODY_PT, bold=True)

    def _recipients_into(self, cell, recipients: list[str], archive: str) -> None:
        self._cell_line(
            cell, "Nơi nhận:", size=12, bold=True, italic=True, first=True, align="left"
        )
        for item in recipients:
            self._cell_line(cell, f"- {item.strip().rstrip(';.')};", size=11, align="left")
        self._cell_line(
            cell, f"- {archive.strip().removeprefix('- ').rstrip('.')}.", size=11, align="left"
        )

    def _layout_table(self, rows: int, cols: int, shares: list[float], space_before: int = 0):
        """A borderless table used only to place blocks side by side."""
        if space_before:
            self.document.add_paragraph().paragraph_format.space_after = Pt(space_before - 6)
        table = self.document.add_table(rows=rows, cols=cols)
        table.autofit = False
        _set_widths(table, [self.text_width * s for s in shares])
        return table

    def _line(
        self,
        text: str,
        *,
        size: int,
        bold=False,
        italic=False,
        align="center",
        space_before: int = 0,
    ):
        paragraph = self.document.add_paragraph()
        paragraph.alignment = _ALIGN[align]
        paragraph.paragraph_format.space_before = Pt(space_before)
        _set_font(paragraph.add_run(text).font, size, bold=bold, italic=italic)
        return paragraph

    @staticmethod
    def _cell_line(
        cell, text: str, *, size: int, bold=False, italic=False, first=False, align="center"
    ):
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        paragraph.alignment = _ALIGN[align]
        fmt = paragraph.paragraph_format
        fmt.space_after, fmt.first_line_indent = Pt(0), None
        if text:
            _set_font(paragraph.add_run(text).font, size, bold=bold, italic=italic)
        return paragraph

    def _short_line(self, container, chars: int, size: int, *, share: float, width=None):
        """A centred solid line `share` × the text's estimated length (the lines under the
        issuer, the motto and the summary), drawn as the bottom border of an empty paragraph."""
        width = width if width is not None else container.width
        length = min(int(Pt(size * _GLYPH_EM) * chars * share), int(width * 0.9))
        side = max(0, (int(width) - length) // 2)
        paragraph = container.add_paragraph()
        _bottom_border(paragraph)  # first: python-docx inserts its own pPr children in order
        fmt = paragraph.paragraph_format
        fmt.left_indent, fmt.right_indent = side, side
        fmt.space_after, fmt.first_line_indent = Pt(6), None
        fmt.line_spacing = Pt(2)
        return paragraph


_ALIGN = {
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def _set_font(font, size: int, *, bold=False, italic=False) -> None:
    font.name = FONT
    font.size = Pt(size)
    font.bold, font.italic = bold or None, italic or None
    # Vietnamese and complex-script runs must use the same face (TCVN 6909 Unicode).
    rpr = font.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _set_widths(table, widths) -> None:
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = int(width)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = int(width)


def _bottom_border(paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def _page_field(run, size: int) -> None:
    _set_font(run.font, size)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
