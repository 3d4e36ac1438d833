"""Pages outside any domain: the list of provinces and the language switch."""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import refresh

from giamsat.http.session import LANG_KEY, current_user, safe_next
from giamsat.jobs.runtime import current_runtime
from giamsat.tenancy.registry import list_tenants

bp = Blueprint("web", __name__, template_folder="templates")

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


@bp.app_template_global()
def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


@bp.get("/")
def index():
    """The active provinces, each a link to its own pages."""
    with current_runtime().database.session() as shared:
        tenants = [t for t in list_tenants(shared) if t.is_active]
    return render_template("web/index.html", tenants=tenants)


@bp.post("/language")
@bp.post("/t/<tenant>/language")
def set_language():
    """Switch the page language for this browser, and for the logged-in user's account."""
    lang = request.form.get("lang", "")
    if lang not in LANGUAGE_NAMES:
        flash(_("Ngôn ngữ không hợp lệ."), "error")
    else:
        session[LANG_KEY] = lang
        user = current_user() if "tenant" in g else None
        if user is not None:
            user.locale = lang  # committed by the request's one commit
        refresh()
        flash(_("Đã chuyển ngôn ngữ sang %(name)s.", name=LANGUAGE_NAMES[lang]), "success")
    fallback = url_for("units_pages.home") if "tenant" in g else url_for("web.index")
    return redirect(safe_next(request.form.get("next")) or fallback)
