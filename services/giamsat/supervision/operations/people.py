"""People under supervision (đối tượng giám sát): the field rules, add and change."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from giamsat.core import audit
from giamsat.core.errors import Conflict, NotFound, ValidationFailed
from giamsat.core.validation import check
from giamsat.supervision import queries
from giamsat.supervision.labels import MANAGEMENT_LEVEL_LABELS, TIER_LABELS
from giamsat.supervision.models import ManagementLevel, PersonTier, SupervisedPerson
from giamsat.supervision.operations.common import (
    choice,
    record_change,
    require_writer,
    today,
    unit_of,
    writable_unit,
)
from giamsat.units.queries import get_residential_area

#: Fields of a person that callers may set (create, patch, import).
PERSON_FIELDS = (
    "full_name",
    "birth_year",
    "position",
    "tier",
    "workplace_agency",
    "workplace_unit",
    "residence_area_id",
    "residence",
    "management_level",
    "is_party_member",
    "notes",
    "is_active",
)


def clean_person_fields(session: Session, principal, values: Mapping[str, Any]) -> dict:
    """Check and normalise the given person fields; ValidationFailed names the bad field.

    Used by create, update and the XLSX import, so every rule and message has one home."""
    out: dict[str, Any] = {}
    unknown = set(values) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationFailed("Trường không được hỗ trợ: " + ", ".join(sorted(unknown)) + ".")
    if "full_name" in values:
        out["full_name"] = check(
            values["full_name"],
            "full_name",
            "text",
            label="Họ và tên",
            required=True,
            max_length=200,
        )
    if "birth_year" in values:
        year = values["birth_year"]
        if year is not None and (
            isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= today().year
        ):
            raise ValidationFailed(
                f"Năm sinh phải là năm có 4 chữ số, từ 1900 đến {today().year}.", field="birth_year"
            )
        out["birth_year"] = year
    for key, label in (
        ("position", "Chức vụ"),
        ("workplace_agency", "Cơ quan công tác"),
        ("workplace_unit", "Đơn vị"),
        ("residence", "Nơi cư trú"),
    ):
        if key in values:
            out[key] = check(values[key], key, "text", label=label, max_length=300)
    if "notes" in values:
        out["notes"] = check(values["notes"], "notes", "text", label="Ghi chú", single_line=False)
    if "tier" in values:
        out["tier"] = choice(PersonTier, values["tier"], "tier", TIER_LABELS)
    if "management_level" in values:
        level = values["management_level"]
        out["management_level"] = (
            ManagementLevel.other
            if level in (None, "")
            else choice(ManagementLevel, level, "management_level", MANAGEMENT_LEVEL_LABELS)
        )
    for key in ("is_party_member", "is_active"):
        if key in values:
            if not isinstance(values[key], bool):
                raise ValidationFailed("Chỉ nhận có hoặc không.", field=key)
            out[key] = values[key]
    if "residence_area_id" in values:
        area_id = values["residence_area_id"]
        if area_id is not None:
            try:
                area_id = get_residential_area(session, area_id, principal).id
            except NotFound:
                raise ValidationFailed(
                    "Không tìm thấy khu dân cư nơi cư trú.", field="residence_area_id"
                ) from None
        out["residence_area_id"] = area_id
    return out


def _set_keys(person: SupervisedPerson) -> None:
    person.name_key = queries.fold(person.full_name)
    person.workplace_key = queries.fold(person.workplace_agency)


def _check_not_duplicate(session: Session, person: SupervisedPerson) -> None:
    twin = queries.find_duplicate_person(
        session,
        person.unit_id,
        person.name_key,
        person.birth_year,
        person.workplace_key,
        exclude_id=person.id,
    )
    if twin is not None:
        raise Conflict(
            f"“{twin.full_name}” (cùng năm sinh, cùng cơ quan công tác) đã có trong "
            "danh sách của đơn vị.",
            field="full_name",
        )


def create_person(
    session: Session, principal, *, unit_id: int, action: str = "create", **values: Any
) -> SupervisedPerson:
    """Add a person to a unit's register.

    Needs full_name and tier. Raises NotFound (unit not visible), Forbidden (readonly),
    ValidationFailed (a field), Conflict (same name, birth year and workplace already there)."""
    unit = writable_unit(session, principal, unit_id)
    for key in ("full_name", "tier"):
        values.setdefault(key, None)
    person = SupervisedPerson(unit_id=unit.id, **clean_person_fields(session, principal, values))
    _set_keys(person)
    _check_not_duplicate(session, person)
    session.add(person)
    session.flush()
    record_change(session, principal, action, person, None)
    return person


def update_person(session: Session, principal, person_id: int, **values: Any) -> SupervisedPerson:
    """Change fields of a person (set is_active=False to take them off the register)."""
    person = queries.get_person(session, person_id, principal)
    require_writer(principal, unit_of(session, person))
    before = audit.snapshot(person)
    for key, value in clean_person_fields(session, principal, values).items():
        setattr(person, key, value)
    _set_keys(person)
    _check_not_duplicate(session, person)
    session.flush()
    record_change(session, principal, "update", person, before)
    return person
