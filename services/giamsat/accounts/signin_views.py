"""After the password: the second-factor step, the gates every page passes (revoked session,
password to change, second factor to enrol), and the list of one's own sessions."""

from __future__ import annotations

import time

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask import session as cookie
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField

from giamsat.accounts import sessions, signin, totp
from giamsat.accounts.models import User
from giamsat.accounts.sessions import client_address
from giamsat.accounts.throttle import current_throttle
from giamsat.http.forms import PageForm
from giamsat.http.pages import done, tenant_session
from giamsat.http.session import current_user, login_required, login_user, safe_next

bp = Blueprint("signin_pages", __name__, url_prefix="/t/<tenant>", template_folder="templates")

#: Cookie keys of a sign-in waiting for its second factor.
PENDING = "2fa_uid"
PENDING_TENANT = "2fa_tid"
PENDING_AT = "2fa_at"
PENDING_NEXT = "2fa_next"
#: Minutes to type the code after the password.
PENDING_SECONDS = 5 * 60
#: Pages a signed-in user reaches before the gates are passed.
GATE_FREE = frozenset(
    {
        "credentials_pages.password",
        "credentials_pages.second_factor",
        "first_signin_pages.choose_password",
        "first_signin_pages.signin_link",
        "accounts_pages.logout",
        "accounts_pages.login",
        "web.set_language",
        "static",
    }
)


class CodeForm(PageForm):
    code = StringField(
        _l("Mã xác thực"),
        description=_l(
            "Mã 6 chữ số trên ứng dụng xác thực của bạn, hoặc một mã dự phòng (dạng xxxxx-xxxxx)."
        ),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 20},
    )


def wait_message(result: signin.Attempt) -> str | None:
    if result.locked:
        minutes = max(1, (result.wait_seconds + 59) // 60)
        return _(
            "Tài khoản này tạm khoá %(minutes)s phút nữa vì nhập sai nhiều lần. Hãy chờ, hoặc "
            "nhờ quản trị viên mở khoá sớm hơn.",
            minutes=minutes,
        )
    if result.wait_seconds:
        return _(
            "Đã nhập sai nhiều lần. Hãy chờ %(seconds)s giây rồi thử lại.",
            seconds=result.wait_seconds,
        )
    return None


def password_accepted(user: User, target: str | None):
    """The password was right: sign in now, or first ask for the second factor."""
    if totp.is_enrolled(user):
        cookie[PENDING], cookie[PENDING_TENANT] = user.id, g.tenant.tenant_id
        cookie[PENDING_AT] = int(time.time())
        cookie[PENDING_NEXT] = target or ""
        return redirect(url_for("signin_pages.second_factor"))
    return finish(user, target)


def finish(user: User, target: str | None):
    session = tenant_session()
    for key in (PENDING, PENDING_TENANT, PENDING_AT, PENDING_NEXT):
        cookie.pop(key, None)
    login_user(user)
    sessions.start(session, user)
    signin.succeeded(session, current_throttle(), user, client_address())
    return done(
        _("Xin chào %(name)s, bạn đã đăng nhập.", name=user.full_name),
        target or url_for("units_pages.home"),
    )


def _pending_user() -> User | None:
    if cookie.get(PENDING_TENANT) != g.tenant.tenant_id or PENDING not in cookie:
        return None
    if time.time() - int(cookie.get(PENDING_AT, 0)) > PENDING_SECONDS:
        return None
    user = tenant_session().get(User, cookie[PENDING])
    return user if user is not None and user.is_active else None


@bp.route("/login/code", methods=["GET", "POST"])
def second_factor():
    """The second step of signing in: a code from the app, or a recovery code."""
    user = _pending_user()
    if user is None:
        return done(
            _("Hãy đăng nhập lại: bước nhập mã đã hết hạn."),
            url_for("accounts_pages.login"),
            "warning",
        )
    form, wait, failed = CodeForm(), None, False
    if form.validate_on_submit():
        session, throttle = tenant_session(), current_throttle()
        verdict = throttle.check(user.username, client_address())
        if not verdict.allowed:
            wait = wait_message(signin.Attempt(wait_seconds=verdict.wait_seconds))
        elif totp.verify(session, user, form.code.data):
            return finish(user, safe_next(cookie.get(PENDING_NEXT)))
        else:
            signin.record_failure(session, throttle, user.username, client_address(), step="code")
            session.commit()  # kept although the page answers 422
            failed = True
    status = 429 if wait else (422 if failed else 200)
    return render_template(
        "accounts/second_factor_step.html", form=form, failed=failed, wait=wait
    ), status


@bp.before_app_request
def _gates():
    """Before every page: a revoked session ends; a password to change or a second factor to
    enrol comes before anything else."""
    sessions.check_request()
    if request.path.startswith("/api/") or g.get("tenant") is None:
        return None
    user = current_user()
    if user is None or request.endpoint in GATE_FREE:
        return None
    if user.must_change_password:
        # No current password to ask for: a temporary one or a sign-in link got them here.
        return redirect(url_for("first_signin_pages.choose_password", tenant=g.tenant.slug))
    if not totp.is_enrolled(user) and totp.is_required(tenant_session(), user):
        return redirect(url_for("credentials_pages.second_factor", tenant=g.tenant.slug))
    return None


@bp.route("/account/sessions")
@login_required
def my_sessions():
    rows = sessions.active_sessions(tenant_session(), g.user.id)
    return render_template("accounts/sessions.html", rows=rows, current=g.get("signin_session"))


@bp.post("/account/sessions/<int:session_id>/revoke")
@login_required
def revoke_session(session_id: int):
    sessions.revoke(tenant_session(), g.user, session_id)
    return done(
        _("Đã đăng xuất phiên đó. Thiết bị ấy phải đăng nhập lại."),
        url_for("signin_pages.my_sessions"),
    )
