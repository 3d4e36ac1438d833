"""What the case pages share: who may handle, the user's units, the catalogue's groups, the
operations' field names on the page forms, and the template filters for coded values."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select

from giamsat.cases import protection, queries, workflow
from giamsat.cases.labels import CHANNEL_LABELS, KIND_LABELS, STATUS_LABELS
from giamsat.cases.models import Case, CaseKind, CaseStatus, Channel, ClassificationCategory
from giamsat.cases.views import bp
from giamsat.core import clock
from giamsat.core.errors import Forbidden
from giamsat.http.pages import FORM_ERRORS, tenant_session
from giamsat.http.session import current_principal
from giamsat.units.models import Unit
from giamsat.units.queries import work_calendar

#: Roles that record and handle cases; `readonly` only reads.
HANDLERS = workflow.CASE_HANDLERS

#: The operations' field names → the page forms' field names, where they differ.
FIELD_ALIASES = {
    "tag_codes": "tags",
    "reporter": "reporter_name",
    "reporter.name": "reporter_name",
    "reporter.contact": "reporter_contact",
    "reporter.address": "reporter_address",
    "name": "reporter_name",
    "contact": "reporter_contact",
    "address": "reporter_address",
    "stream": "attachments",
    "file": "attachments",
    "unit": "unit_id",
}


# --- template helpers ----------------------------------------------------------------------


@bp.app_template_filter("case_status")
def _status_label(value) -> str:
    return str(STATUS_LABELS.get(CaseStatus(value), value)) if value else ""


@bp.app_template_filter("case_kind")
def _kind_label(value) -> str:
    return str(KIND_LABELS.get(CaseKind(value), value)) if value else ""


@bp.app_template_filter("case_channel")
def _channel_label(value) -> str:
    return str(CHANNEL_LABELS.get(Channel(value), value)) if value else ""


@bp.app_template_global("masked_reporter")
def _masked_reporter(case) -> str:
    return protection.masked_reporter(case)


# --- shared by the resource modules ----------------------------------------------------------


def days_late(case: Case, today: dt.date | None = None) -> int:
    """Working days past the due date of an answer still awaited (0 if not overdue)."""
    today = today or clock.today()
    if not queries.is_overdue(case, today=today):
        return 0
    return max(work_calendar(tenant_session()).working_days_between(case.due_on, today), 1)


def can_handle(case_or_unit) -> bool:
    unit = case_or_unit.unit if isinstance(case_or_unit, Case) else case_or_unit
    return current_principal().has_role_over(unit.path, HANDLERS)


def require_handler(case_or_unit) -> None:
    # The operations check this again; here it keeps readers from seeing or posting forms.
    if not can_handle(case_or_unit):
        raise Forbidden(_("Tài khoản của bạn chỉ được xem hồ sơ, không được thay đổi."))


def home_units() -> list[Unit]:
    ids = {grant.unit_id for grant in current_principal().grants}
    if not ids:
        return []
    units = tenant_session().scalars(select(Unit).where(Unit.id.in_(ids))).all()
    return sorted(units, key=lambda u: (u.path.count("/"), u.name))


def category_list(active_only: bool = True) -> list[ClassificationCategory]:
    return list(queries.list_categories(tenant_session(), active_only=active_only))


def category_groups(categories) -> list[tuple[str, list[ClassificationCategory]]]:
    groups: dict[str, list] = {}
    for category in categories:
        groups.setdefault(category.group_label, []).append(category)
    return list(groups.items())


def get_case(case_id: int) -> Case:
    return queries.get_case(tenant_session(), case_id, current_principal())


def with_form_names(form, run):
    """`run` with its errors' field names turned into `form`'s (FIELD_ALIASES), so
    `form_page` shows them next to the right fields."""

    def renamed():
        try:
            return run()
        except FORM_ERRORS as error:
            if error.errors:
                names: dict[str, list[str]] = {}
                for name, messages in error.errors.items():
                    alias = FIELD_ALIASES.get(name, name)
                    names.setdefault(alias if alias in form._fields else name, []).extend(messages)
                error.errors = names
            raise

    return renamed
