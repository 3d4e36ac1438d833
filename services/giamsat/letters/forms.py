"""Page forms of suggestion boxes and their openings; the operations do the checking."""

from __future__ import annotations

import datetime as dt
import re

from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectField, StringField, TextAreaField
from wtforms.fields import FieldList, FormField
from wtforms.fields.choices import SelectChoice

from giamsat.core import clock
from giamsat.core.errors import DomainError
from giamsat.http.forms import CountField, DayField, PageForm
from giamsat.letters.labels import BOX_STATUS_LABELS, SEAL_LABELS

#: Empty witness rows the opening form shows beyond the required minimum.
SPARE_WITNESS_ROWS = 2
#: An operation's error on one witness row: `witnesses.<row>` or `witnesses.<row>.<field>`.
WITNESS_FIELD = re.compile(r"^witnesses\.(\d+)(?:\.(name|role))?$")


class _BoxFields(PageForm):
    location = StringField(
        _l("Nơi đặt hòm thư"),
        render_kw={"maxlength": 300},
        description=_l(
            "Chỗ treo hòm thư để người dân dễ thấy, ví dụ “Cổng nhà văn hóa thôn Yên Thịnh”. Bắt buộc."
        ),
    )
    keeper = StringField(
        _l("Người giữ hòm thư và chìa khóa"),
        render_kw={"maxlength": 200},
        description=_l(
            "Họ tên người giữ hòm thư và chìa khóa, có thể kèm chức danh, ví dụ “Ông Hà Văn "
            "Phúc, Trưởng ban Công tác Mặt trận”. Bắt buộc: biên bản mở hòm thư ghi tên người này."
        ),
    )
    installed_on = DayField(
        _l("Ngày đặt hòm thư"),
        description=_l("Ngày hòm thư được treo, dạng ngày/tháng/năm. Không được sau hôm nay."),
    )
    notes = TextAreaField(
        _l("Ghi chú"),
        render_kw={"rows": 3},
        description=_l("Không bắt buộc, ví dụ số chìa khóa, màu hòm thư."),
    )

    def values(self) -> dict:
        """The operation's arguments."""
        return {
            "location": self.location.data or "",
            "keeper": self.keeper.data or "",
            "installed_on": self.installed_on.data,
            "notes": self.notes.data or "",
        }


class BoxForm(_BoxFields):
    """Thêm hòm thư."""


class EditBoxForm(_BoxFields):
    status = SelectField(
        _l("Tình trạng"),
        validate_choice=False,
        choices=[SelectChoice(s.value, label) for s, label in BOX_STATUS_LABELS.items()],
        description=_l("Hòm thư hư hỏng hoặc đã thu hồi không còn bị nhắc mở định kỳ."),
    )

    def values(self) -> dict:
        return super().values() | {"status": self.status.data}


class WitnessForm(Form):
    """One person present at the opening (a sub-form: CSRF is on the page form)."""

    name = StringField(_l("Họ và tên"), render_kw={"maxlength": 200})
    role = StringField(_l("Chức danh"), render_kw={"maxlength": 200})


class OpeningForm(PageForm):
    opened_on = DayField(
        _l("Ngày mở hòm thư"), description=_l("Ngày mở, dạng ngày/tháng/năm. Để trống là hôm nay.")
    )
    opened_time = StringField(
        _l("Giờ mở"),
        render_kw={"maxlength": 5, "inputmode": "numeric", "placeholder": "08:30"},
        description=_l("Giờ và phút lúc mở, ví dụ 08:30 hoặc 14:00."),
    )
    witnesses = FieldList(FormField(WitnessForm), min_entries=1)
    seal_condition = SelectField(
        _l("Tình trạng niêm phong"),
        validate_choice=False,
        choices=[SelectChoice("", _l("— Chọn —"))]
        + [SelectChoice(s.value, label) for s, label in SEAL_LABELS.items()],
        description=_l("Niêm phong của hòm thư lúc mở. Nếu bị rách, hãy ghi rõ ở phần ghi chú."),
    )
    letters_found = CountField(
        _l("Số thư thu được"),
        render_kw={"inputmode": "numeric", "min": 0},
        description=_l(
            "Số thư, đơn lấy ra từ hòm thư, kể cả thư không ghi tên. Nhập 0 nếu không có thư nào."
        ),
    )
    notes = TextAreaField(
        _l("Ghi chú"),
        render_kw={"rows": 3},
        description=_l("Không bắt buộc: việc khác xảy ra khi mở hòm thư, sẽ ghi vào biên bản."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        #: Messages about the witnesses as a whole (too few), shown above their rows.
        self.witness_errors: list[str] = []

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # The time is checked even when another field is wrong, so every problem shows at once.
        return self.opened_at() is not None and valid

    def opened_at(self) -> dt.datetime | None:
        """The date and time typed, or None (the time field then carries an error)."""
        day = self.opened_on.data or clock.today()
        raw = (self.opened_time.data or "").strip().replace("h", ":").replace(".", ":")
        try:
            hour, minute = (int(part) for part in raw.split(":"))
            return dt.datetime.combine(day, dt.time(hour, minute))
        except (ValueError, TypeError):
            self.opened_time.errors = list(self.opened_time.errors) + [
                _l("Giờ mở không hợp lệ. Hãy nhập giờ:phút, ví dụ 08:30.")
            ]
            return None

    def witness_rows(self) -> list[dict]:
        return [
            {"name": entry.form.name.data or "", "role": entry.form.role.data or ""}
            for entry in self.witnesses
        ]

    def values(self) -> dict:
        """The operation's arguments (after `validate`), the time in Vietnam time."""
        return {
            "opened_at": self.opened_at().replace(tzinfo=clock.zone()),
            "witnesses": self.witness_rows(),
            "seal_condition": self.seal_condition.data or "",
            "letters_found": self.letters_found.data,
            "notes": self.notes.data or "",
        }

    def apply_domain_error(self, error: DomainError) -> list[str]:
        """Besides the page fields: a witness row's problem goes to that row, one about the
        witnesses as a whole to `witness_errors`, the time's to the day field."""
        loose = []
        for name, messages in (error.errors or {}).items():
            target = self._error_target(name)
            if target is None:
                loose.extend(messages)
            elif target is self.witnesses:
                self.witness_errors.extend(messages)
            else:
                target.errors = list(target.errors) + list(messages)
        if not error.errors:
            loose.append(error.message)
        return loose

    def _error_target(self, name: str):
        if name == "opened_at":
            return self.opened_on
        row = WITNESS_FIELD.match(name)
        if row:
            index = int(row.group(1))
            if index >= len(self.witnesses.entries):
                return None
            return getattr(self.witnesses.entries[index].form, row.group(2) or "name")
        return self._fields.get(name)
