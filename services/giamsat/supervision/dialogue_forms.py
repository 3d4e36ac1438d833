"""Page forms of dialogues: the dialogue, the issues raised, the commitments and their follow-up."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice

from giamsat.http.forms import CountField, DayField, IdSelectField, PageForm
from giamsat.supervision.form_parts import ORG_HELP, UNIT_FILTER, UNIT_HELP, choices, tags_field
from giamsat.supervision.labels import (
    COMMITMENT_STATUS_LABELS,
    DIALOGUE_STATUS_LABELS,
)
from giamsat.supervision.models import CommitmentStatus

# --- dialogues (đối thoại) ---------------------------------------------------------------------


class DialogueForm(PageForm):
    unit_id = IdSelectField(_l("Đơn vị"), description=UNIT_HELP, render_kw=UNIT_FILTER)
    organization_id = IdSelectField(_l("Tổ chức"), description=ORG_HELP)
    title = StringField(
        _l("Chủ đề"),
        render_kw={"maxlength": 300},
        description=_l("Ví dụ “Đối thoại với Bí thư Đảng ủy xã về đất đai”."),
    )
    held_on = DayField(_l("Ngày tổ chức"), description=_l("Dạng ngày/tháng/năm."))
    place = StringField(
        _l("Địa điểm"),
        render_kw={"maxlength": 300},
        description=_l("Ví dụ “Nhà văn hóa thôn Yên Thịnh”."),
    )
    status = SelectField(
        _l("Tình trạng"),
        validate_choice=False,
        choices=choices(DIALOGUE_STATUS_LABELS),
        description=_l("Đổi thành “Đã tổ chức” sau buổi đối thoại."),
    )
    chaired_by = StringField(
        _l("Chủ trì"), render_kw={"maxlength": 300}, description=_l("Người chủ trì buổi đối thoại.")
    )
    heads_present = TextAreaField(
        _l("Người đứng đầu tham dự"), description=_l("Người đứng đầu cấp ủy, chính quyền có mặt.")
    )
    participants_count = CountField(
        _l("Số người tham gia"),
        render_kw={"inputmode": "numeric"},
        description=_l("Tổng số người dự, ví dụ 80."),
    )
    participants = TextAreaField(
        _l("Thành phần tham gia"), description=_l("Nhân dân, đoàn viên, hội viên… ở đâu.")
    )
    summary = TextAreaField(_l("Tóm tắt"), description=_l("Kết quả chung của buổi đối thoại."))


class IssueForm(PageForm):
    content = TextAreaField(
        _l("Vấn đề nêu ra"), description=_l("Ý kiến, kiến nghị người dân nêu tại buổi đối thoại.")
    )
    answer = TextAreaField(_l("Trả lời tại buổi đối thoại"), description=_l("Có thể để trống."))
    tags = tags_field(_l("vấn đề này"))


class CommitmentForm(PageForm):
    issue_id = IdSelectField(
        _l("Cho vấn đề"), description=_l("Vấn đề mà cam kết này trả lời, nếu có.")
    )
    content = TextAreaField(_l("Nội dung cam kết"))
    responsible = StringField(
        _l("Người, nơi chịu trách nhiệm"),
        render_kw={"maxlength": 300},
        description=_l("Ví dụ “Chủ tịch UBND xã”."),
    )
    due_on = DayField(_l("Hạn thực hiện"), description=_l("Có thể để trống nếu không hẹn."))


class CommitmentFollowUpForm(PageForm):
    status = SelectField(
        _l("Kết quả theo dõi"),
        validate_choice=False,
        choices=[
            SelectChoice(status.value, COMMITMENT_STATUS_LABELS[status])
            for status in (CommitmentStatus.kept, CommitmentStatus.broken)
        ],
        description=_l("Cam kết đã được thực hiện, hay báo cáo là không thực hiện."),
    )
    report = TextAreaField(_l("Báo cáo kết quả"), description=_l("Đã kiểm tra thế nào, ở đâu."))
    reported_on = DayField(_l("Ngày báo cáo"), description=_l("Để trống là hôm nay."))
