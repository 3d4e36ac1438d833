"""The platform door and the operator's pages: sign-in for every platform account, then every
tenant with its status, users and last activity, and suspend / resume. Outside every tenant:
/platform/…; anyone but a signed-in operator gets 404 on the operator's pages (a central
account included: it reads the national view, `web.national`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, abort, g, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from wtforms import PasswordField, StringField

from giamsat.core import audit
from giamsat.http.forms import PageForm
from giamsat.http.pages import done
from giamsat.tenancy.context import tenant_context
from giamsat.tenancy.models import Tenant, TenantStatus
from giamsat.tenancy.operators import authenticate_operator, set_tenant_status
from giamsat.tenancy.registry import list_tenants
from giamsat.web.platform_access import (
    ACCOUNT_KEY,
    operator_required,
    platform_database,
    sign_in,
)

bp = Blueprint("platform_pages", __name__, url_prefix="/platform", template_folder="templates")


class OperatorLoginForm(PageForm):
    username = StringField(
        _l("Tên đăng nhập"),
        description=_l(
            "Tài khoản của đơn vị vận hành hệ thống hoặc của Ủy ban Trung ương MTTQ Việt Nam, "
            "không phải tài khoản của tỉnh."
        ),
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    password = PasswordField(_l("Mật khẩu"), render_kw={"autocomplete": "current-password"})


@dataclass(frozen=True)
class TenantOverview:
    tenant: Tenant
    users: int
    active_users: int
    last_login_at: datetime | None
    last_activity_at: datetime | None


def _overview(tenant: Tenant) -> TenantOverview:
    from giamsat.accounts.models import User
    from giamsat.core.audit import AuditEntry

    with tenant_context(platform_database(), tenant) as scope:
        s = scope.session
        users = s.scalar(select(func.count()).select_from(User)) or 0
        active = s.scalar(select(func.count()).select_from(User).where(User.is_active)) or 0
        last_login = s.scalar(select(func.max(User.last_login_at)))
        last_activity = s.scalar(select(func.max(AuditEntry.at)))
    return TenantOverview(tenant, users, active, last_login, last_activity)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = OperatorLoginForm()
    failed = False
    if form.validate_on_submit():
        with platform_database().session() as shared:
            operator = authenticate_operator(
                shared, form.username.data or "", form.password.data or ""
            )
            if operator is not None:
                shared.commit()
                sign_in(operator)
                home = "platform_pages.tenants" if operator.is_operator else "national_pages.view"
                return done(_("Xin chào %(name)s.", name=operator.full_name), url_for(home))
        failed = True
    return render_template("web/platform_login.html", form=form, failed=failed), (
        422 if failed else 200
    )


@bp.post("/logout")
def logout():
    session.pop(ACCOUNT_KEY, None)
    return done(_("Bạn đã đăng xuất."), url_for("platform_pages.login"))


@bp.get("/")
@operator_required
def tenants(shared):
    rows = [_overview(t) for t in list_tenants(shared)]
    return render_template("web/platform.html", rows=rows, operator=g.operator)


def _change_status(shared, slug: str, status: TenantStatus, message):
    try:
        tenant, changed = set_tenant_status(shared, slug, status)
    except LookupError:
        abort(404)
    shared.commit()  # the registry first: the audit entry below records a done change
    if changed:
        # The tenant's own audit log says who suspended or resumed it, and when.
        with tenant_context(platform_database(), tenant) as scope:
            audit.record(
                scope.session,
                g.operator,
                action="suspend" if status == TenantStatus.suspended else "resume",
                object_type="tenant",
                object_id=tenant.slug,
                changes={"status": [None, status.value]},
            )
            scope.session.commit()
    return done(message(tenant), url_for("platform_pages.tenants") + f"#tenant-{slug}")


@bp.post("/tenants/<slug>/suspend")
@operator_required
def suspend(shared, slug: str):
    return _change_status(
        shared,
        slug,
        TenantStatus.suspended,
        lambda t: _(
            "Đã tạm ngừng %(name)s: người dùng của tỉnh thấy trang “tạm ngừng”, các việc chạy "
            "nền của tỉnh không chạy.",
            name=t.name,
        ),
    )


@bp.post("/tenants/<slug>/resume")
@operator_required
def resume(shared, slug: str):
    return _change_status(
        shared,
        slug,
        TenantStatus.active,
        lambda t: _("%(name)s đã hoạt động trở lại.", name=t.name),
    )
