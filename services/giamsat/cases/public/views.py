"""Public pages (no login): the form per unit, the receipt-code lookup; and the QR label
of a residential area's suggestion box for logged-in staff."""

from __future__ import annotations

from flask import Blueprint, current_app, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from giamsat.cases.models import CaseKind, CaseStatus, ReporterMode
from giamsat.cases.public import operations
from giamsat.cases.public.forms import (
    AddInformationForm,
    LookupForm,
    PublicCaseForm,
    form_problems,
    identity_of,
)
from giamsat.cases.public.qr import qr_svg
from giamsat.cases.public.ratelimit import (
    LOOKUP_PER_ADDRESS,
    SUBMIT_PER_ADDRESS,
    SUBMIT_PER_UNIT,
    Limit,
    LimiterUnavailable,
    RateLimiter,
    address_subject,
)
from giamsat.cases.public.receipts import case_for_code, format_code
from giamsat.core import public_address
from giamsat.core.errors import NotFound, ValidationFailed
from giamsat.core.queue import redis_connection
from giamsat.http.pages import tenant_session
from giamsat.http.session import current_principal, login_required
from giamsat.units.queries import get_residential_area, get_rule

bp = Blueprint(
    "cases_public",
    __name__,
    url_prefix="/t/<tenant>",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/cases-public",
)

LIMITER_KEY = "giamsat_public_rate_limiter"

#: What each status means, in words for the sender. Nothing about recipients or notes.
PUBLIC_STATUS = {
    CaseStatus.received: _l("Đã tiếp nhận, đang chờ xem xét."),
    CaseStatus.verifying: _l("Đang xem xét, xác minh."),
    CaseStatus.awaiting_response: _l(
        "Đã chuyển đến cơ quan có thẩm quyền giải quyết, đang chờ trả lời."
    ),
    CaseStatus.handled: _l("Ủy ban Mặt trận đã xem xét, giải quyết."),
    CaseStatus.archived: _l("Đã xem xét và lưu hồ sơ, không tiếp tục xử lý."),
    CaseStatus.responded: _l("Cơ quan có thẩm quyền đã trả lời."),
    CaseStatus.closed: _l("Đã giải quyết xong."),
    CaseStatus.transferred: _l("Đã chuyển đơn vị khác xem xét."),
}


def limiter() -> RateLimiter:
    """One limiter per app, on a fail-fast Redis client (a dead Redis never stalls a page)."""
    found = current_app.extensions.get(LIMITER_KEY)
    if found is None:
        settings = current_app.config["GIAMSAT"]
        found = RateLimiter(redis_connection(settings.redis_url), settings.queue_prefix)
        current_app.extensions[LIMITER_KEY] = found
    return found


def _allowed(limit: Limit) -> int:
    value = get_rule(tenant_session(), limit.rule_key, limit.default)
    return (
        value
        if isinstance(value, int) and not isinstance(value, bool) and value > 0
        else limit.default
    )


def _within(limit: Limit, subject: str) -> bool:
    return limiter().hit(g.tenant.slug, limit, subject, _allowed(limit))


def _client() -> str:
    # The deployer puts ProxyFix in front when behind a proxy (see ratelimit.py).
    return address_subject(request.remote_addr)


def _too_many(what: str):
    return render_template("cases_public/limited.html", what=what), 429


@bp.route("/gop-y/<int:unit_id>", methods=["GET", "POST"])
def submit(unit_id: int):
    """The public form of a unit (or of a residential area, for its commune)."""
    unit, area = operations.form_target(tenant_session(), unit_id)
    form = PublicCaseForm()
    values = {"unit": unit, "area": area, "form": form}
    if request.method == "GET":
        return render_template("cases_public/form.html", errors=[], **values)
    problems = form_problems(form)
    if problems:
        errors = form.apply_domain_error(ValidationFailed("", errors=problems))
        return render_template("cases_public/form.html", errors=errors, **values), 422
    # Both windows count: one address, and the whole unit (many addresses at once).
    if not (_within(SUBMIT_PER_ADDRESS, _client()) and _within(SUBMIT_PER_UNIT, str(unit.id))):
        return _too_many("submit")
    try:
        case, code = operations.receive_public_case(
            tenant_session(),
            unit_id=unit_id,
            kind=CaseKind(form.kind.data),
            title=form.title.data.strip(),
            content=form.content.data.strip(),
            concerned=(form.concerned.data or "").strip(),
            reporter_mode=ReporterMode(form.reporter_mode.data),
            reporter=identity_of(form),
        )
    except ValidationFailed as error:
        errors = form.apply_domain_error(error)
        return render_template("cases_public/form.html", errors=errors, **values), 422
    # Shown in this response only: the code is kept nowhere but as a hash.
    return render_template(
        "cases_public/receipt.html", case=case, unit=unit, code=format_code(code)
    )


def _status_page(case, form: AddInformationForm, code: str, status: int = 200, **extra):
    current = operations.current_case(tenant_session(), case)
    form.code.data = code
    return render_template(
        "cases_public/status.html",
        case=case,
        current=current,
        status_text=PUBLIC_STATUS.get(current.status, ""),
        public_answer=current.public_answer or case.public_answer,
        form=form,
        **extra,
    ), status


def _find_case(raw_code: str | None):
    """(case or None, refusal response or None): counts the attempt against the limit first."""
    try:
        if not _within(LOOKUP_PER_ADDRESS, _client()):
            return None, _too_many("lookup")
    except LimiterUnavailable:
        return None, (render_template("cases_public/unavailable.html"), 503)
    return case_for_code(tenant_session(), raw_code), None


@bp.route("/tra-cuu", methods=["GET", "POST"])
def lookup():
    """Follow a case with its receipt code; the code travels in the POST body only."""
    form = LookupForm()
    if request.method == "GET":
        return render_template("cases_public/lookup.html", form=form, errors=[])
    case, refusal = _find_case(form.code.data)
    if refusal is not None:
        return refusal
    if case is None:
        # Same words for a mistyped, unknown or other province's code: nothing to learn.
        form.code.errors = [_("Không tìm thấy việc nào với mã này. Hãy kiểm tra lại từng chữ số.")]
        return render_template("cases_public/lookup.html", form=form, errors=[]), 404
    return _status_page(case, AddInformationForm(formdata=None), form.code.data)


@bp.post("/tra-cuu/bo-sung")
def add_information():
    """Add information to a followed case (the code comes back in the POST)."""
    form = AddInformationForm()
    case, refusal = _find_case(form.code.data)
    if refusal is not None:
        return refusal
    if case is None:
        lookup_form = LookupForm(formdata=None)
        lookup_form.code.errors = [_("Mã tra cứu không đúng. Hãy nhập lại mã.")]
        return render_template("cases_public/lookup.html", form=lookup_form, errors=[]), 404
    try:
        operations.add_public_note(tenant_session(), case, form.text.data)
    except ValidationFailed as error:
        errors = form.apply_domain_error(error)
        return _status_page(case, form, form.code.data, 422, errors=errors)
    return _status_page(case, AddInformationForm(formdata=None), form.code.data, added=True)


@bp.get("/units/<int:area_id>/qr")
@login_required
def qr_label(area_id: int):
    """A printable label for a residential area's suggestion box: QR code of its public form."""
    area = get_residential_area(tenant_session(), area_id, current_principal())
    if not area.is_current():
        raise NotFound(_("Khu dân cư này đã ngừng hoạt động."))
    # A label lives for years on a box: it carries the configured public address, never the
    # one this page happened to be asked on (127.0.0.1 in development, an internal name…).
    settings = current_app.config["GIAMSAT"]
    form_url = public_address.absolute(settings, url_for("cases_public.submit", unit_id=area.id))
    if form_url is None:
        return render_template(
            "cases_public/qr_label.html",
            area=area,
            commune=area.parent,
            refusal=public_address.problem(settings),
        ), 409
    return render_template(
        "cases_public/qr_label.html",
        area=area,
        commune=area.parent,
        form_url=form_url,
        svg=qr_svg(form_url),
        refusal=None,
    )
