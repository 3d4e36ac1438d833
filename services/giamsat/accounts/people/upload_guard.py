"""The checks an uploaded XLSX passes before openpyxl parses it: size, zip bomb, row count.

An XLSX is a zip of XML; a small file can unpack to gigabytes. The zip directory is read (not
the members), then openpyxl opens it read-only and rows are counted with a cap."""

from __future__ import annotations

import io
import zipfile

from giamsat.core.errors import ValidationFailed

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 30 * 1024 * 1024
#: Deflate rarely shrinks spreadsheet XML more than ~50×; a bomb shrinks by thousands.
MAX_RATIO = 200
MAX_ROWS = 2000


def check_xlsx(data: bytes, *, field: str = "file", max_rows: int = MAX_ROWS) -> list[tuple]:
    """The rows of the first sheet (values only), or ValidationFailed saying what is wrong."""
    if not data:
        raise ValidationFailed("Hãy chọn tệp Excel (.xlsx) cần nhập.", field=field)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationFailed("Tệp lớn quá 2 MB. Hãy chia thành nhiều tệp nhỏ hơn.", field=field)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationFailed(
            "Tệp không phải là bảng tính Excel (.xlsx). Hãy lưu lại bằng Excel rồi gửi.",
            field=field,
        ) from None
    unpacked = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if unpacked > MAX_UNCOMPRESSED_BYTES or unpacked / packed > MAX_RATIO:
        raise ValidationFailed(
            "Tệp bung ra quá lớn so với kích thước của nó; hệ thống không mở tệp này.",
            field=field,
        )
    return _rows(data, field, max_rows)


def _rows(data: bytes, field: str, max_rows: int) -> list[tuple]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise ValidationFailed(
            "Không đọc được tệp Excel này. Hãy dùng tệp mẫu của hệ thống.", field=field
        ) from None
    try:
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(row)
            if len(rows) > max_rows + 1:
                raise ValidationFailed(
                    f"Tệp có hơn {max_rows} dòng. Hãy chia thành nhiều tệp.", field=field
                )
        return rows
    finally:
        book.close()


def safe_cell(value):
    """A cell value that no spreadsheet runs as a formula (= + - @ and control starts)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
