"""Credential pages: my password, my second factor, an admin's credential actions on a user,
and the sign-in log admins read."""

from __future__ import annotations

from flask import Blueprint, g, render_template, request, url_for
from flask import session as cookie
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import PasswordField, StringField

from giamsat.accounts import credentials, sessions, signin, totp
from giamsat.accounts.models import User
from giamsat.accounts.throttle import current_throttle
from giamsat.core.errors import Forbidden, ValidationFailed
from giamsat.http.forms import PageForm
from giamsat.http.pages import done, form_page, render_form, tenant_session
from giamsat.http.session import current_principal, login_required

bp = Blueprint("credentials_pages", __name__, url_prefix="/t/<tenant>", template_folder="templates")

#: Cookie key of the secret offered on the enrolment page, until a first code proves it.
OFFERED_SECRET = "totp_offer"


class PasswordForm(PageForm):
    current_password = PasswordField(
        _l("Mật khẩu hiện tại"), render_kw={"autocomplete": "current-password"}
    )
    new_password = PasswordField(
        _l("Mật khẩu mới"),
        description=_l(
            "Ít nhất 10 ký tự và khó đoán. Nên dùng một câu dài gồm vài từ mà chỉ bạn biết."
        ),
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        _l("Nhập lại mật khẩu mới"), render_kw={"autocomplete": "new-password"}
    )


class EnrolForm(PageForm):
    code = StringField(
        _l("Mã 6 chữ số trên ứng dụng"),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 8},
    )


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    return form_page(
        form,
        "accounts/password.html",
        context={"forced": g.user.must_change_password},
        run=lambda: credentials.change_password(
            tenant_session(),
            g.user,
            form.current_password.data,
            form.new_password.data,
            form.confirm_password.data,
            keep=sessions.current_key_hash(),
        ),
        then=lambda _result: done(
            _("Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc."),
            url_for("units_pages.home"),
        ),
    )


@bp.route("/account/second-factor", methods=["GET", "POST"])
@login_required
def second_factor():
    """Enrol an authenticator app: QR code and secret, then a first code; recovery codes once."""
    session, user = tenant_session(), g.user
    if totp.is_enrolled(user):
        return render_template(
            "accounts/second_factor.html",
            enrolled=True,
            remaining=totp.remaining_recovery_codes(session, user),
        )
    secret = cookie.get(OFFERED_SECRET) or totp.new_secret()
    cookie[OFFERED_SECRET] = secret
    form, errors, status = EnrolForm(), [], 200
    if form.is_submitted():
        try:
            codes = totp.enrol(session, user, secret, form.code.data)
        except ValidationFailed as error:
            errors, status = form.apply_domain_error(error), error.status
        else:
            cookie.pop(OFFERED_SECRET, None)
            return render_template(
                "accounts/recovery_codes.html", codes=codes
            )  # shown this once only
    uri = totp.provisioning_uri(secret, user, g.tenant.name)
    return render_form(
        "accounts/second_factor.html",
        form,
        status,
        errors,
        enrolled=False,
        secret=secret,
        qr=totp.qr_svg(uri),
        required=totp.is_required(session, user),
    )


# -- what an admin does to another user's credentials ------------------------------------------


SIGNIN_ACTIONS = {
    "login": _l("Đăng nhập"),
    "login_failed": _l("Nhập sai mật khẩu hoặc mã"),
    "lock": _l("Tạm khoá 15 phút"),
    "unlock": _l("Mở khoá"),
}


@bp.route("/admin/users/<int:user_id>/credentials", methods=["GET", "POST"])
@login_required
def user_credentials(user_id: int):
    """Reset a user's password (a temporary one, shown once), second factor, lock, sessions."""
    session, principal = tenant_session(), current_principal()
    user = credentials.managed_user(session, principal, user_id)
    temporary = None
    if request.method == "POST":
        action = request.form.get("action")
        if action == "reset_password":
            temporary = credentials.reset_password(session, principal, user)
        elif action == "reset_second_factor":
            credentials.reset_second_factor(session, principal, user)
            return done(_("Đã xoá đăng nhập hai lớp của người này."), request.path)
        elif action == "unlock":
            signin.unlock(session, principal, current_throttle(), user)
            return done(_("Đã mở khoá đăng nhập cho người này."), request.path)
        elif action == "end_sessions":
            ended = credentials.end_sessions(session, principal, user)
            return done(_("Đã đăng xuất %(n)s phiên của người này.", n=ended), request.path)
    return render_template(
        "accounts/user_credentials.html",
        person=user,
        temporary=temporary,
        locked_for=current_throttle().locked_for(user.username),
        enrolled=totp.is_enrolled(user),
        live_sessions=len(sessions.active_sessions(session, user.id)),
    )


@bp.route("/admin/sign-ins")
@login_required
def sign_ins():
    """Sign-ins, failures, locks and unlocks of the tenant, newest first (tenant admins)."""
    if not current_principal().is_tenant_admin:
        raise Forbidden(_("Chỉ quản trị viên của tỉnh được xem nhật ký đăng nhập."))
    session = tenant_session()
    entries = signin.recent_sign_ins(session)
    names = {entry.object_id for entry in entries}
    found = session.execute(select(User.username, User.id).where(User.username.in_(names)))
    user_ids = {username: user_id for username, user_id in found}
    return render_template(
        "accounts/sign_ins.html", entries=entries, user_ids=user_ids, action_labels=SIGNIN_ACTIONS
    )
