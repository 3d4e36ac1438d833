"""The province's list of units that have not sent a period's report, as an XLSX file: who
answers for each unit and how to reach them (staff of the units, never a reporter)."""

from __future__ import annotations

from giamsat.core.spreadsheets import Column, SheetSpec, sheets_bytes
from giamsat.identity import Role
from giamsat.reports.models import ReportPeriod
from giamsat.reports.queries.unit_status import UnitStatus
from giamsat.units.models import Unit

ROLE_NAMES = {
    Role.leader: "Lãnh đạo",
    Role.staff: "Cán bộ",
    Role.unit_admin: "Quản trị đơn vị",
}
COLUMNS = (
    Column("STT", "number"),
    Column("Đơn vị"),
    Column("Cấp"),
    Column("Người phụ trách"),
    Column("Chức trách"),
    Column("Điện thoại"),
    Column("Thư điện tử"),
    Column("Hạn nộp", "date"),
    Column("Mã đơn vị", is_code=True),
)


def missing_units_xlsx(period: ReportPeriod, unit: Unit, missing: list[UnitStatus]) -> bytes:
    """One row per responsible person (a unit nobody answers for still has its row)."""
    rows = []
    for index, status in enumerate(missing, start=1):
        people = status.contacts or [None]
        for person in people:
            rows.append(
                (
                    index,
                    status.name,
                    status.level_name,
                    person.full_name if person else "(chưa có người phụ trách)",
                    ROLE_NAMES.get(person.role, "") if person else "",
                    person.phone if person else "",
                    person.email if person else "",
                    period.due_on,
                    status.unit.official_code or str(status.unit.id),
                )
            )
    return sheets_bytes(
        SheetSpec(
            "Chưa nộp báo cáo",
            COLUMNS,
            rows,
            heading=(
                f"CÁC ĐƠN VỊ CHƯA NỘP {period.title.upper()}",
                f"{unit.name} — hạn nộp {period.due_on:%d/%m/%Y}",
            ),
        )
    )
