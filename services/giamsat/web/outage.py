"""Database outages, in one place: 503 with Retry-After, and a posted form handed back whole.

When PostgreSQL cannot be reached (`core.db.is_database_outage`), nothing of the request was
committed. The API answers its usual error shape with 503; a page answers a plain sentence and,
for a POST, every value the person sent in a form that posts them again to the same address
(the CSRF token included, so "Gửi lại" works once the database is back). Labels come from the
page form that declares those fields; passwords are never written back into a page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from flask import Flask, g, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError
from wtforms import BooleanField, HiddenField, PasswordField, TextAreaField
from wtforms.fields.choices import SelectChoice, SelectFieldBase
from wtforms.fields.core import UnboundField

from giamsat.core.db import is_database_outage
from giamsat.http.forms import PageForm

log = logging.getLogger(__name__)

#: Seconds a client should wait before trying again (outages last seconds to a minute).
RETRY_AFTER = 15
API_PATH_PREFIX = "/api/"
#: Field names never echoed back into a page, whatever form they belong to.
SECRET_NAMES = ("password", "secret", "totp", "otp")


@dataclass
class KeptField:
    """One posted field as the outage page shows it again."""

    name: str
    label: str
    values: list[str]
    #: "text" (one line), "textarea", "choice" (kept hidden, its chosen label shown),
    #: "hidden" (CSRF token and the like) or "secret" (asked again, value dropped).
    kind: str = "text"
    shown: list[str] = field(default_factory=list)


def message() -> str:
    return _(
        "Hệ thống đang tạm gián đoạn nên chưa lưu được việc bạn vừa gửi; chưa có gì bị thay "
        "đổi. Hãy đợi khoảng một phút rồi thử lại."
    )


def _is_secret(name: str, unbound: UnboundField | None) -> bool:
    if unbound is not None and issubclass(unbound.field_class, PasswordField):
        return True
    return any(word in name.lower() for word in SECRET_NAMES)


def _all_subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_all_subclasses(sub)]
    return found


def _declared_fields(form_class: type) -> dict[str, UnboundField]:
    return {
        name: value
        for klass in reversed(form_class.__mro__)
        for name, value in vars(klass).items()
        if isinstance(value, UnboundField)
    }


def _form_for(names: set[str]) -> dict[str, UnboundField]:
    """The fields of the page form that best explains what was posted: one that declares every
    posted name, the smallest such (the view may not have built it: the outage may have come
    before, while the tenant was looked up)."""
    best: dict[str, UnboundField] = {}
    for form_class in _all_subclasses(PageForm):
        declared = _declared_fields(form_class)
        if names <= declared.keys() and (not best or len(declared) < len(best)):
            best = declared
    return best


def _label(unbound: UnboundField | None, name: str) -> str:
    if unbound is None:
        return name
    text = unbound.args[0] if unbound.args else unbound.kwargs.get("label")
    return str(text) if text else name


def _choice_labels(unbound: UnboundField) -> dict[str, str]:
    choices = unbound.kwargs.get("choices")
    if not isinstance(choices, list | tuple):
        return {}
    labels = {}
    for choice in choices:
        if isinstance(choice, SelectChoice):
            labels[str(choice.value)] = str(choice.label)
        else:
            labels[str(choice[0])] = str(choice[1])
    return labels


def _kind(name: str, values: list[str], unbound: UnboundField | None) -> str:
    if name == "csrf_token":
        return "hidden"
    if _is_secret(name, unbound):
        return "secret"
    if unbound is None:
        return "textarea" if any("\n" in v or len(v) > 80 for v in values) else "text"
    kind = unbound.field_class
    if issubclass(kind, BooleanField) or _choice_labels(unbound):
        return "choice"
    if issubclass(kind, HiddenField | SelectFieldBase):
        # Hidden, or a choice filled in by the view (ids): handed back, not shown as codes.
        return "hidden"
    return "textarea" if issubclass(kind, TextAreaField) else "text"


def kept_fields() -> list[KeptField]:
    """Every posted field, in the order sent, ready to be posted again."""
    posted: dict[str, list[str]] = {}
    for name, value in request.form.items(multi=True):
        posted.setdefault(name, []).append(value)
    declared = _form_for(set(posted) - {"csrf_token"})
    kept = []
    for name, values in posted.items():
        unbound = declared.get(name)
        item = KeptField(name, _label(unbound, name), values, _kind(name, values, unbound))
        if item.kind == "secret":
            item.values = []
        elif item.kind == "choice" and unbound is not None:
            labels = _choice_labels(unbound) or {v: _("Đã đánh dấu") for v in values}
            item.shown = [labels.get(v, v) for v in values]
        kept.append(item)
    return kept


def outage_response(error: BaseException):
    # The class only: a driver message may carry host names or statement values.
    log.warning("database unavailable (%s): answered 503", type(error).__name__)
    headers = {"Retry-After": str(RETRY_AFTER), "Cache-Control": "no-store"}
    if request.path.startswith(API_PATH_PREFIX):
        body = {"code": 503, "status": "Service Unavailable", "message": message()}
        return body, 503, headers
    # Loaded rows may be expired by the failed transaction: the page reads nothing from them.
    g.user = None
    g.principal = None
    fields = kept_fields() if request.method == "POST" else []
    page = render_template(
        "web/outage.html",
        message=message(),
        fields=fields,
        action=request.full_path.rstrip("?"),
        file_fields=sorted(set(request.files)),
        retry_after=RETRY_AFTER,
    )
    return page, 503, headers


def _database_error(error: SQLAlchemyError):
    if not is_database_outage(error):
        raise error  # a bug or a refused statement: the usual 500
    return outage_response(error)


def outage_behind(error: BaseException) -> BaseException | None:
    """The database outage behind a 500 (one raised after the view, e.g. at commit), if any."""
    original = getattr(error, "original_exception", None)
    return original if original is not None and is_database_outage(original) else None


def init_app(app: Flask) -> None:
    app.register_error_handler(SQLAlchemyError, _database_error)
