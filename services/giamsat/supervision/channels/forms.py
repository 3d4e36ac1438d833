"""Page forms of the channels; the operations do the checking."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from giamsat.cases.labels import KIND_LABELS
from giamsat.http.forms import CountField, DayField, IdSelectField, PageForm
from giamsat.supervision.channels.labels import (
    MEETING_BODY_LABELS,
    MEETING_KIND_LABELS,
    RESPECTED_KIND_LABELS,
    RESPECTED_ROLE_LABELS,
)
from giamsat.supervision.channels.models import RespectedRole
from giamsat.supervision.labels import ADDRESSEE_KIND_LABELS, EXPECTED_ANSWER_LABELS


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(key.value, label) for key, label in labels.items()]


_UNIT_HELP = _l("Đơn vị có sổ theo dõi này. Chỉ hiện các đơn vị bạn được ghi.")


class MeetingForm(PageForm):
    unit_id = IdSelectField(_l("Đơn vị"), description=_UNIT_HELP)
    kind = SelectField(
        _l("Hình thức"), validate_choice=False, choices=_choices(MEETING_KIND_LABELS)
    )
    held_on = DayField(_l("Ngày tổ chức"), description=_l("Dạng ngày/tháng/năm."))
    place = StringField(
        _l("Địa điểm"),
        render_kw={"maxlength": 300},
        description=_l("Ví dụ “Nhà văn hóa thôn Yên Thịnh”."),
    )
    title = StringField(
        _l("Nội dung"),
        render_kw={"maxlength": 300},
        description=_l("Ví dụ “Tiếp xúc cử tri trước kỳ họp thứ 5 HĐND xã”."),
    )
    participants_count = CountField(
        _l("Số người dự"), render_kw={"inputmode": "numeric"}, description=_l("Ví dụ 80.")
    )
    participants = TextAreaField(
        _l("Thành phần tham dự"), description=_l("Cử tri thôn nào, đại biểu nào có mặt.")
    )


class CitizenIssueForm(PageForm):
    content = TextAreaField(
        _l("Ý kiến, kiến nghị"), description=_l("Điều cử tri, Nhân dân nêu tại buổi.")
    )
    forwarded_to = StringField(
        _l("Chuyển đến"), render_kw={"maxlength": 300}, description=_l("Ví dụ “UBND xã”.")
    )
    answer = TextAreaField(_l("Trả lời"), description=_l("Nội dung trả lời nhận được, nếu có."))
    answered_on = DayField(_l("Ngày trả lời"), description=_l("Dạng ngày/tháng/năm."))


class IssueCaseForm(PageForm):
    kind = SelectField(_l("Loại thông tin"), validate_choice=False, choices=_choices(KIND_LABELS))
    title = StringField(
        _l("Tiêu đề hồ sơ"),
        render_kw={"maxlength": 200},
        description=_l("Để trống thì lấy phần đầu của ý kiến."),
    )
    area_id = IdSelectField(_l("Khu dân cư"), description=_l("Nơi xảy ra việc, nếu biết."))


class IssueRecommendationForm(PageForm):
    organization_id = IdSelectField(_l("Tổ chức kiến nghị"))
    addressee_kind = SelectField(
        _l("Gửi tới"), validate_choice=False, choices=_choices(ADDRESSEE_KIND_LABELS)
    )
    addressee_name = StringField(
        _l("Tên nơi nhận"),
        render_kw={"maxlength": 300},
        description=_l("Để trống thì gửi nơi ý kiến đã được chuyển đến."),
    )
    expected_answer = SelectField(
        _l("Yêu cầu"), validate_choice=False, choices=_choices(EXPECTED_ANSWER_LABELS)
    )
    issued_on = DayField(_l("Ngày gửi"), description=_l("Để trống là hôm nay."))


class AttendanceForm(PageForm):
    unit_id = IdSelectField(_l("Đơn vị"), description=_UNIT_HELP)
    held_on = DayField(_l("Ngày họp"), description=_l("Dạng ngày/tháng/năm."))
    body = SelectField(
        _l("Cơ quan họp"), validate_choice=False, choices=_choices(MEETING_BODY_LABELS)
    )
    title = StringField(
        _l("Cuộc họp"),
        render_kw={"maxlength": 300},
        description=_l("Ví dụ “Kỳ họp thứ 5 HĐND xã khóa I”."),
    )
    attended_by = StringField(
        _l("Người dự"),
        render_kw={"maxlength": 300},
        description=_l("Ví dụ “Chủ tịch Ủy ban MTTQ xã”."),
    )
    notes = TextAreaField(_l("Ghi chú"))


class RespectedForm(PageForm):
    unit_id = IdSelectField(_l("Đơn vị"), description=_UNIT_HELP)
    area_id = IdSelectField(_l("Khu dân cư"), description=_l("Khu dân cư của đơn vị đã chọn."))
    full_name = StringField(_l("Họ và tên"), render_kw={"maxlength": 200})
    kind = SelectField(_l("Loại"), validate_choice=False, choices=_choices(RESPECTED_KIND_LABELS))
    # One box per role (RespectedRole), so old phones show plain checkboxes.
    role_box_witness = BooleanField(RESPECTED_ROLE_LABELS[RespectedRole.box_witness])
    role_key_keeper = BooleanField(RESPECTED_ROLE_LABELS[RespectedRole.key_keeper])
    role_source = BooleanField(RESPECTED_ROLE_LABELS[RespectedRole.source])
    contact = StringField(
        _l("Liên hệ"),
        render_kw={"maxlength": 300},
        description=_l("Số điện thoại hoặc địa chỉ. Danh sách chỉ hiện dạng che."),
    )
    notes = TextAreaField(_l("Ghi chú"))
    is_active = BooleanField(_l("Còn tham gia"))


ROLE_FIELDS = {f"role_{role.value}": role for role in RespectedRole}
