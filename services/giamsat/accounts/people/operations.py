"""Writes of people management: accounts and grants, always inside the admin's subtree.

Each checks the principal, validates, changes, audits; flush only. An account outside the
admin's subtree is a NotFound, as in the queries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.accounts.models import RoleAssignment, User
from giamsat.accounts.operations import create_user
from giamsat.accounts.people import credentials
from giamsat.accounts.people.queries import get_person
from giamsat.accounts.people.scope import grant_problem, require_people_manager
from giamsat.core import audit
from giamsat.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from giamsat.core.validation import Errors
from giamsat.identity import Principal, Role
from giamsat.units.models import Organization, Unit

#: How a new person gets in: a one-time link by email, or a temporary password on paper.
BY_EMAIL, BY_SHEET = "email", "sheet"
_PHONE_CHARS = set("0123456789+ .-()")
ROLE_FIELDS = ("role", "unit_id", "organization_id")


@dataclass(frozen=True)
class Onboarded:
    user: User
    #: BY_EMAIL (a link is on its way) or BY_SHEET (`temporary_password` to hand over once).
    delivery: str
    temporary_password: str | None = None


def _contact(errors: Errors, email: str | None, phone: str | None) -> tuple[str | None, str | None]:
    email = (email or "").strip().lower() or None
    phone = " ".join((phone or "").split()) or None
    if email and ("@" not in email or " " in email or len(email) > 200 or email.startswith("@")):
        errors.add("email", "Địa chỉ thư điện tử không hợp lệ, ví dụ ten@xa.gov.vn.")
    if phone and (not set(phone) <= _PHONE_CHARS or not 8 <= len(phone) <= 30):
        errors.add("phone", "Số điện thoại chỉ gồm chữ số (có thể có + . - khoảng trắng).")
    return email, phone


def check_grant(
    session: Session, principal: Principal, role, unit_id, organization_id
) -> tuple[Role, Unit, int | None]:
    """The grant as stored, or ValidationFailed naming the bad field."""
    errors = Errors()
    chosen = errors.choice(Role, role, "role", message="Hãy chọn một vai trò trong danh sách.")
    unit = session.get(Unit, unit_id) if isinstance(unit_id, int) else None
    if unit is None or unit.valid_to is not None:
        errors.add("unit_id", "Hãy chọn một đơn vị đang hoạt động.")
    if organization_id is not None:
        org = (
            session.get(Organization, organization_id) if isinstance(organization_id, int) else None
        )
        if org is None or not org.is_enabled:
            errors.add("organization_id", "Tổ chức này không có trong tỉnh.")
    errors.raise_if_any()
    assert chosen is not None and unit is not None
    problem = grant_problem(principal, unit, chosen)
    if problem:
        # Not an existence leak: the admin picked the unit from their own list.
        raise ValidationFailed(problem, field="unit_id")
    return chosen, unit, organization_id


def onboard_person(
    session: Session,
    principal: Principal,
    *,
    full_name: str,
    email: str | None,
    phone: str | None,
    role,
    unit_id,
    organization_id=None,
    username: str | None = None,
    by_email: bool = False,
) -> Onboarded:
    """Create a person with one role and a one-time credential: a sign-in link by email when
    `by_email` and they have an address, else a temporary password returned once."""
    require_people_manager(principal)
    errors = Errors()
    email, phone = _contact(errors, email, phone)
    errors.raise_if_any()
    grant = check_grant(session, principal, role, unit_id, organization_id)
    login = (username or email or _login_from_phone(phone) or "").strip().lower()
    if not login:
        raise ValidationFailed(
            "Hãy nhập thư điện tử, số điện thoại hoặc tên đăng nhập.", field="username"
        )
    temporary = credentials.new_temporary_password()
    user = create_user(
        session,
        principal,
        username=login,
        full_name=full_name,
        password=temporary,
        password_hash=credentials.hash_temporary_password(temporary),
        email=email,
        grants=[(grant[0], grant[1].id, grant[2])],
    )
    user.phone = phone
    user.must_change_password = True
    session.flush()
    if by_email and email:
        from giamsat.accounts.people.invites import record_invite

        record_invite(session, user)
        return Onboarded(user, BY_EMAIL)
    return Onboarded(user, BY_SHEET, temporary)


def _login_from_phone(phone: str | None) -> str | None:
    digits = "".join(c for c in phone or "" if c.isdigit())
    return f"dt{digits}" if digits else None


def update_person(
    session: Session,
    principal: Principal,
    user_id: int,
    *,
    full_name: str,
    email: str | None,
    phone: str | None,
    locale: str | None = None,
) -> User:
    user = get_person(session, principal, user_id)
    errors = Errors()
    name = errors.text(full_name, "full_name", label="Họ và tên", required=True, max_length=200)
    email, phone = _contact(errors, email, phone)
    if locale is not None and locale not in ("vi", "en"):
        errors.add("locale", "Ngôn ngữ là tiếng Việt (vi) hoặc tiếng Anh (en).")
    errors.raise_if_any()
    before = audit.snapshot(user)
    user.full_name, user.email, user.phone = name or user.full_name, email, phone
    if locale is not None:
        user.locale = locale
    session.flush()
    _audit(session, principal, user, "update", audit.diff(before, audit.snapshot(user)))
    return user


def set_active(session: Session, principal: Principal, user_id: int, active: bool) -> User:
    """Disable (every session and token stops working at once) or re-enable an account."""
    user = get_person(session, principal, user_id)
    if not active and user.id == principal.user_id:
        raise Conflict("Bạn không tự khóa tài khoản của mình được.", field="is_active")
    if user.is_active != active:
        user.is_active = active
        if not active:
            user.session_epoch += 1
        session.flush()
        _audit(
            session,
            principal,
            user,
            "enable" if active else "disable",
            {"is_active": [not active, active]},
        )
    return user


def grant_role(
    session: Session, principal: Principal, user_id: int, *, role, unit_id, organization_id=None
) -> RoleAssignment:
    user = get_person(session, principal, user_id)
    chosen, unit, org_id = check_grant(session, principal, role, unit_id, organization_id)
    taken = session.scalar(
        select(RoleAssignment.id).where(
            RoleAssignment.user_id == user.id,
            RoleAssignment.role == chosen,
            RoleAssignment.unit_id == unit.id,
            RoleAssignment.organization_id.is_(None)
            if org_id is None
            else RoleAssignment.organization_id == org_id,
        )
    )
    if taken is not None:
        raise Conflict("Người này đã có vai trò đó tại đơn vị này.", field="role")
    row = RoleAssignment(user_id=user.id, role=chosen, unit_id=unit.id, organization_id=org_id)
    session.add(row)
    session.flush()
    session.refresh(user)
    _audit(session, principal, user, "grant", {"role": [None, [chosen.value, unit.id, org_id]]})
    return row


def withdraw_role(session: Session, principal: Principal, user_id: int, grant_id: int) -> User:
    user = get_person(session, principal, user_id)
    row = next((r for r in user.roles if r.id == grant_id), None)
    if row is None:
        raise NotFound("Không tìm thấy vai trò này của người dùng.")
    if grant_problem(principal, row.unit, row.role):
        raise Forbidden("Bạn không thu hồi được vai trò ở ngoài đơn vị mình quản trị.")
    if len(user.roles) == 1:
        raise Conflict(
            "Đây là vai trò cuối cùng của người này. Nếu họ thôi làm việc, hãy khóa tài khoản.",
            field="role",
        )
    if user.id == principal.user_id and row.role in (Role.tenant_admin, Role.unit_admin):
        raise Conflict("Bạn không tự thu hồi vai trò quản trị của mình được.", field="role")
    granted = [row.role.value, row.unit_id, row.organization_id]
    user.roles.remove(row)
    session.flush()
    _audit(session, principal, user, "withdraw", {"role": [granted, None]})
    return user


def _audit(session: Session, principal: Principal, user: User, action: str, changes) -> None:
    audit.record(
        session, principal, action=action, object_type="user", object_id=user.id, changes=changes
    )
