"""The first sign-in: a one-time link signs the person in, and whoever signed in with a
temporary password or a link chooses their own password before anything else.

The gate (`signin_views._gates`, before every tenant page) keeps a user with
`must_change_password` on the password page here, logout and the language switch. The link page asks for a click first, so mail
scanners that open links do not use up the one-time token."""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, url_for
from flask_babel import gettext as _

from giamsat.accounts import sessions, signin_views
from giamsat.accounts.people.credentials import (
    set_own_password,
    use_signin_token,
    user_for_signin_token,
)
from giamsat.accounts.people.forms import FirstPasswordForm
from giamsat.core import audit
from giamsat.http.forms import PageForm
from giamsat.http.pages import done, form_page, tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.identity import Actor

bp = Blueprint("first_signin_pages", __name__, url_prefix="/t/<tenant>")


@bp.route("/signin/<token>", methods=["GET", "POST"])
def signin_link(token: str):
    session = tenant_session()
    user = user_for_signin_token(session, token)
    if user is None:
        return render_template("people/signin_link.html", valid=False, form=None), 404
    form = PageForm()
    if form.validate_on_submit():
        use_signin_token(user)
        audit.record(
            session, Actor.of_user(user), action="login_link", object_type="user", object_id=user.id
        )
        # Signed in like a password: a session on record, the second factor if enrolled.
        return signin_views.password_accepted(user, url_for("first_signin_pages.choose_password"))
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
        # Other sessions (e.g. the copied link's) end; this one goes on.
        sessions.revoke_all(tenant_session(), user.id, keep=sessions.current_key_hash())
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
