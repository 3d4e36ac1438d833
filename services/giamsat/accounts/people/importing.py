"""Bulk onboarding from the XLSX template: one row per person, previewed, then all or nothing.

Row: unit (official code or name), organization (empty for the Front committee's own staff),
role, full name, email, phone. The login is the email, else "dt" + the phone's digits."""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from giamsat.accounts.models import User
from giamsat.accounts.people.operations import Onboarded, onboard_person
from giamsat.accounts.people.queries import manageable_units
from giamsat.accounts.people.scope import grant_problem, require_people_manager
from giamsat.accounts.people.upload_guard import check_xlsx, safe_cell
from giamsat.accounts.permissions import ROLE_LABELS
from giamsat.core import audit
from giamsat.core.errors import ValidationFailed
from giamsat.core.spreadsheets import Column, SheetSpec, workbook_bytes, write_sheet
from giamsat.identity import Principal, Role
from giamsat.units.models import Organization, Unit
from giamsat.units.queries import list_organizations

HEADERS = (
    "Đơn vị (mã hoặc tên)",
    "Tổ chức (để trống nếu là cán bộ Mặt trận)",
    "Vai trò",
    "Họ và tên",
    "Thư điện tử",
    "Số điện thoại",
)
TEMPLATE_NAME = "mau-nhap-nguoi-dung.xlsx"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _key(text) -> str:
    return " ".join(str(text or "").split()).casefold()


@dataclass
class PlannedRow:
    line: int
    full_name: str
    unit: Unit | None
    organization: Organization | None
    role: Role | None
    email: str | None
    phone: str | None
    login: str
    problems: list[str] = field(default_factory=list)


@dataclass
class Preview:
    rows: list[PlannedRow]

    @property
    def problems(self) -> list[str]:
        return [f"Dòng {r.line}: {p}" for r in self.rows for p in r.problems]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problems


def template_xlsx(session: Session, principal: Principal) -> bytes:
    """The empty list to fill in, and a second sheet naming the units, organizations, roles."""
    require_people_manager(principal)
    book = Workbook()
    # The header row bold, frozen and as wide as its titles (the rows come from the person).
    write_sheet(book.active, SheetSpec("Danh sách", [Column(h) for h in HEADERS], ()))
    guide = book.create_sheet("Hướng dẫn")
    guide.append(("Mỗi dòng của trang “Danh sách” là một người. Các giá trị được dùng:",))
    guide.append(())
    guide.append(("Mã đơn vị", "Tên đơn vị"))
    for unit in manageable_units(session, principal):
        guide.append((safe_cell(unit.official_code or ""), safe_cell(unit.name)))
    guide.append(())
    guide.append(("Tổ chức (mã)", "Tên tổ chức"))
    for org in list_organizations(session):
        guide.append((safe_cell(org.short_name), safe_cell(org.name)))
    guide.append(())
    guide.append(("Vai trò",))
    for label in ROLE_LABELS.values():
        guide.append((str(label),))
    guide.column_dimensions["A"].width, guide.column_dimensions["B"].width = 24, 48
    return workbook_bytes(book)


def _role(text) -> Role | None:
    wanted = _key(text)
    for role, label in ROLE_LABELS.items():
        if wanted in (_key(label), role.value):
            return role
    return None


def preview_import(session: Session, principal: Principal, data: bytes) -> Preview:
    """What the file would create, with every problem by line; writes nothing."""
    require_people_manager(principal)
    rows = check_xlsx(data)
    if not rows or tuple(_key(c) for c in rows[0][: len(HEADERS)]) != tuple(
        _key(h) for h in HEADERS
    ):
        raise ValidationFailed(
            "Dòng đầu của tệp không phải tiêu đề của tệp mẫu. Hãy tải tệp mẫu và điền vào đó.",
            field="file",
        )
    units = manageable_units(session, principal)
    by_code = {_key(u.official_code): u for u in units if u.official_code}
    by_name: dict[str, list[Unit]] = {}
    for unit in units:
        by_name.setdefault(_key(unit.name), []).append(unit)
    orgs = {}
    for org in list_organizations(session):
        for name in (org.code, org.short_name, org.name):
            orgs[_key(name)] = org
    planned: list[PlannedRow] = []
    for line, raw in enumerate(rows[1:], start=2):
        cells = [("" if c is None else str(c).strip()) for c in (list(raw) + [None] * 6)[:6]]
        if not any(cells):
            continue
        unit_text, org_text, role_text, name, email, phone = cells
        row = PlannedRow(line, " ".join(name.split()), None, None, _role(role_text), None, None, "")
        named = by_name.get(_key(unit_text), [])
        row.unit = by_code.get(_key(unit_text)) or (named[0] if len(named) == 1 else None)
        if row.unit is None:
            row.problems.append(
                f"không thấy đơn vị “{unit_text}” trong phạm vi bạn quản trị"
                if len(named) < 2
                else f"có nhiều đơn vị tên “{unit_text}”, hãy ghi mã đơn vị"
            )
        if org_text:
            row.organization = orgs.get(_key(org_text))
            if row.organization is None:
                row.problems.append(f"không có tổ chức “{org_text}”")
        if row.role is None:
            row.problems.append(f"vai trò “{role_text}” không có trong danh sách")
        elif row.unit is not None and (problem := grant_problem(principal, row.unit, row.role)):
            row.problems.append(problem[:1].lower() + problem[1:].rstrip("."))
        if not row.full_name:
            row.problems.append("thiếu họ và tên")
        row.email = email.lower() or None
        row.phone = phone or None
        digits = "".join(c for c in phone if c.isdigit())
        row.login = row.email or (f"dt{digits}" if digits else "")
        if not row.login:
            row.problems.append("cần thư điện tử hoặc số điện thoại để đăng nhập")
        planned.append(row)
    _check_logins(session, planned)
    return Preview(planned)


def _check_logins(session: Session, rows: list[PlannedRow]) -> None:
    seen: dict[str, int] = {}
    logins = [r.login for r in rows if r.login]
    taken = set(
        session.scalars(select(User.username).where(func.lower(User.username).in_(logins)))
        if logins
        else []
    )
    for row in rows:
        if not row.login:
            continue
        if row.login in seen:
            row.problems.append(f"trùng người ở dòng {seen[row.login]} ({row.login})")
        elif row.login in taken:
            row.problems.append(f"đã có tài khoản “{row.login}”")
        seen.setdefault(row.login, row.line)


def import_people(
    session: Session, principal: Principal, data: bytes, *, by_email: bool
) -> list[Onboarded]:
    """Create everyone in the file, or nobody: any problem (or failure midway) writes nothing."""
    preview = preview_import(session, principal, data)
    if not preview.ok:
        problems = preview.problems or ["Tệp không có dòng nào để nhập."]
        raise ValidationFailed(
            "Chưa nhập ai: " + "; ".join(problems[:5]) + (" …" if len(problems) > 5 else ""),
            field="file",
        )
    created = []
    with session.begin_nested():
        for row in preview.rows:
            assert row.unit is not None and row.role is not None
            created.append(
                onboard_person(
                    session,
                    principal,
                    full_name=row.full_name,
                    email=row.email,
                    phone=row.phone,
                    role=row.role,
                    unit_id=row.unit.id,
                    organization_id=row.organization.id if row.organization else None,
                    username=row.login,
                    by_email=by_email,
                )
            )
    audit.record(
        session,
        principal,
        action="import",
        object_type="user",
        object_id="bulk",
        changes={"users": [None, [o.user.id for o in created]]},
    )
    return created
