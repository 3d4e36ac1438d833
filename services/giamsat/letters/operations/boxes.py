"""The box register: a suggestion box hung in a residential area, its details and status."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from giamsat.core import audit, clock
from giamsat.core.validation import Errors, one_line
from giamsat.letters.models import BoxStatus, SuggestionBox
from giamsat.letters.operations.common import BOX_KEEPERS, record_change, require_role
from giamsat.letters.queries import get_box
from giamsat.units.queries import get_residential_area, get_rule

DEFAULT_KEY_HOLDER = "Trưởng ban Công tác Mặt trận khu dân cư"


def next_label_code(session: Session) -> str:
    highest = session.scalar(select(func.max(SuggestionBox.id))) or 0
    code = f"HT-{highest + 1:05d}"
    while session.scalar(select(SuggestionBox.id).where(SuggestionBox.label_code == code)):
        highest += 1
        code = f"HT-{highest + 1:05d}"
    return code


def _installed_on(errors: Errors, value, *, required: bool) -> dt.date | None:
    day = errors.date(value, "installed_on", label="Ngày đặt hòm thư", required=required)
    if day is not None and day > clock.today():
        errors.add("installed_on", "Ngày đặt hòm thư không được ở tương lai.")
    return day


def create_box(
    session: Session,
    principal,
    *,
    area_id: int,
    location: str,
    installed_on: dt.date | None,
    keeper: str | None = None,
    label_code: str | None = None,
    notes: str = "",
) -> SuggestionBox:
    """Register a box in a residential area, kept by a named person (the minutes of its openings
    name them); the rule `box_key_holder` says who that should be."""
    area = get_residential_area(session, area_id, principal)
    require_role(
        principal, area, BOX_KEEPERS, "Bạn không có quyền quản lý hòm thư của khu dân cư này."
    )
    errors = Errors()
    location = errors.text(
        location, "location", label="Nơi đặt hòm thư", required=True, max_length=300
    )
    keeper = errors.text(keeper, "keeper", label="Tên người giữ hòm thư", max_length=200)
    if keeper == "":
        holder = str(get_rule(session, "box_key_holder", DEFAULT_KEY_HOLDER))
        errors.add(
            "keeper",
            f"Hãy nhập họ tên người giữ hòm thư và chìa khóa (theo quy định của địa phương: "
            f"{holder}).",
        )
    installed_on = _installed_on(errors, installed_on, required=True)
    code = errors.text(label_code, "label_code", label="Mã hòm thư", max_length=40)
    if code is not None:
        code = code.upper() or next_label_code(session)
        if session.scalar(select(SuggestionBox.id).where(SuggestionBox.label_code == code)):
            errors.add("label_code", "Mã hòm thư này đã được dùng cho hòm thư khác.")
    errors.raise_if_any()
    box = SuggestionBox(
        unit_id=area.id,
        label_code=code,
        location=location,
        keeper=keeper,
        installed_on=installed_on,
        status=BoxStatus.active,
        notes=one_line(notes),
    )
    session.add(box)
    session.flush()
    record_change(session, principal, "create", box, {})
    return box


def update_box(
    session: Session,
    principal,
    box_id: int,
    *,
    location: str | None = None,
    keeper: str | None = None,
    installed_on: dt.date | None = None,
    status=None,
    notes: str | None = None,
) -> SuggestionBox:
    """Change a box's details or status (active / removed / damaged); None leaves a field.
    Everything is checked before the box changes."""
    box = get_box(session, box_id, principal)
    require_role(principal, box.unit, BOX_KEEPERS, "Bạn không có quyền quản lý hòm thư này.")
    errors = Errors()
    new: dict = {}
    # Longer text is cut to the column, as the register always did on edits.
    if location is not None:
        new["location"] = (
            errors.text(location, "location", label="Nơi đặt hòm thư", required=True) or ""
        )[:300]
    if keeper is not None:
        new["keeper"] = (
            errors.text(keeper, "keeper", label="Người giữ hòm thư", required=True) or ""
        )[:200]
    if installed_on is not None:
        new["installed_on"] = _installed_on(errors, installed_on, required=False)
    if status is not None:
        new["status"] = errors.choice(
            BoxStatus,
            status,
            "status",
            message="Tình trạng hòm thư phải là: đang dùng, đã thu hồi hoặc hư hỏng.",
        )
    if notes is not None:
        new["notes"] = one_line(notes)
    errors.raise_if_any()
    before = audit.snapshot(box)
    for name, value in new.items():
        setattr(box, name, value)
    session.flush()
    record_change(session, principal, "update", box, before)
    return box


def qr_target(box: SuggestionBox) -> tuple[str, dict]:
    """The endpoint and values of the public intake form a box's QR label points at."""
    return "cases_public.submit", {"unit_id": box.unit_id}
