"""Page forms of suggestion boxes and their openings; the operations do the checking."""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectField, StringField, TextAreaField
from wtforms.fields import FieldList, FormField
from wtforms.fields.choices import SelectChoice

from giamsat.letters.labels import BOX_STATUS_LABELS, SEAL_LABELS
from giamsat.http.forms import CountField, DayField, PageForm

#: Empty witness rows the opening form shows beyond the required minimum.
SPARE_WITNESS_ROWS = 2


class _BoxFields(PageForm):
    location = StringField(
        _l("Nơi đặt hòm thư"), render_kw={"maxlength": 300},
        description=_l("Chỗ treo hòm thư để người dân dễ thấy, ví dụ “Cổng nhà văn hóa thôn "
                       "Đông”. Bắt buộc."))
    keeper = StringField(
        _l("Người giữ hòm thư và chìa khóa"), render_kw={"maxlength": 200},
        description=_l("Họ tên và chức danh người quản lý hòm thư. Để trống thì ghi theo quy "
                       "định của địa phương (thường là Trưởng ban Công tác Mặt trận khu dân "
                       "cư)."))
    installed_on = DayField(
        _l("Ngày đặt hòm thư"),
        description=_l("Ngày hòm thư được treo, dạng ngày/tháng/năm. Không được sau hôm nay."))
    notes = TextAreaField(_l("Ghi chú"), render_kw={"rows": 3},
                          description=_l("Không bắt buộc, ví dụ số chìa khóa, màu hòm thư."))


class BoxForm(_BoxFields):
    """Thêm hòm thư."""


class EditBoxForm(_BoxFields):
    status = SelectField(
        _l("Tình trạng"), validate_choice=False,
        choices=[SelectChoice(s.value, label) for s, label in BOX_STATUS_LABELS.items()],
        description=_l("Hòm thư hư hỏng hoặc đã thu hồi không còn bị nhắc mở định kỳ."))


class WitnessForm(Form):
    """One person present at the opening (a sub-form: CSRF is on the page form)."""

    name = StringField(_l("Họ và tên"), render_kw={"maxlength": 200})
    role = StringField(_l("Chức danh"), render_kw={"maxlength": 200})


class OpeningForm(PageForm):
    opened_on = DayField(
        _l("Ngày mở hòm thư"),
        description=_l("Ngày mở, dạng ngày/tháng/năm. Để trống là hôm nay."))
    opened_time = StringField(
        _l("Giờ mở"), render_kw={"maxlength": 5, "inputmode": "numeric", "placeholder": "08:30"},
        description=_l("Giờ và phút lúc mở, ví dụ 08:30 hoặc 14:00."))
    witnesses = FieldList(FormField(WitnessForm), min_entries=1)
    seal_condition = SelectField(
        _l("Tình trạng niêm phong"), validate_choice=False,
        choices=[SelectChoice("", _l("— Chọn —"))]
        + [SelectChoice(s.value, label) for s, label in SEAL_LABELS.items()],
        description=_l("Niêm phong của hòm thư lúc mở. Nếu bị rách, hãy ghi rõ ở phần ghi chú."))
    letters_found = CountField(
        _l("Số thư thu được"), render_kw={"inputmode": "numeric", "min": 0},
        description=_l("Số thư, đơn lấy ra từ hòm thư, kể cả thư không ghi tên. Nhập 0 nếu "
                       "không có thư nào."))
    notes = TextAreaField(
        _l("Ghi chú"), render_kw={"rows": 3},
        description=_l("Không bắt buộc: việc khác xảy ra khi mở hòm thư, sẽ ghi vào biên bản."))

    def opened_at(self) -> dt.datetime | None:
        """The date and time typed, or None (the time field then carries an error)."""
        day = self.opened_on.data or dt.date.today()
        raw = (self.opened_time.data or "").strip().replace("h", ":").replace(".", ":")
        try:
            hour, minute = (int(part) for part in raw.split(":"))
            return dt.datetime.combine(day, dt.time(hour, minute))
        except (ValueError, TypeError):
            self.opened_time.errors = list(self.opened_time.errors) + [
                _l("Giờ mở không hợp lệ. Hãy nhập giờ:phút, ví dụ 08:30.")]
            return None

    def witness_rows(self) -> list[dict]:
        return [{"name": entry.form.name.data or "", "role": entry.form.role.data or ""}
                for entry in self.witnesses]
