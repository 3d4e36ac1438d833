"""Page sessions: who is logged in to which tenant, idle timeout, `login_required`.

Users are loaded through the loader the app installs (`install_user_loader`), so this module
knows no domain."""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from giamsat.core.acting import acting
from giamsat.http.inputs import STRICT
from giamsat.identity import Principal

#: `(session, user_id) -> user or None`, installed by the app (the accounts domain's).
_user_loader: Callable[[Session, int], Any] | None = None

# Keys of the signed session cookie. The tenant travels with the user id: a session opened
# in tenant A names A's user ids, which mean nothing (or someone else) in tenant B.
USER_KEY = "uid"
TENANT_KEY = "tid"
SEEN_KEY = "seen"
LANG_KEY = "lang"
EPOCH_KEY = "ep"
_AUTH_KEYS = (USER_KEY, TENANT_KEY, SEEN_KEY, EPOCH_KEY)

#: Rewrite the "last seen" time at most this often, not on every request.
_SEEN_RESOLUTION_SECONDS = 30


def install_user_loader(loader: Callable[[Session, int], Any]) -> None:
    global _user_loader
    _user_loader = loader


def _idle_seconds() -> int:
    return current_app.config["GIAMSAT"].session_idle_minutes * 60


def login_user(user: Any) -> None:
    """Start a fresh session for `user` in the current tenant (nothing of the old one is kept)."""
    session.clear()
    session[USER_KEY] = user.id
    session[TENANT_KEY] = g.tenant.tenant_id
    session[SEEN_KEY] = int(time.time())
    session[EPOCH_KEY] = user.session_epoch
    session[LANG_KEY] = user.locale
    g.user = user


def logout_user() -> None:
    """End this session and every other one of the same user (copied cookies included)."""
    user = g.get("user")
    if user is not None:
        user.session_epoch += 1
    lang = session.get(LANG_KEY)
    session.clear()
    if lang:
        session[LANG_KEY] = lang
    g.pop("user", None)
    g.pop("principal", None)


def current_user() -> Any | None:
    """The logged-in user of the current tenant, or None (no session, other tenant, idle, gone).

    An idle session is ended here and `g.session_expired` set, so the caller can say why."""
    if "user" in g:
        return g.user
    g.user = None
    scope = g.get("tenant")
    if scope is None or session.get(TENANT_KEY) != scope.tenant_id or USER_KEY not in session:
        return None
    now = int(time.time())
    if now - int(session.get(SEEN_KEY, 0)) > _idle_seconds():
        for key in _AUTH_KEYS:
            session.pop(key, None)
        g.session_expired = True
        return None
    assert _user_loader is not None, "create_app installs the user loader"
    user = _user_loader(scope.session, session[USER_KEY])
    if user is None or not user.is_active or session.get(EPOCH_KEY) != user.session_epoch:
        for key in _AUTH_KEYS:
            session.pop(key, None)
        return None
    if now - int(session[SEEN_KEY]) >= _SEEN_RESOLUTION_SECONDS:
        session[SEEN_KEY] = now
    g.user = user
    return user


def current_principal() -> Principal:
    """The Principal of the logged-in user; only inside `login_required` views."""
    if "principal" not in g:
        g.principal = Principal.of(g.user)
    return g.principal


def shows_sources() -> bool:
    """Whether the page may show where a rule or wording comes from and how sure it is
    ([UNCONFIRMED], "cách diễn đạt chưa xác nhận"…): only to the tenant admin, who edits rules
    and catalogues; staff doing their daily work see the plain value."""
    user = current_user()
    return user is not None and Principal.of(user).is_tenant_admin


_MARKERS = re.compile(r"\s*\[(?:CONFIRMED|PARTIAL|UNCONFIRMED)\]")


def working_words(text: str | None) -> str:
    """`text` without its confidence markers, unless the page may show them (`shows_sources`)."""
    if not text:
        return ""
    return text if shows_sources() else _MARKERS.sub("", text)


def login_required(view):
    """Send anonymous (or idle, or other-tenant) visitors to this tenant's login page."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if current_user() is None:
            if g.get("session_expired"):
                flash(
                    _("Phiên làm việc đã hết hạn vì lâu không thao tác. Hãy đăng nhập lại."),
                    "warning",
                )
            target = request.full_path if request.method == "GET" else None
            return redirect(url_for("accounts_pages.login", next=safe_next(target)))
        # Audit entries and events of this request name the user without being told.
        with acting(current_principal()):
            return view(*args, **kwargs)

    return wrapper


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path inside the current tenant, else None: no open redirects."""
    if not target or STRICT.search(target):
        return None  # a line break would split the Location header: refuse, don't fail
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target or not target.startswith("/"):
        return None
    scope = g.get("tenant")
    if scope is not None and not parts.path.startswith(f"{request.script_root}/t/{scope.slug}/"):
        return None
    return target.rstrip("?") or None
