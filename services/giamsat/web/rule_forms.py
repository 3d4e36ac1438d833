"""One form per tenant rule, built from its RuleSpec: the field follows the default's shape."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.fields.choices import SelectChoice

from giamsat.core.rules import RuleSpec
from giamsat.core.validation import one_line
from giamsat.http.forms import CountField, PageForm

CONFIDENCE_LABELS = {
    "CONFIRMED": _l("Đã xác nhận"),
    "PARTIAL": _l("Xác nhận một phần"),
    "UNCONFIRMED": _l("Chưa xác nhận"),
}
#: The keys of table rules (report deadlines and cut-offs), as the page names them.
PART_LABELS = {
    "month_of_quarter": _l("Tháng thứ mấy của quý (1–3)"),
    "month": _l("Tháng (1–12)"),
    "before_day": _l("Trước ngày"),
    "day": _l("Ngày"),
}
YES, NO = "1", "0"


class DaysField(TextAreaField):
    """Days off, one a line, as 01/12/2026 or 2026-12-01; the value is a sorted list of ISO days."""

    def process_formdata(self, valuelist):
        lines = [line.strip() for line in " ".join(valuelist or []).splitlines() if line.strip()]
        days = []
        for line in lines:
            day = _day(line)
            if day is None:
                self.data = None
                raise ValueError(
                    _l("“%(line)s” không phải là ngày. Hãy ghi dạng 01/12/2026.", line=line)
                )
            days.append(day.isoformat())
        self.data = sorted(days)

    def _value(self):
        if not isinstance(self.data, list):
            return ""
        return "\n".join(_shown_day(day) for day in self.data)


class ChoicesField(SelectMultipleField):
    """Several of a rule's choices, as checkboxes; the value is a list in the choices' order."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        picked = set(valuelist or [])
        self.data = [choice.value for choice in self.choices if choice.value in picked]


def _day(text: str) -> dt.date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _shown_day(iso: Any) -> str:
    try:
        return dt.date.fromisoformat(str(iso)).strftime("%d/%m/%Y")
    except ValueError:
        return str(iso)


class RuleForm(PageForm):
    """Base of the per-rule forms: the value field(s) are added by `form_class`."""

    source = StringField(
        _l("Căn cứ"),
        description=_l(
            "Văn bản, quyết định hoặc nơi tra cứu giá trị này, để người sau kiểm tra lại."
        ),
    )
    confidence = SelectField(
        _l("Mức xác nhận"),
        choices=[SelectChoice(k, v) for k, v in CONFIDENCE_LABELS.items()],
        validate_choice=False,
        description=_l("Đã xác nhận: đã đối chiếu với văn bản gốc."),
    )
    spec: RuleSpec

    def typed_value(self) -> Any:
        """The typed value (what the manifest would hold), for the spec's check."""
        default = self.spec.default
        if isinstance(default, dict):
            return {key: self[f"value__{key}"].data for key in default}
        data = self["value"].data
        if isinstance(default, bool):
            return {YES: True, NO: False}.get(data, data)
        if isinstance(default, str) and not self.spec.choices:
            return one_line(data)
        return data


def _value_field(spec: RuleSpec, label: Any, description: Any):
    default = spec.default
    if isinstance(default, bool):
        choices = [SelectChoice(YES, _l("Có")), SelectChoice(NO, _l("Không"))]
        return SelectField(label, choices=choices, validate_choice=False, description=description)
    if isinstance(default, int):
        return CountField(label, description=description)
    if isinstance(default, list) and spec.choices:
        choices = [SelectChoice(k, v) for k, v in spec.choices.items()]
        return ChoicesField(label, choices=choices, description=description)
    if isinstance(default, list):
        return DaysField(label, description=description)
    if spec.choices:
        return SelectField(
            label,
            choices=[SelectChoice(k, v) for k, v in spec.choices.items()],
            validate_choice=False,
            description=description,
        )
    return StringField(label, description=description)


_classes: dict[str, type[RuleForm]] = {}


def form_class(spec: RuleSpec) -> type[RuleForm]:
    """The form of one rule (built once per rule and process)."""
    if spec.key not in _classes:
        label, description = spec.label or spec.key, spec.help
        fields: dict[str, Any] = {"spec": spec}
        if isinstance(spec.default, dict):
            for key in spec.default:
                fields[f"value__{key}"] = CountField(PART_LABELS.get(key, key))
        else:
            fields["value"] = _value_field(spec, label, description)
        _classes[spec.key] = type(f"RuleForm_{spec.key}", (RuleForm,), fields)
    return _classes[spec.key]


def make_form(spec: RuleSpec, value: Any, source: str, confidence: str, formdata=None):
    """The rule's form, filled with its current value unless the request posted it."""
    form = form_class(spec)(prefix=spec.key, formdata=formdata)
    if formdata is None:
        if isinstance(spec.default, dict):
            for key in spec.default:
                form[f"value__{key}"].data = (value or {}).get(key)
        elif isinstance(spec.default, bool):
            form["value"].data = YES if value else NO
        else:
            form["value"].data = value
        form.source.data = source
        form.confidence.data = confidence
    return form


def shown_value(spec: RuleSpec, value: Any) -> str:
    """A rule's value in words, for the page and its history."""
    if isinstance(value, bool):
        return str(_l("Có") if value else _l("Không"))
    if isinstance(value, dict):
        return ", ".join(f"{PART_LABELS.get(k, k)}: {v}" for k, v in value.items())
    if isinstance(value, list) and spec.choices:
        return ", ".join(str(spec.choices.get(v, v)) for v in value) or str(_l("Không có"))
    if isinstance(value, list):
        return ", ".join(_shown_day(day) for day in value) or str(_l("Không có"))
    if spec.choices and value in spec.choices:
        return str(spec.choices[value])
    return "" if value is None else str(value)
