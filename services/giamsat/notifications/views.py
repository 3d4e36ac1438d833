"""Pages of the notification centre (thông báo): the list, mark read, open, email preference."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import LazyString, format_datetime
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from giamsat.http.pages import done, form_page, paginate, tenant_session
from giamsat.http.session import current_principal, login_required, safe_next
from giamsat.notifications import operations, queries
from giamsat.notifications.email.texts import headline
from giamsat.notifications.forms import PreferencesForm
from giamsat.notifications.links import notification_path
from giamsat.notifications.models import EmailMode, Notification

bp = Blueprint(
    "notifications_pages",
    __name__,
    url_prefix="/t/<tenant>/notifications",
    template_folder="templates",
)

#: The centre pages by 20 (the lists elsewhere by http.pages.PAGE_SIZE): one phone screen.
CENTRE_PAGE_SIZE = 20
_COUNT_KEY = "_notifications_unread"


# --- the unread count in the layout ------------------------------------------------------------


def _unread_for_layout() -> int | None:
    """The logged-in user's unread count, once per request; None when it cannot be had."""
    if _COUNT_KEY not in g:
        user, scope = g.get("user"), g.get("tenant")
        count = None
        if user is not None and scope is not None:
            try:
                # no_autoflush: a form page showing a refused change must not write it here.
                with scope.session.no_autoflush:
                    count = queries.unread_count(scope.session, user.id)
            except SQLAlchemyError:
                # An error page after a failed statement: show the link, just without a number.
                count = None
        setattr(g, _COUNT_KEY, count)
    return g.get(_COUNT_KEY)


def _nav_label() -> str:
    count = _unread_for_layout()
    if count:
        return _("Thông báo (%(count)s)", count=count)
    return _("Thông báo")


def nav_label() -> LazyString:
    """Evaluated only when the layout prints the menu (logged in, in a tenant): other pages
    and the API pay no query for it."""
    return LazyString(_nav_label)


# --- the centre --------------------------------------------------------------------------------


@dataclass
class Shown:
    """One row of the centre: the sentence in the reader's language, when, read or not."""

    id: int
    text: str
    when: str
    unread: bool
    has_link: bool


def _shown(notification: Notification) -> Shown:
    return Shown(
        id=notification.id,
        text=headline(notification.kind, notification.title, notification.params, _),
        when=format_datetime(notification.created_at, "dd/MM/yyyy HH:mm"),
        unread=notification.read_at is None,
        has_link=bool(notification.link_endpoint),
    )


@bp.get("/")
@login_required
def index():
    unread_only = request.args.get("unread") == "1"
    page = paginate(
        queries.notifications_query(g.user.id, unread_only=unread_only),
        page_size=CENTRE_PAGE_SIZE,
        shown=_shown,
    )
    return render_template(
        "notifications/index.html",
        page=page,
        unread_only=unread_only,
        unread=queries.unread_count(tenant_session(), g.user.id),
        back=request.full_path.rstrip("?"),
    )


def _back_to_centre():
    """Where a mark-read form came from (a page of the centre), never anywhere else."""
    target = safe_next(request.form.get("next"))
    centre = url_for("notifications_pages.index")
    if target is None or not target.startswith(centre):
        target = centre
    return redirect(target)


@bp.post("/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int):
    operations.mark_read(tenant_session(), g.user.id, notification_id)
    return _back_to_centre()


@bp.post("/read-all")
@login_required
def mark_all_read():
    marked = operations.mark_all_read(tenant_session(), g.user.id)
    if marked:
        flash(_("Đã đánh dấu %(count)s thông báo là đã đọc.", count=marked), "success")
    else:
        flash(_("Không còn thông báo nào chưa đọc."), "info")
    return _back_to_centre()


@bp.get("/<int:notification_id>/open")
@login_required
def open_notification(notification_id: int):
    """Mark read, then go to the object's page.

    A GET with a side effect on purpose: it only ever sets the reader's own `read_at` once
    (repeating it changes nothing, someone else's id is 404), and a plain link keeps "open in
    a new tab" working on old phones. The target is built from the stored endpoint and must be
    a path of this tenant; anything else lands back on the centre."""
    notification = operations.mark_read(tenant_session(), g.user.id, notification_id)
    target = safe_next(notification_path(notification, g.tenant.slug))
    if target is None:
        flash(
            _("Trang của thông báo này không còn nữa. Thông báo đã được đánh dấu là đã đọc."),
            "warning",
        )
        return redirect(url_for("notifications_pages.index"))
    return redirect(target)


# --- preferences -------------------------------------------------------------------------------


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    saved = queries.get_preference(tenant_session(), g.user.id)
    form = PreferencesForm(
        data={"email_mode": saved.email_mode.value, "email_address": saved.email_address or ""}
    )
    return form_page(
        form,
        "notifications/preferences.html",
        context={
            "account_email": g.user.email,
            "needs_address": (
                saved.email_mode != EmailMode.none and not (saved.email_address or g.user.email)
            ),
        },
        run=lambda: operations.set_preferences(
            tenant_session(),
            current_principal(),
            email_mode=form.email_mode.data or "",
            email_address=form.email_address.data,
        ),
        then=lambda _saved: done(
            _("Đã lưu cách nhận thông báo."), url_for("notifications_pages.preferences")
        ),
    )
