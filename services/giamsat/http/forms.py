"""What every page form shares: CSRF handled globally, Vietnamese field messages, domain errors."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.validators import InputRequired

from giamsat.core.errors import DomainError


class PageForm(FlaskForm):
    """Base of page forms.

    CSRFProtect (web/setup.py) checks every POST before any view runs, and the templates add
    the token themselves, so the form does not check it a second time."""

    class Meta:
        csrf = False

    def apply_domain_error(self, error: DomainError) -> list[str]:
        """Put an operation's field errors next to the fields; return the ones without a field."""
        loose = []
        for name, messages in (error.errors or {}).items():
            field = self._fields.get(name)
            if field is None:
                loose.extend(messages)
            else:
                field.errors = list(field.errors) + list(messages)
        if not error.errors:
            loose.append(error.message)
        return loose


class DayField(DateField):
    """A date typed as 2025-07-01 (browser date picker) or 01/07/2025 (by hand on old browsers)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", ["%Y-%m-%d", "%d/%m/%Y"])
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        raw = " ".join(valuelist or []).strip()
        if not raw:
            self.data = None
            return
        for fmt in self.format:
            try:
                self.data = dt.datetime.strptime(raw, fmt).date()
                return
            except ValueError:
                continue
        self.data = None
        raise ValueError(
            _l("Ngày không hợp lệ. Hãy nhập theo dạng ngày/tháng/năm, ví dụ 01/07/2025.")
        )


def optional_id(value) -> int | None:
    """Coerce a select's value to an id; empty means none."""
    if value in (None, "", "None"):
        return None
    if isinstance(value, int):
        return value
    if str(value).isdigit():
        return int(value)
    raise ValueError(_l("Lựa chọn không hợp lệ. Hãy chọn lại trong danh sách."))


class IdSelectField(SelectField):
    """A select of ids, checked by the operation (not by WTForms, whose messages are English)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", optional_id)
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        if valuelist:
            try:
                self.data = self.coerce(valuelist[0])
            except ValueError as error:
                self.data = None
                raise ValueError(str(error.args[0])) from None


class CountField(StringField):
    """A whole number ≥ 0 typed by hand; empty is None. Vietnamese message, not WTForms'."""

    def process_formdata(self, valuelist):
        raw = " ".join(valuelist or []).strip().replace(".", "").replace(" ", "")
        self.data = None
        if not raw:
            return
        if not raw.isdigit():
            raise ValueError(_l("Hãy nhập một số nguyên, ví dụ 35."))
        self.data = int(raw)

    def _value(self):
        return "" if self.data is None else str(self.data)


def confirm_field(label) -> BooleanField:
    """The required "Tôi đã kiểm tra …" box of an irreversible action: the server refuses the
    action until it is ticked (with JavaScript, site.js asks in a dialog and ticks it)."""
    return BooleanField(
        label,
        validators=[InputRequired(_l("Hãy đánh dấu ô xác nhận trước khi thực hiện."))],
    )
