"""Page forms of the boards (Ban TTND, Ban GSĐTCĐ) and their members; the operations check."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from giamsat.http.forms import CountField, DayField, IdSelectField, PageForm
from giamsat.supervision.labels import BOARD_KIND_LABELS, BOARD_ROLE_LABELS


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(key.value, label) for key, label in labels.items()]


_YEAR = {"inputmode": "numeric", "maxlength": 4}


class BoardForm(PageForm):
    unit_id = IdSelectField(
        _l("Xã, phường"),
        description=_l("Đơn vị nơi ban được thành lập. Chỉ hiện các đơn vị bạn được ghi."),
        render_kw={"data-filter": _l("Gõ vài chữ để tìm đơn vị")},
    )
    kind = SelectField(
        _l("Ban"),
        validate_choice=False,
        choices=_choices(BOARD_KIND_LABELS),
        description=_l("Ban Thanh tra nhân dân hay Ban Giám sát đầu tư của cộng đồng."),
    )
    term_start_year = CountField(
        _l("Nhiệm kỳ từ năm"), render_kw=_YEAR, description=_l("Ví dụ 2024.")
    )
    term_end_year = CountField(
        _l("Đến năm"), render_kw=_YEAR, description=_l("Ví dụ 2029. Không trước năm bắt đầu.")
    )
    decision = StringField(
        _l("Quyết định thành lập"),
        render_kw={"maxlength": 300},
        description=_l("Ví dụ “Quyết định số 05/QĐ-MTTQ ngày 03/02/2024”. Có thể để trống."),
    )
    note = TextAreaField(_l("Ghi chú"))


class BoardMemberForm(PageForm):
    full_name = StringField(
        _l("Họ và tên"),
        render_kw={"maxlength": 200},
        description=_l("Viết đầy đủ, có dấu, ví dụ “Nguyễn Văn An”."),
    )
    role = SelectField(
        _l("Vai trò trong ban"), validate_choice=False, choices=_choices(BOARD_ROLE_LABELS)
    )
    from_on = DayField(
        _l("Tham gia từ ngày"), description=_l("Dạng ngày/tháng/năm. Có thể để trống.")
    )
    to_on = DayField(
        _l("Thôi tham gia ngày"), description=_l("Để trống nếu người này vẫn đang trong ban.")
    )
    note = StringField(_l("Ghi chú"), render_kw={"maxlength": 300})
