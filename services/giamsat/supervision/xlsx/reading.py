"""Reading an uploaded list: the checks and preview (nothing written), then the import of every
row or none."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.core import uploads
from giamsat.core.errors import DomainError, ValidationFailed
from giamsat.core.spreadsheets import FORMULA_START
from giamsat.supervision import queries
from giamsat.supervision.models import SupervisedPerson
from giamsat.supervision.operations import clean_person_fields, create_person, writable_unit
from giamsat.supervision.xlsx.layout import (
    BY_HEADER,
    COLUMNS,
    LEVELS,
    MANAGEMENT_LEVEL_LABELS,
    NO,
    TIER_LABELS,
    TIERS,
    YES,
    Column,
    plain,
)
from giamsat.units.models import Unit, UnitLevel
from giamsat.units.queries import get_unit, visible_units_clause

#: Largest file and row count accepted: a commune's list is a few hundred rows.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
#: What the list may inflate to (a few thousand rows are a few MB of XML).
MAX_UNCOMPRESSED = 40 * 1024 * 1024
#: The header row must be among the first rows (a title may sit above it).
HEADER_SEARCH_ROWS = 10
OLE = "application/x-ole-storage"

NOT_A_SPREADSHEET = (
    "Tệp này không phải bảng tính Excel (.xlsx). Nếu danh sách đang ở dạng "
    ".csv hoặc .xls, hãy mở bằng Excel rồi chọn Lưu thành “Sổ làm việc Excel "
    "(.xlsx)”, hoặc dùng tệp mẫu tải về từ trang này."
)
OLD_XLS = (
    "Tệp này là định dạng Excel cũ (.xls). Hãy mở bằng Excel rồi chọn Lưu thành "
    "“Sổ làm việc Excel (.xlsx)” và tải lại."
)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] in FORMULA_START:
        value = value[1:]  # our own export wrote formula-like text so (core.spreadsheets)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


@dataclass
class ParsedRow:
    """One data row: its line number in the sheet and the person fields read from it."""

    line: int
    values: dict[str, Any]


@dataclass
class ImportPreview:
    rows: list[ParsedRow] = field(default_factory=list)
    #: Row-by-row errors in Vietnamese, "Dòng 7: …". Any error → nothing is imported.
    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.rows)


def list_policy() -> uploads.Policy:
    """Read at call time, so a test can lower the row cap."""
    return uploads.Policy(
        accepted=frozenset({uploads.XLSX, uploads.XLS, OLE}),
        max_bytes=MAX_FILE_BYTES,
        max_label=f"{MAX_FILE_BYTES // (1024 * 1024)} MB",
        accepted_sentence=NOT_A_SPREADSHEET,
        max_rows=MAX_ROWS,
        max_uncompressed=MAX_UNCOMPRESSED,
        default_name="danh-sach.xlsx",
    )


@contextmanager
def checked_list(fileobj: IO[bytes], filename: str | None = None) -> Iterator[uploads.CheckedFile]:
    """The uploaded list through the upload door: an XLSX on disk, guarded against inflating
    past its limits, for the block."""
    with uploads.checked(fileobj, filename, list_policy()) as upload:
        if upload.content_type != uploads.XLSX:  # OLE2: the old binary .xls
            raise uploads.Refusal(upload.name, _lower_first(OLD_XLS))
        yield upload


def _open_rows(path: str) -> list[tuple]:
    try:
        # A handle, not the path: openpyxl judges a path by its extension (a temporary has none).
        with warnings.catch_warnings(), open(path, "rb") as handle:
            # Files saved by other spreadsheet programs carry styles openpyxl only warns about.
            warnings.simplefilter("ignore", UserWarning)
            workbook = load_workbook(handle, read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                rows = []
                for row in sheet.iter_rows(values_only=True):
                    rows.append(row)
                    if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                        raise ValidationFailed(
                            f"Danh sách dài quá {MAX_ROWS} dòng. Hãy chia thành nhiều tệp.",
                            field="file",
                        )
            finally:
                workbook.close()
    except DomainError:
        raise
    # A renamed zip, a broken or foreign file fails in many ways; the user needs one message.
    except Exception:  # noqa: BLE001
        raise ValidationFailed(NOT_A_SPREADSHEET, field="file") from None
    return rows


def _find_header(rows: list[tuple]) -> tuple[int, dict[int, Column]]:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = [plain(cell_text(v)) for v in row]
        if not any(BY_HEADER.get(n) is not None and BY_HEADER[n].key == "full_name" for n in names):
            continue
        columns: dict[int, Column] = {}
        unknown = []
        for position, name in enumerate(names):
            if not name:
                continue
            column = BY_HEADER.get(name)
            if column is None:
                unknown.append(cell_text(row[position]))
            elif column in columns.values():
                raise ValidationFailed(
                    f"Cột “{column.header}” xuất hiện hai lần ở dòng tiêu đề. Hãy xóa một cột.",
                    field="file",
                )
            else:
                columns[position] = column
        missing = [c.header for c in COLUMNS if c.required and c not in columns.values()]
        if missing or unknown:
            parts = []
            if missing:
                parts.append("thiếu cột " + ", ".join(f"“{m}”" for m in missing))
            if unknown:
                parts.append("có cột không nhận ra " + ", ".join(f"“{u}”" for u in unknown))
            raise ValidationFailed(
                f"Dòng tiêu đề (dòng {index + 1}) "
                + "; ".join(parts)
                + ". Các cột dùng được: "
                + ", ".join(c.header for c in COLUMNS)
                + ". Hãy dùng tệp mẫu.",
                field="file",
            )
        return index, columns
    if not any(cell_text(v) for row in rows for v in row):
        raise ValidationFailed("Bảng tính trống: trang đầu tiên không có dữ liệu.", field="file")
    raise ValidationFailed(
        "Không tìm thấy dòng tiêu đề có cột “Họ và tên” trong 10 dòng đầu "
        "của trang đầu tiên. Hãy dùng tệp mẫu.",
        field="file",
    )


def _year(raw: Any) -> int | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, (dt.date, dt.datetime)):
        return raw.year
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = cell_text(raw)
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    raise ValueError


def _row_values(line: int, cells: dict[str, Any], errors: list[str]) -> dict[str, Any] | None:
    """Turn one row's cells into person fields; append "Dòng N: …" errors."""
    values: dict[str, Any] = {}
    before = len(errors)

    def bad(message: str) -> None:
        errors.append(f"Dòng {line}: {message}")

    for key in (
        "full_name",
        "position",
        "workplace_agency",
        "workplace_unit",
        "residence",
        "notes",
    ):
        values[key] = cell_text(cells.get(key))
    if not values["full_name"]:
        bad("chưa có họ và tên.")
    try:
        values["birth_year"] = _year(cells.get("birth_year"))
    except ValueError:
        bad(
            f"năm sinh ‘{cell_text(cells.get('birth_year'))}’ không hợp lệ (cần 4 chữ số, "
            "ví dụ 1975)."
        )
    tier_text = cell_text(cells.get("tier"))
    tier = TIERS.get(plain(tier_text))
    if tier is None:
        bad(
            f"đối tượng ‘{tier_text}’ không hợp lệ; ghi một trong: "
            + ", ".join(TIER_LABELS.values())
            + "."
            if tier_text
            else "chưa ghi đối tượng (" + ", ".join(TIER_LABELS.values()) + ")."
        )
    values["tier"] = tier
    level_text = cell_text(cells.get("management_level"))
    level_key = re.sub(r"^thuoc dien ", "", plain(level_text))
    level_key = re.sub(r" quan ly$", "", level_key)
    level = LEVELS.get(plain(level_text), LEVELS.get(level_key))
    if level is None:
        bad(
            f"diện quản lý ‘{level_text}’ không nhận ra; ghi một trong: "
            + ", ".join(MANAGEMENT_LEVEL_LABELS.values())
            + "."
        )
    values["management_level"] = level
    member_text = cell_text(cells.get("is_party_member"))
    member = plain(member_text)
    if member in YES:
        values["is_party_member"] = True
    elif member in NO:
        values["is_party_member"] = False
    else:
        bad(f"cột Đảng viên ghi ‘{member_text}’; hãy ghi “có” hoặc “không”.")
    return values if len(errors) == before else None


def _lower_first(message: str) -> str:
    return message[:1].lower() + message[1:]


def _residence_areas(session: Session, principal, unit: Unit) -> dict[str, int | None]:
    """Folded names of the residential areas in the unit's subtree → id (None if ambiguous)."""
    areas = session.execute(
        select(Unit.id, Unit.name)
        .join(Unit.level)
        .where(
            UnitLevel.is_residential_area.is_(True),
            Unit.valid_to.is_(None),
            Unit.path.startswith(unit.path),
            visible_units_clause(principal),
        )
    )
    by_name: dict[str, int | None] = {}
    for area_id, name in areas:
        key = queries.fold(name)
        by_name[key] = None if key in by_name else area_id
    return by_name


def preview_people_import(
    session: Session, principal, *, unit_id: int, fileobj: IO[bytes], filename: str | None = None
) -> ImportPreview:
    """Read and check an uploaded list without writing anything.

    A file that cannot be read at all (not a spreadsheet, empty, wrong columns) raises one
    ValidationFailed on field "file"; problems in rows come back as `errors`, one per problem,
    including duplicates within the file and against the unit's register."""
    unit = get_unit(session, unit_id, principal)
    with checked_list(fileobj, filename) as upload:
        rows = _open_rows(upload.path)
    header_index, columns = _find_header(rows)
    data_rows = [
        (line, row)
        for line, row in enumerate(rows[header_index + 1 :], start=header_index + 2)
        if any(cell_text(v) for v in row)
    ]
    if len(data_rows) > MAX_ROWS:
        raise ValidationFailed(
            f"Danh sách dài quá {MAX_ROWS} dòng. Hãy chia thành nhiều tệp.", field="file"
        )
    preview = ImportPreview()
    areas = _residence_areas(session, principal, unit)
    existing = queries.existing_keys(session, unit.id)
    seen: dict[tuple, int] = {}
    for offset, row in data_rows:
        cells = {col.key: row[pos] for pos, col in columns.items() if pos < len(row)}
        if not any(cell_text(v) for k, v in cells.items() if k != "stt"):
            continue  # blank line, or a pre-numbered empty line of the template
        values = _row_values(offset, cells, preview.errors)
        if values is None:
            continue
        area_id = areas.get(queries.fold(values["residence"])) if values["residence"] else None
        if area_id is not None:
            values["residence_area_id"] = area_id
        try:
            values = clean_person_fields(session, principal, values)
        except DomainError as error:
            preview.errors.append(f"Dòng {offset}: {_lower_first(error.message)}")
            continue
        key = (
            queries.fold(values["full_name"]),
            values["birth_year"],
            queries.fold(values["workplace_agency"]),
        )
        if key in seen:
            preview.errors.append(
                f"Dòng {offset}: trùng với dòng {seen[key]} (cùng họ tên, năm "
                "sinh và cơ quan công tác)."
            )
            continue
        seen[key] = offset
        if key in existing:
            preview.errors.append(
                f"Dòng {offset}: “{values['full_name']}” đã có trong danh sách "
                "giám sát của đơn vị (cùng họ tên, năm sinh và cơ quan công "
                "tác)."
            )
            continue
        preview.rows.append(ParsedRow(offset, values))
    if not preview.rows and not preview.errors:
        raise ValidationFailed(
            "Tệp chỉ có dòng tiêu đề, chưa có người nào trong danh sách.", field="file"
        )
    return preview


def import_people(
    session: Session, principal, *, unit_id: int, fileobj, filename: str | None = None
) -> list[SupervisedPerson]:
    """Import every person of an uploaded list, or none.

    The file is checked exactly as the preview checks it; any row error raises one
    ValidationFailed whose `errors["file"]` lists every problem ("Dòng 7: …") and nothing is
    written. Each person created is audited with action "import"."""
    unit = writable_unit(session, principal, unit_id)
    preview = preview_people_import(
        session, principal, unit_id=unit.id, fileobj=fileobj, filename=filename
    )
    if preview.errors:
        raise ValidationFailed(
            f"Tệp có {len(preview.errors)} lỗi nên chưa nhập người nào. Hãy sửa các dòng được "
            "nêu rồi tải lại.",
            errors={"file": preview.errors},
        )
    people = []
    # A savepoint: should any row still fail (a concurrent insert), none of them stay.
    with session.begin_nested():
        for row in preview.rows:
            people.append(
                create_person(session, principal, unit_id=unit.id, action="import", **row.values)
            )
    return people
