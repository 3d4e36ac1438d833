"""The XLSX list of people under supervision: template, export, and the checked import.

Layout (first sheet; a title may sit above the header row, which must be among the first 10):

| column            | content                                                          | needed |
| ----------------- | ---------------------------------------------------------------- | ------ |
| STT               | running number, ignored                                          |        |
| Họ và tên         | full name                                                        | yes    |
| Năm sinh          | 4-digit year, may be empty                                       |        |
| Chức vụ           | position                                                         | yes    |
| Đối tượng         | Người đứng đầu / Cán bộ chủ chốt / Cán bộ, đảng viên              | yes    |
| Cơ quan công tác  | agency                                                           | yes    |
| Đơn vị            | department inside the agency                                     |        |
| Nơi cư trú        | residential area (matched by name to the unit's areas) or address |        |
| Diện quản lý      | e.g. “Ban Thường vụ Tỉnh ủy quản lý”; empty = Khác                 |        |
| Đảng viên         | có / không (empty = không)                                       |        |
| Ghi chú           | notes                                                            |        |

Headers are matched without diacritics, case or text in brackets, so “Ho va ten” and
“Đảng viên (có/không)” are accepted.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import warnings
from dataclasses import dataclass, field
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.core.errors import DomainError, ValidationFailed
from giamsat.supervision import queries
from giamsat.supervision.operations import clean_person_fields, create_person, writable_unit
from giamsat.supervision import labels
from giamsat.supervision.models import (
    ManagementLevel,
    PersonTier,
    SupervisedPerson,
)
from giamsat.units.models import Unit, UnitLevel
from giamsat.units.queries import get_unit, visible_units_clause

#: Largest file and row count accepted: a commune's list is a few hundred rows.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
#: The header row must be among the first rows (a title may sit above it).
HEADER_SEARCH_ROWS = 10
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    required: bool = False
    #: Other accepted spellings, already folded (no diacritics, lowercase).
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column("stt", "STT", 6, aliases=("so tt", "so thu tu", "tt")),
    Column("full_name", "Họ và tên", 28, True, ("ho ten", "ho va ten dem")),
    Column("birth_year", "Năm sinh", 10, aliases=("nam sinh", "nam")),
    Column("position", "Chức vụ", 30, True, ("chuc danh", "chuc vu hien nay")),
    Column("tier", "Đối tượng", 22, True, ("doi tuong giam sat", "nhom doi tuong")),
    Column("workplace_agency", "Cơ quan công tác", 30, True, ("co quan", "noi cong tac")),
    Column("workplace_unit", "Đơn vị", 22, aliases=("don vi cong tac", "phong ban")),
    Column("residence", "Nơi cư trú", 24, aliases=("noi o", "dia chi cu tru", "dia chi")),
    Column("management_level", "Diện quản lý", 30, aliases=("dien can bo", "cap quan ly")),
    Column("is_party_member", "Đảng viên", 12, aliases=("la dang vien",)),
    Column("notes", "Ghi chú", 30, aliases=("ghi chu khac",)),
)
#: The file speaks Vietnamese whatever the page's language, so an export imports back.
TIER_LABELS = labels.vietnamese(labels.TIER_LABELS)
MANAGEMENT_LEVEL_LABELS = labels.vietnamese(labels.MANAGEMENT_LEVEL_LABELS)


def _plain(text: str) -> str:
    """Folded, brackets and punctuation dropped: “Đảng viên (có/không)” → “dang vien”."""
    text = re.sub(r"\(.*?\)", " ", queries.fold(text))
    return " ".join(re.sub(r"[^\w ]", " ", text).split())


_BY_HEADER = {}
for _col in COLUMNS:
    for _name in (_plain(_col.header), *_col.aliases):
        _BY_HEADER[_name] = _col

_TIERS = {_plain(label): tier for tier, label in TIER_LABELS.items()} | {
    "nguoi dung dau": PersonTier.head, "dung dau": PersonTier.head,
    "can bo chu chot": PersonTier.key_cadre, "chu chot": PersonTier.key_cadre,
    "can bo dang vien": PersonTier.cadre, "can bo": PersonTier.cadre,
    "dang vien": PersonTier.cadre,
}
_LEVELS = {_plain(label): level for level, label in MANAGEMENT_LEVEL_LABELS.items()} | {
    "ban thuong vu tinh uy": ManagementLevel.provincial_standing_committee,
    "btv tinh uy": ManagementLevel.provincial_standing_committee,
    "tinh uy": ManagementLevel.provincial_party_committee,
    "cap tinh": ManagementLevel.provincial_party_committee,
    "ban thuong vu huyen uy": ManagementLevel.district_standing_committee,
    "btv huyen uy": ManagementLevel.district_standing_committee,
    "ban thuong vu dang uy xa": ManagementLevel.commune_standing_committee,
    "ban thuong vu dang uy phuong": ManagementLevel.commune_standing_committee,
    "btv dang uy xa": ManagementLevel.commune_standing_committee,
    "btv dang uy phuong": ManagementLevel.commune_standing_committee,
    "dang uy xa": ManagementLevel.commune_party_committee,
    "dang uy phuong": ManagementLevel.commune_party_committee,
    "chi bo": ManagementLevel.party_cell,
    "khac": ManagementLevel.other,
    "": ManagementLevel.other,
}
_YES = {"co", "x", "1", "yes", "true", "dang vien", "la dang vien", "c"}
_NO = {"khong", "0", "no", "false", "k", "", "-"}

NOT_A_SPREADSHEET = ("Tệp này không phải bảng tính Excel (.xlsx). Nếu danh sách đang ở dạng "
                     ".csv hoặc .xls, hãy mở bằng Excel rồi chọn Lưu thành “Sổ làm việc Excel "
                     "(.xlsx)”, hoặc dùng tệp mẫu tải về từ trang này.")
OLD_XLS = ("Tệp này là định dạng Excel cũ (.xls). Hãy mở bằng Excel rồi chọn Lưu thành "
           "“Sổ làm việc Excel (.xlsx)” và tải lại.")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


# --- reading ---------------------------------------------------------------------------------

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


def _read_bytes(fileobj: IO[bytes]) -> bytes:
    data = fileobj.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ValidationFailed(f"Tệp lớn quá {MAX_FILE_BYTES // (1024 * 1024)} MB. Hãy chia danh "
                               "sách thành nhiều tệp nhỏ hơn.", field="file")
    if not data:
        raise ValidationFailed("Tệp trống (0 byte). Hãy chọn lại tệp danh sách.", field="file")
    return data


def _open_rows(data: bytes) -> list[tuple]:
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: the old binary .xls
        raise ValidationFailed(OLD_XLS, field="file")
    if not data.startswith(b"PK\x03\x04"):  # every .xlsx is a zip archive
        raise ValidationFailed(NOT_A_SPREADSHEET, field="file")
    try:
        with warnings.catch_warnings():
            # Files saved by other spreadsheet programs carry styles openpyxl only warns about.
            warnings.simplefilter("ignore", UserWarning)
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                rows = []
                for row in sheet.iter_rows(values_only=True):
                    rows.append(row)
                    if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                        raise ValidationFailed(f"Danh sách dài quá {MAX_ROWS} dòng. Hãy chia "
                                               "thành nhiều tệp.", field="file")
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
        names = [_plain(_cell_text(v)) for v in row]
        if not any(_BY_HEADER.get(n) is not None and _BY_HEADER[n].key == "full_name"
                   for n in names):
            continue
        columns: dict[int, Column] = {}
        unknown = []
        for position, name in enumerate(names):
            if not name:
                continue
            column = _BY_HEADER.get(name)
            if column is None:
                unknown.append(_cell_text(row[position]))
            elif column in columns.values():
                raise ValidationFailed(f"Cột “{column.header}” xuất hiện hai lần ở dòng tiêu "
                                       "đề. Hãy xóa một cột.", field="file")
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
                f"Dòng tiêu đề (dòng {index + 1}) " + "; ".join(parts) + ". Các cột dùng được: "
                + ", ".join(c.header for c in COLUMNS) + ". Hãy dùng tệp mẫu.", field="file")
        return index, columns
    if not any(_cell_text(v) for row in rows for v in row):
        raise ValidationFailed("Bảng tính trống: trang đầu tiên không có dữ liệu.", field="file")
    raise ValidationFailed("Không tìm thấy dòng tiêu đề có cột “Họ và tên” trong 10 dòng đầu "
                           "của trang đầu tiên. Hãy dùng tệp mẫu.", field="file")


def _year(raw: Any) -> int | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, (dt.date, dt.datetime)):
        return raw.year
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = _cell_text(raw)
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    raise ValueError


def _row_values(line: int, cells: dict[str, Any], errors: list[str]) -> dict[str, Any] | None:
    """Turn one row's cells into person fields; append "Dòng N: …" errors."""
    values: dict[str, Any] = {}
    before = len(errors)

    def bad(message: str) -> None:
        errors.append(f"Dòng {line}: {message}")

    for key in ("full_name", "position", "workplace_agency", "workplace_unit", "residence",
                "notes"):
        values[key] = _cell_text(cells.get(key))
    if not values["full_name"]:
        bad("chưa có họ và tên.")
    try:
        values["birth_year"] = _year(cells.get("birth_year"))
    except ValueError:
        bad(f"năm sinh ‘{_cell_text(cells.get('birth_year'))}’ không hợp lệ (cần 4 chữ số, "
            "ví dụ 1975).")
    tier_text = _cell_text(cells.get("tier"))
    tier = _TIERS.get(_plain(tier_text))
    if tier is None:
        bad(f"đối tượng ‘{tier_text}’ không hợp lệ; ghi một trong: "
            + ", ".join(TIER_LABELS.values()) + "." if tier_text else
            "chưa ghi đối tượng (" + ", ".join(TIER_LABELS.values()) + ").")
    values["tier"] = tier
    level_text = _cell_text(cells.get("management_level"))
    level_key = re.sub(r"^thuoc dien ", "", _plain(level_text))
    level_key = re.sub(r" quan ly$", "", level_key)
    level = _LEVELS.get(_plain(level_text), _LEVELS.get(level_key))
    if level is None:
        bad(f"diện quản lý ‘{level_text}’ không nhận ra; ghi một trong: "
            + ", ".join(MANAGEMENT_LEVEL_LABELS.values()) + ".")
    values["management_level"] = level
    member_text = _cell_text(cells.get("is_party_member"))
    member = _plain(member_text)
    if member in _YES:
        values["is_party_member"] = True
    elif member in _NO:
        values["is_party_member"] = False
    else:
        bad(f"cột Đảng viên ghi ‘{member_text}’; hãy ghi “có” hoặc “không”.")
    return values if len(errors) == before else None


def _lower_first(message: str) -> str:
    return message[:1].lower() + message[1:]


def _residence_areas(session: Session, principal, unit: Unit) -> dict[str, int | None]:
    """Folded names of the residential areas in the unit's subtree → id (None if ambiguous)."""
    areas = session.execute(
        select(Unit.id, Unit.name).join(Unit.level).where(
            UnitLevel.is_residential_area.is_(True), Unit.valid_to.is_(None),
            Unit.path.startswith(unit.path), visible_units_clause(principal)))
    by_name: dict[str, int | None] = {}
    for area_id, name in areas:
        key = queries.fold(name)
        by_name[key] = None if key in by_name else area_id
    return by_name


def preview_people_import(session: Session, principal, *, unit_id: int,
                          fileobj: IO[bytes]) -> ImportPreview:
    """Read and check an uploaded list without writing anything.

    A file that cannot be read at all (not a spreadsheet, empty, wrong columns) raises one
    ValidationFailed on field "file"; problems in rows come back as `errors`, one per problem,
    including duplicates within the file and against the unit's register."""
    unit = get_unit(session, unit_id, principal)
    rows = _open_rows(_read_bytes(fileobj))
    header_index, columns = _find_header(rows)
    data_rows = [(line, row) for line, row in enumerate(rows[header_index + 1:],
                                                        start=header_index + 2)
                 if any(_cell_text(v) for v in row)]
    if len(data_rows) > MAX_ROWS:
        raise ValidationFailed(f"Danh sách dài quá {MAX_ROWS} dòng. Hãy chia thành nhiều tệp.",
                               field="file")
    preview = ImportPreview()
    areas = _residence_areas(session, principal, unit)
    existing = queries.existing_keys(session, unit.id)
    seen: dict[tuple, int] = {}
    for offset, row in data_rows:
        cells = {col.key: row[pos] for pos, col in columns.items() if pos < len(row)}
        if not any(_cell_text(v) for k, v in cells.items() if k != "stt"):
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
        key = (queries.fold(values["full_name"]), values["birth_year"],
               queries.fold(values["workplace_agency"]))
        if key in seen:
            preview.errors.append(f"Dòng {offset}: trùng với dòng {seen[key]} (cùng họ tên, năm "
                                  "sinh và cơ quan công tác).")
            continue
        seen[key] = offset
        if key in existing:
            preview.errors.append(f"Dòng {offset}: “{values['full_name']}” đã có trong danh sách "
                                  "giám sát của đơn vị (cùng họ tên, năm sinh và cơ quan công "
                                  "tác).")
            continue
        preview.rows.append(ParsedRow(offset, values))
    if not preview.rows and not preview.errors:
        raise ValidationFailed("Tệp chỉ có dòng tiêu đề, chưa có người nào trong danh sách.",
                               field="file")
    return preview


# --- writing ---------------------------------------------------------------------------------

def _sheet_header(sheet, title: str, subtitle: str) -> int:
    """Title rows then the header row; returns the header row number."""
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = subtitle
    header_row = 4
    for position, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=header_row, column=position, value=column.header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        sheet.column_dimensions[cell.column_letter].width = column.width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    return header_row


def _column_letter(key: str) -> str:
    return get_column_letter([c.key for c in COLUMNS].index(key) + 1)


#: The hidden sheet holding the drop-down options (Excel list formulas cannot hold commas).
CHOICES_SHEET = "Lựa chọn"


def _add_choices(workbook: Workbook, sheet, first_row: int, last_row: int) -> None:
    """Drop-down lists on the category columns, so nobody has to type them exactly."""
    choices = workbook.create_sheet(CHOICES_SHEET)
    choices.sheet_state = "hidden"
    for index, (key, options) in enumerate((
            ("tier", list(TIER_LABELS.values())),
            ("management_level", list(MANAGEMENT_LEVEL_LABELS.values())),
            ("is_party_member", ["có", "không"])), start=1):
        source = get_column_letter(index)
        for row, option in enumerate(options, start=1):
            choices.cell(row=row, column=index, value=option)
        validation = DataValidation(
            type="list", formula1=f"'{CHOICES_SHEET}'!${source}$1:${source}${len(options)}",
            allow_blank=True, showErrorMessage=False)
        letter = _column_letter(key)
        validation.add(f"{letter}{first_row}:{letter}{last_row}")
        sheet.add_data_validation(validation)


def _guide(workbook: Workbook) -> None:
    sheet = workbook.create_sheet("Hướng dẫn")
    lines = [
        ("Cách điền danh sách người thuộc diện giám sát", ""),
        ("", ""),
        ("Cột", "Cách ghi"),
        ("STT", "Số thứ tự, có thể bỏ trống."),
        ("Họ và tên", "Bắt buộc. Ghi đầy đủ, có dấu."),
        ("Năm sinh", "4 chữ số, ví dụ 1975. Có thể bỏ trống."),
        ("Chức vụ", "Bắt buộc, ví dụ “Bí thư Đảng ủy xã”."),
        ("Đối tượng", "Bắt buộc, một trong: " + "; ".join(TIER_LABELS.values()) + "."),
        ("Cơ quan công tác", "Bắt buộc, ví dụ “UBND xã Gia Viễn”."),
        ("Đơn vị", "Phòng, ban trong cơ quan. Có thể bỏ trống."),
        ("Nơi cư trú", "Tên thôn, tổ dân phố (đúng như trong phần mềm) hoặc địa chỉ."),
        ("Diện quản lý", "Một trong: " + "; ".join(MANAGEMENT_LEVEL_LABELS.values())
         + ". Bỏ trống là “Khác”."),
        ("Đảng viên", "“có” hoặc “không”. Bỏ trống là “không”."),
        ("Ghi chú", "Có thể bỏ trống."),
        ("", ""),
        ("Lưu ý", ("Không đổi tên, không xóa các cột. Mỗi người một dòng. Nếu có dòng sai, "
                   "phần mềm báo từng dòng và chưa nhập người nào cho tới khi sửa hết.")),
    ]
    for row in lines:
        sheet.append(row)
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A3"].font = sheet["B3"].font = Font(bold=True)
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = 100


def _to_bytes(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_workbook() -> bytes:
    """An empty list with the header row, drop-downs and a guide sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    header = _sheet_header(sheet, "DANH SÁCH NGƯỜI THUỘC DIỆN GIÁM SÁT",
                           "(Theo Quy định 124-QĐ/TW ngày 02/02/2018. Điền từ dòng 5 trở đi.)")
    _guide(workbook)
    _add_choices(workbook, sheet, header + 1, header + 1000)
    return _to_bytes(workbook)


def person_row(number: int, person: SupervisedPerson) -> list[Any]:
    residence = person.residence or (person.residence_area.name if person.residence_area else "")
    return [number, person.full_name, person.birth_year, person.position,
            TIER_LABELS[person.tier], person.workplace_agency, person.workplace_unit, residence,
            MANAGEMENT_LEVEL_LABELS[person.management_level],
            "có" if person.is_party_member else "không", person.notes]


def export_people(session: Session, principal, *, unit_id: int | None = None,
                  **filters: Any) -> bytes:
    """The register (filters as in `queries.list_people_query`) in the import layout."""
    unit = get_unit(session, unit_id, principal) if unit_id is not None else None
    people = queries.list_people(session, principal, unit_id=unit_id, **filters)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    subtitle = (f"Đơn vị: {unit.name}. " if unit else "") + \
        f"Xuất ngày {dt.date.today():%d/%m/%Y}, {len(people)} người."
    header = _sheet_header(sheet, "DANH SÁCH NGƯỜI THUỘC DIỆN GIÁM SÁT", subtitle)
    for number, person in enumerate(people, start=1):
        for position, value in enumerate(person_row(number, person), start=1):
            sheet.cell(row=header + number, column=position, value=value)
    _guide(workbook)
    _add_choices(workbook, sheet, header + 1, header + len(people) + 200)
    return _to_bytes(workbook)


# --- XLSX import --------------------------------------------------------------------------

def import_people(session: Session, principal, *, unit_id: int,
                  fileobj) -> list[SupervisedPerson]:
    """Import every person of an uploaded list, or none.

    The file is checked exactly as the preview checks it; any row error raises one
    ValidationFailed whose `errors["file"]` lists every problem ("Dòng 7: …") and nothing is
    written. Each person created is audited with action "import"."""
    unit = writable_unit(session, principal, unit_id)
    preview = preview_people_import(session, principal, unit_id=unit.id, fileobj=fileobj)
    if preview.errors:
        raise ValidationFailed(
            f"Tệp có {len(preview.errors)} lỗi nên chưa nhập người nào. Hãy sửa các dòng được "
            "nêu rồi tải lại.", errors={"file": preview.errors})
    people = []
    # A savepoint: should any row still fail (a concurrent insert), none of them stay.
    with session.begin_nested():
        for row in preview.rows:
            people.append(create_person(session, principal, unit_id=unit.id, action="import",
                                        **row.values))
    return people
