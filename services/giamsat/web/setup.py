"""Wires the page shell into the app: language, CSRF, session cookie, headers, error pages."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g, render_template, request, session
from flask_babel import Babel, get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from giamsat.core import clock, public_address
from giamsat.core.errors import DomainError
from giamsat.http.session import LANG_KEY, current_user, shows_sources, working_words
from giamsat.identity import Principal, Role
from giamsat.tenancy.resolver import TenantSuspended
from giamsat.web.outage import outage_behind, outage_response

LOCALES = ("vi", "en")
TRANSLATIONS_DIR = Path(__file__).resolve().parents[1] / "translations"
API_PATH_PREFIX = "/api/"

csrf = CSRFProtect()
babel = Babel()


def select_locale() -> str:
    """The language chosen in this browser (set at login from the user's choice), else default."""
    chosen = session.get(LANG_KEY)
    if chosen in LOCALES:
        return chosen
    return current_app.config["GIAMSAT"].default_locale


def translation_directories() -> list[Path]:
    """The shell's catalog, then one per domain that has its own `translations/` folder
    (Flask-Babel merges them), so domains add texts without touching each other's files."""
    from giamsat.domains import DOMAINS, package_dir

    found = []
    for domain in DOMAINS:
        # The domain's own folder, and those of its sub-packages (e.g. cases/public).
        found += sorted(package_dir(domain).glob("translations"))
        found += sorted(package_dir(domain).glob("*/translations"))
    return [TRANSLATIONS_DIR] + [d for d in found if d.is_dir()]


def nav_links() -> list[tuple[str, str]]:
    """(endpoint, label) of each domain's main page, as the domains declare them: the layout
    never names a domain."""
    from giamsat import domains

    return domains.nav_links()


def init_app(app: Flask) -> None:
    settings = app.config["GIAMSAT"]
    app.config.update(
        BABEL_DEFAULT_LOCALE=settings.default_locale,
        BABEL_DEFAULT_TIMEZONE=settings.time_zone,
        BABEL_TRANSLATION_DIRECTORIES=";".join(str(d) for d in translation_directories()),
        # CSRF is checked by our own hook below, so API requests (Bearer tokens) can skip it.
        WTF_CSRF_CHECK_DEFAULT=False,
    )
    babel.init_app(app, locale_selector=select_locale)
    # Every page shows days as dd/mm/yyyy and moments as dd/mm/yyyy HH:MM, in Vietnam time.
    app.add_template_filter(clock.format_day, "day")
    app.add_template_filter(clock.format_moment, "moment")
    # A global, not a context value: macros imported without context call it too.
    app.add_template_global(shows_sources, "shows_sources")
    app.add_template_filter(working_words, "working_words")
    csrf.init_app(app)

    @app.before_request
    def _check_csrf():
        # Every form POST of the pages carries a token; the API authenticates by Bearer token
        # and never by cookie, so cross-site requests gain nothing there.
        if app.config.get("WTF_CSRF_ENABLED", True) and not request.path.startswith(
            API_PATH_PREFIX
        ):
            csrf.protect()

    @app.after_request
    def _page_headers(response):
        # The security headers of every response are set by `http.headers`.
        if not request.path.startswith(API_PATH_PREFIX) and response.mimetype == "text/html":
            # Pages show personal data (and a new API token once): keep them out of caches.
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.context_processor
    def _layout_values():
        return {
            "current_locale": str(get_locale() or settings.default_locale),
            "locales": LOCALES,
            "nav_links": nav_links(),
            "address_warning": _address_warning(current_app.config["GIAMSAT"]),
        }

    for code in (400, 403, 404, 405, 500):
        app.register_error_handler(code, _http_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(TenantSuspended, _suspended)

    from giamsat.web import national, platform, rules
    from giamsat.web.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(rules.bp)
    app.register_blueprint(platform.bp)
    app.register_blueprint(national.bp)


def _api_error(error: HTTPException):
    """Code-specific handlers win over flask-smorest's generic one: hand API errors back to it."""
    apis = current_app.extensions.get("flask-smorest", {}).get("apis", {})
    for entry in apis.values():
        return entry["ext_obj"].handle_http_exception(error)
    return error


def _error_page(status: int, title: str, message: str):
    return render_template("web/error.html", status=status, title=title, message=message), status


def _http_error(error: HTTPException):
    # A 500 raised after the view (the commit at the request's end) may be a database outage.
    cause = outage_behind(error)
    if cause is not None:
        return outage_response(cause)
    if request.path.startswith(API_PATH_PREFIX):
        return _api_error(error)
    titles = {
        403: (_("Không có quyền"), _("Tài khoản của bạn không được làm việc này.")),
        404: (
            _("Không tìm thấy trang"),
            _("Trang bạn tìm không có, hoặc bạn không được xem. Hãy quay lại trang chủ."),
        ),
        405: (
            _("Không thực hiện được"),
            _("Thao tác này không làm được theo cách đó. Hãy dùng các nút trên trang."),
        ),
        500: (
            _("Đã có lỗi"),
            _(
                "Hệ thống gặp lỗi, việc vừa làm chưa được lưu. "
                "Hãy thử lại sau ít phút; nếu vẫn lỗi, báo cho quản trị viên."
            ),
        ),
    }
    title, message = titles.get(
        error.code, (_("Yêu cầu không hợp lệ"), _("Hãy quay lại trang trước và thử lại."))
    )
    return _error_page(error.code or 500, title, message)


def _suspended(error: TenantSuspended):
    """Every page and API call of a suspended tenant: what happened and whom to ask."""
    message = _(
        "Hệ thống của %(name)s đang tạm ngừng theo quyết định của đơn vị vận hành. Dữ liệu "
        "vẫn được giữ nguyên. Hãy liên hệ quản trị viên của tỉnh hoặc đơn vị vận hành để biết "
        "khi nào hoạt động trở lại.",
        name=error.tenant_name,
    )
    if request.path.startswith(API_PATH_PREFIX):
        return {"code": 503, "status": "Service Unavailable", "message": message}, 503
    return _error_page(503, _("Tạm ngừng hoạt động"), message)


def _csrf_error(error: CSRFError):
    if request.path.startswith(API_PATH_PREFIX):
        return _api_error(error)
    return _error_page(
        400,
        _("Biểu mẫu đã hết hạn"),
        _("Biểu mẫu này đã cũ hoặc không hợp lệ nên chưa được gửi. Hãy tải lại trang rồi làm lại."),
    )


def render_domain_error(error: DomainError):
    """A plain error page for a domain error that a view did not show next to a form."""
    titles = {403: _("Không có quyền"), 404: _("Không tìm thấy")}
    return _error_page(
        error.status, titles.get(error.status, _("Không thực hiện được")), error.message
    )


def _address_warning(settings) -> str | None:
    """For admins (who print labels and hand out addresses): why the public address is not
    usable yet, shown on every page until it is set."""
    reason = public_address.problem(settings)
    if reason is None or "tenant" not in g:
        return None
    user = current_user()
    if user is None:
        return None
    principal = Principal.of(user)
    if not any(grant.role in ADDRESS_ADMINS for grant in principal.grants):
        return None
    return reason


#: Who hears that the public address is unset: those who print labels or run the province.
ADDRESS_ADMINS = frozenset({Role.tenant_admin, Role.unit_admin})
