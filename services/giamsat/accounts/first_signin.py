"""The first sign-in: a one-time link signs the person in, and whoever signed in with a
temporary password or a link chooses their own password before anything else.

The gate runs before every tenant page: a user with `must_change_password` reaches only the
password page, logout and the language switch. The link page asks for a click first, so mail
scanners that open links do not use up the one-time token."""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from giamsat.accounts.people.credentials import (
    set_own_password,
    use_signin_token,
    user_for_signin_token,
)
from giamsat.accounts.people.forms import FirstPasswordForm
from giamsat.core import audit
from giamsat.http.forms import PageForm
from giamsat.http.pages import done, form_page, tenant_session
from giamsat.http.session import current_principal, current_user, login_required, login_user

bp = Blueprint("first_signin_pages", __name__, url_prefix="/t/<tenant>")

#: Endpoints a user who must still choose a password may reach.
_OPEN_ENDPOINTS = frozenset(
    {
        "first_signin_pages.choose_password",
        "first_signin_pages.signin_link",
        "accounts_pages.logout",
        "accounts_pages.login",
        "web.set_language",
        "static",
    }
)


@bp.before_app_request
def _require_own_password():
    if g.get("tenant") is None or request.path.startswith("/api/"):
        return None
    if request.endpoint in _OPEN_ENDPOINTS:
        return None
    user = current_user()
    if user is not None and user.must_change_password:
        return redirect(url_for("first_signin_pages.choose_password"))
    return None


@bp.route("/signin/<token>", methods=["GET", "POST"])
def signin_link(token: str):
    session = tenant_session()
    user = user_for_signin_token(session, token)
    if user is None:
        return render_template("people/signin_link.html", valid=False, form=None), 404
    form = PageForm()
    if request.method == "POST":
        use_signin_token(user)
        login_user(user)
        audit.record(
            session,
            current_principal(),
            action="login_link",
            object_type="user",
            object_id=user.id,
        )
        return redirect(url_for("first_signin_pages.choose_password"))
    return render_template("people/signin_link.html", valid=True, form=form, person=user)


@bp.route("/account/first-password", methods=["GET", "POST"])
@login_required
def choose_password():
    user = g.user
    if not user.must_change_password:
        return redirect(url_for("units_pages.home"))
    form = FirstPasswordForm()

    def changed(_result):
        audit.record(
            tenant_session(),
            current_principal(),
            action="set_own_password",
            object_type="user",
            object_id=user.id,
        )
        # Other sessions (e.g. the copied link's) end; this one goes on with the new epoch.
        user.session_epoch += 1
        login_user(user)
        return done(
            _("Đã đặt mật khẩu của bạn. Từ nay hãy đăng nhập bằng mật khẩu này."),
            url_for("units_pages.home"),
        )

    return form_page(
        form,
        "people/first_password.html",
        run=lambda: set_own_password(user, form.password.data, form.confirm.data),
        then=changed,
    )
