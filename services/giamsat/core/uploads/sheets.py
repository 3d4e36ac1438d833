"""ZIP containers (spreadsheets, office documents, archives): bound what inflating one may cost
before anybody does it.

The central directory states every member's uncompressed size, and Python's zipfile (which
openpyxl reads through) never inflates a member past its stated size, so the sum of those sizes
bounds the work. The first sheet's `<dimension ref="A1:K5000"/>`, when the writer put one, gives
the row count without parsing the rows; the reader still stops at its own row cap."""

from __future__ import annotations

import re
import zipfile

from giamsat.core.uploads import refusals

#: A commune's list of a few thousand rows is a few MB of XML.
MAX_UNCOMPRESSED = 40 * 1024 * 1024
MAX_MEMBERS = 2000
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]{1,3}\d+(?::[A-Z]{1,3}(\d+))?"')


def _first_sheet(names: list[str]) -> str | None:
    sheets = sorted(
        (n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)),
        key=lambda n: int(re.sub(r"\D", "", n)),
    )
    return sheets[0] if sheets else None


def guard_archive(path: str, *, name: str, field: str, max_uncompressed: int) -> list[str]:
    """Refuse a ZIP container (XLSX, DOCX, ZIP…) that would inflate past `max_uncompressed`
    or holds absurdly many members; its member names otherwise ([] when unreadable)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return []  # broken: whoever reads it says so in its own words
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > max_uncompressed:
        raise refusals.zip_bomb(name, field, max_uncompressed // (1024 * 1024))
    return [m.filename for m in members]


def guard_spreadsheet(
    path: str, *, name: str, field: str, max_rows: int, max_uncompressed: int = MAX_UNCOMPRESSED
) -> None:
    """Refuse an XLSX that would inflate past `max_uncompressed` or declares too many rows."""
    names = guard_archive(path, name=name, field=field, max_uncompressed=max_uncompressed)
    sheet = _first_sheet(names)
    if sheet is None:
        return  # not laid out as a workbook: the reader says so in its own words
    try:
        with zipfile.ZipFile(path) as archive, archive.open(sheet) as xml:
            head = xml.read(4096)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError):
        return
    match = _DIMENSION.search(head)
    if match and match.group(1) and int(match.group(1)) > max_rows + 20:
        raise refusals.too_many_rows(name, field, max_rows)
