"""Pages of accounts: log in, log out, personal API tokens."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from giamsat.accounts import operations, sessions, signin, signin_views
from giamsat.accounts.forms import ApiTokenForm, LoginForm
from giamsat.accounts.models import ApiToken
from giamsat.accounts.queries import api_tokens_query
from giamsat.accounts.sessions import client_address
from giamsat.accounts.throttle import current_throttle
from giamsat.core import audit
from giamsat.core.errors import ValidationFailed
from giamsat.http.pages import done, render_form, tenant_session
from giamsat.http.session import (
    current_principal,
    current_user,
    login_required,
    logout_user,
    safe_next,
)
from giamsat.identity import Role

bp = Blueprint("accounts_pages", __name__, url_prefix="/t/<tenant>", template_folder="templates")

ROLE_LABELS = {
    Role.tenant_admin: _l("Quản trị tỉnh"),
    Role.unit_admin: _l("Quản trị đơn vị"),
    Role.staff: _l("Cán bộ"),
    Role.leader: _l("Lãnh đạo"),
    Role.readonly: _l("Chỉ xem"),
}


@bp.app_template_filter("role_label")
def role_label(role: Role) -> str:
    return str(ROLE_LABELS.get(Role(role), role))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Username + password; one plain message for every failure, so nobody learns who exists."""
    target = safe_next(request.values.get("next"))
    if current_user() is not None:
        return redirect(target or url_for("units_pages.home"))
    form = LoginForm()
    failed, wait = False, None
    if form.validate_on_submit():
        session = tenant_session()
        result = signin.attempt(
            session, current_throttle(), form.username.data, form.password.data, client_address()
        )
        if result.user is not None:
            return signin_views.password_accepted(result.user, target)
        # A 4xx rolls the request back: the failure must stay in the audit log all the same.
        session.commit()
        failed, wait = True, signin_views.wait_message(result)
    status = (429 if wait else 422) if failed else 200
    return render_template(
        "accounts/login.html", form=form, failed=failed, wait=wait, next=target
    ), status


@bp.post("/logout")
def logout():
    user = current_user()
    if user is not None:
        audit.record(
            tenant_session(),
            current_principal(),
            action="logout",
            object_type="user",
            object_id=user.id,
        )
        sessions.end_current(tenant_session())
    logout_user()
    return done(_("Bạn đã đăng xuất."), url_for("accounts_pages.login"))


def _tokens_of(user) -> list[ApiToken]:
    return list(tenant_session().scalars(api_tokens_query(user.id)))


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    """Mã truy cập API: create (shown once), list, revoke."""
    # Not form_page: a created token is shown once on this same page, without a redirect.
    form = ApiTokenForm()
    new_token, errors, status = None, [], 200
    if form.validate_on_submit():
        try:
            row, new_token = operations.create_api_token(
                tenant_session(),
                g.user,
                form.name.data,
                scope=form.scope.data,
                days=operations.TOKEN_DAYS_DEFAULT if form.days.data is None else form.days.data,
            )
        except ValidationFailed as error:
            errors, status = form.apply_domain_error(error), error.status
        else:
            flash(
                _(
                    "Đã tạo mã truy cập “%(name)s”. Hãy sao chép ngay: mã chỉ hiện một lần.",
                    name=row.name,
                ),
                "success",
            )
            form = ApiTokenForm(formdata=None)
    return render_form(
        "accounts/tokens.html", form, status, errors, new_token=new_token, tokens=_tokens_of(g.user)
    )


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    row = operations.revoke_api_token(tenant_session(), g.user, token_id)
    return done(
        _("Đã thu hồi mã truy cập “%(name)s”. Mã này không dùng được nữa.", name=row.name),
        url_for("accounts_pages.tokens"),
    )
