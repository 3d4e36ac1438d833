"""The central committee's national view, as pages and files: /platform/national/ for one
regular period (kind, year, number), with every province's figures, completeness and
timeliness, the national totals and the ranking of provinces behind; XLSX and DOCX of it.
Central accounts read it; operators read it too (read-only: nothing here writes)."""

from __future__ import annotations

import datetime as dt
import io

from flask import Blueprint, current_app, g, render_template, request, send_file
from flask_babel import gettext as _

from giamsat.core import clock
from giamsat.reports.labels import PERIOD_KIND_LABELS
from giamsat.reports.models import PeriodKind
from giamsat.reports.national import exports
from giamsat.reports.national.read import (
    KINDS,
    NUMBERS,
    NationalView,
    PeriodKey,
    national_role,
    national_view,
)
from giamsat.tenancy.registry import list_tenants
from giamsat.web.platform_access import national_reader_required, platform_database

bp = Blueprint("national_pages", __name__, url_prefix="/platform/national")

#: Years a period may be asked for (the tenants generate them on demand, history included).
YEARS = range(2000, 2101)
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def default_period(today: dt.date) -> PeriodKey:
    """The quarter of today's calendar month (the one being reported on now)."""
    return PeriodKey(PeriodKind.quarterly, today.year, (today.month - 1) // 3 + 1)


def parse_period(args, today: dt.date) -> tuple[PeriodKey, dict[str, str]]:
    """The period the query string asks for, and a message per field it got wrong (the
    default period then stands in for it)."""
    fallback = default_period(today)
    if not any(name in args for name in ("kind", "year", "number")):
        return fallback, {}
    errors: dict[str, str] = {}
    kind = next((k for k in KINDS if k.value == args.get("kind")), None)
    if kind is None:
        errors["kind"] = _("Hãy chọn loại kỳ: quý, 6 tháng hoặc năm.")
        kind = fallback.kind
    year_text, number_text = args.get("year", ""), args.get("number", "1")
    year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
    if year is None or year not in YEARS:
        errors["year"] = _("Năm phải là bốn chữ số, từ 2000 đến 2100.")
        year = fallback.year
    number = int(number_text) if number_text.isdigit() and len(number_text) <= 2 else 0
    if not 1 <= number <= NUMBERS[kind]:
        errors["number"] = _("Kỳ số phải từ 1 đến %(n)s với loại kỳ này.", n=NUMBERS[kind])
        number = 1
    return PeriodKey(kind, year, number), errors


def read_view(shared, key: PeriodKey) -> NationalView:
    """The national view of `key` over every tenant of the registry (suspended ones too: their
    data is kept, and the page marks them)."""
    role = current_app.extensions.get("giamsat_national_role")
    if role is None:
        prefix = current_app.config["GIAMSAT"].db_role_prefix
        role = current_app.extensions["giamsat_national_role"] = national_role(
            platform_database(), prefix
        )
    return national_view(
        platform_database(), list_tenants(shared), key, today=clock.today(), role=role
    )


@bp.get("/")
@national_reader_required
def view(shared):
    key, errors = parse_period(request.args, clock.today())
    national = read_view(shared, key)
    return render_template(
        "web/national.html",
        view=national,
        indicators=exports.indicators(national),
        errors=errors,
        kinds=[(k, PERIOD_KIND_LABELS[k]) for k in KINDS],
        numbers=NUMBERS,
        account=g.operator,
        status_text=exports.province_status_text,
    ), (422 if errors else 200)


def _file(content: bytes, mimetype: str, name: str):
    return send_file(io.BytesIO(content), mimetype=mimetype, as_attachment=True, download_name=name)


@bp.get("/export.xlsx")
@national_reader_required
def export_xlsx(shared):
    key, errors = parse_period(request.args, clock.today())
    if errors:
        return view.__wrapped__(shared)  # the page, with what to fix
    national = read_view(shared, key)
    return _file(
        exports.national_xlsx(national), XLSX_MIMETYPE, exports.file_name(national, "xlsx")
    )


@bp.get("/export.docx")
@national_reader_required
def export_docx(shared):
    key, errors = parse_period(request.args, clock.today())
    if errors:
        return view.__wrapped__(shared)
    national = read_view(shared, key)
    content = exports.national_docx(national, day=clock.today())
    return _file(content, exports.DOCX_MIMETYPE, exports.file_name(national, "docx"))
