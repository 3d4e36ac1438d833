"""Who may add, rename and retire residential areas: a tenant rule (`residential_area_managers`).

The tenant admin always may (the whole province is theirs). The rule names who else may, at the
commune (or any unit above it): its unit admins, and — by default — the Front's own staff, i.e.
staff granted for the MTTQ organization. Staff of the member organizations (Hội LHPN…) and
staff without an organization only when the rule says so."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.core.rules import RuleSpec, one_of
from giamsat.identity import Role
from giamsat.units.models import Organization, Unit

RULE_KEY = "residential_area_managers"
#: Code of the Front committee itself among the organizations.
FRONT_ORGANIZATION = "mttq"

UNIT_ADMINS = "unit_admins"
UNIT_ADMINS_AND_FRONT_STAFF = "unit_admins_and_front_staff"
UNIT_ADMINS_AND_ALL_STAFF = "unit_admins_and_all_staff"
DEFAULT = UNIT_ADMINS_AND_FRONT_STAFF

CHOICES = {
    UNIT_ADMINS_AND_FRONT_STAFF: _l(
        "Quản trị viên của xã, phường và cán bộ Mặt trận (MTTQ) của xã, phường"
    ),
    UNIT_ADMINS: _l("Chỉ quản trị viên của xã, phường"),
    UNIT_ADMINS_AND_ALL_STAFF: _l(
        "Quản trị viên và mọi cán bộ của xã, phường (cả cán bộ các tổ chức thành viên)"
    ),
}

RULE = RuleSpec(
    RULE_KEY,
    one_of(*CHOICES),
    DEFAULT,
    "[UNCONFIRMED] mặc định của phần mềm theo yêu cầu số 15: quản trị viên xã, phường và cán bộ "
    "Mặt trận quản lý khu dân cư; tỉnh tự quyết định",
    label=_l("Ai được thêm, đổi tên và cho ngừng khu dân cư"),
    help=_l(
        "Quản trị tỉnh luôn làm được. Chọn ai khác ở xã, phường (hoặc cấp trên của xã, phường) "
        "được quản lý khu dân cư của mình."
    ),
    choices=CHOICES,
    group="other",
)


def current_choice(session: Session) -> str:
    from giamsat.units.queries import get_rule

    value = get_rule(session, RULE_KEY, DEFAULT)
    return value if value in CHOICES else DEFAULT


def _front_organization_id(session: Session) -> int | None:
    return session.scalar(select(Organization.id).where(Organization.code == FRONT_ORGANIZATION))


def may_manage_areas(session: Session, principal, unit: Unit) -> bool:
    """Whether `principal` may add, rename or retire residential areas at or under `unit`."""
    if principal.has_role_over(unit.path, {Role.tenant_admin, Role.unit_admin}):
        return True
    choice = current_choice(session)
    if choice == UNIT_ADMINS:
        return False
    front = _front_organization_id(session) if choice == UNIT_ADMINS_AND_FRONT_STAFF else None
    return any(
        grant.role == Role.staff
        and unit.path.startswith(grant.unit_path)
        and (choice == UNIT_ADMINS_AND_ALL_STAFF or grant.organization_id == front)
        for grant in principal.grants
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def who_may_manage_areas(session: Session) -> str:
    """The sentence a page shows instead of the buttons it hides."""
    return str(
        _l(
            "Người được thêm, đổi tên và cho ngừng khu dân cư: quản trị tỉnh và %(who)s "
            "(quy định của tỉnh, xem trang Quy định).",
            who=_lower_first(str(CHOICES[current_choice(session)])),
        )
    )
