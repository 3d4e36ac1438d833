"""Page forms for cases (hồ sơ tiếp nhận thông tin); the operations do the real checking."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice

from giamsat.cases.labels import (
    CHANNEL_LABELS,
    KIND_LABELS,
    OUTCOME_LABELS,
    RECIPIENT_LABELS,
    REPORTER_MODE_LABELS,
    STATUS_LABELS,
)
from giamsat.cases.models import Channel, ReporterMode
from giamsat.http.forms import DayField, IdSelectField, PageForm, confirm_field

#: Suggested wording for archiving an anonymous letter (Luật Tố cáo 2018, Điều 25).
ARCHIVE_ART25_REASON = _l(
    "Thông tin nặc danh, không rõ người gửi và không có tài liệu, chứng cứ "
    "cụ thể để kiểm tra (Điều 25 Luật Tố cáo 2018)."
)


def _choices(labels: dict, *, blank=None) -> list[SelectChoice]:
    items = [SelectChoice(member.value, label) for member, label in labels.items()]
    return ([SelectChoice("", blank)] if blank is not None else []) + items


# --- the queue's filters (a GET form: no CSRF needed, nothing changes) ---------------------


class QueueFilterForm(PageForm):
    status = SelectField(
        _l("Trạng thái"), validate_choice=False, choices=_choices(STATUS_LABELS, blank=_l("Tất cả"))
    )
    kind = SelectField(
        _l("Loại thông tin"),
        validate_choice=False,
        choices=_choices(KIND_LABELS, blank=_l("Tất cả")),
    )
    channel = SelectField(
        _l("Kênh tiếp nhận"),
        validate_choice=False,
        choices=_choices(CHANNEL_LABELS, blank=_l("Tất cả")),
    )
    tag = SelectField(_l("Phân loại"), validate_choice=False)
    organization = IdSelectField(_l("Tổ chức tiếp nhận"))
    department = IdSelectField(_l("Ban phụ trách"))
    overdue = BooleanField(_l("Chỉ hồ sơ quá hạn trả lời"))
    received_from = DayField(_l("Nhận từ ngày"))
    received_to = DayField(_l("Đến ngày"))
    q = StringField(
        _l("Tìm theo nội dung, người bị phản ánh"),
        description=_l("Gõ có dấu hay không dấu đều được, ví dụ “dinh van hung”."),
        render_kw={"maxlength": 200, "type": "search"},
    )


# --- intake --------------------------------------------------------------------------------


class CaseTextForm(PageForm):
    """The words of a case: shared by intake and by the edit action on the case page."""

    kind = SelectField(
        _l("Loại thông tin"),
        validate_choice=False,
        choices=_choices(KIND_LABELS),
        description=_l(
            "Thư nặc danh không được coi là tố cáo theo Luật Tố cáo; chọn "
            "“Phản ánh, kiến nghị” hoặc “Phát giác”."
        ),
    )
    title = StringField(
        _l("Tiêu đề ngắn"),
        render_kw={"maxlength": 200},
        description=_l(
            "Một dòng tóm tắt, không ghi tên người gửi. Chỉ tiêu đề mới có thể "
            "xuất hiện trong thông báo."
        ),
    )
    content = TextAreaField(
        _l("Nội dung"),
        render_kw={"rows": 6},
        description=_l("Ghi đầy đủ nội dung phản ánh, kiến nghị như người gửi trình bày."),
    )
    concerned = TextAreaField(
        _l("Người, tổ chức bị phản ánh"),
        render_kw={"rows": 2},
        description=_l("Họ tên, chức vụ, nơi công tác của người hoặc tổ chức được nói tới."),
    )


class IntakeForm(CaseTextForm):
    received_on = DayField(
        _l("Ngày tiếp nhận"),
        description=_l(
            "Ngày thông tin đến Ủy ban MTTQ (ngày mở hòm thư, ngày tiếp dân…). Để trống là hôm nay."
        ),
    )
    channel = SelectField(
        _l("Kênh tiếp nhận"),
        validate_choice=False,
        choices=_choices({k: v for k, v in CHANNEL_LABELS.items() if k != Channel.forwarded}),
        description=_l("Thông tin đến bằng cách nào."),
    )
    organization_id = IdSelectField(
        _l("Tổ chức tiếp nhận"),
        description=_l("Tổ chức thành viên đã nhận thông tin; để trống nếu là Ủy ban MTTQ."),
    )
    area_id = IdSelectField(
        _l("Khu dân cư"),
        description=_l("Nơi thông tin phát sinh (ví dụ hòm thư của thôn nào), nếu biết."),
    )
    department_id = IdSelectField(
        _l("Ban phụ trách"),
        description=_l("Ban của Ủy ban theo dõi hồ sơ này, ví dụ Ban Dân chủ – Pháp luật."),
    )
    tags = SelectMultipleField(
        _l("Phân loại nội dung"),
        validate_choice=False,
        description=_l("Chọn một hoặc nhiều biểu hiện phù hợp."),
    )
    is_complex = BooleanField(
        _l("Vụ việc phức tạp"),
        description=_l(
            "Vụ việc phức tạp được trả lời trong thời hạn dài hơn (theo quy định "
            "của tỉnh, mặc định 30 ngày làm việc thay vì 20)."
        ),
    )
    reporter_mode = RadioField(
        _l("Danh tính người gửi"),
        validate_choice=False,
        default=ReporterMode.anonymous.value,
        choices=_choices(REPORTER_MODE_LABELS),
    )
    reporter_name = StringField(
        _l("Họ và tên người gửi"), render_kw={"maxlength": 200, "autocomplete": "off"}
    )
    reporter_contact = StringField(
        _l("Điện thoại hoặc thư điện tử"), render_kw={"maxlength": 200, "autocomplete": "off"}
    )
    reporter_address = StringField(
        _l("Địa chỉ"), render_kw={"maxlength": 300, "autocomplete": "off"}
    )
    attachments = MultipleFileField(
        _l("Tệp đính kèm"),
        description=_l("Ảnh chụp thư, biên bản, tài liệu (PDF, ảnh, Word). Có thể chọn nhiều tệp."),
    )


# --- actions on the case page (each with its own prefix: several sit on one page) -----------


class NoteForm(PageForm):
    note = TextAreaField(
        _l("Ghi chú"),
        render_kw={"rows": 2},
        description=_l("Không bắt buộc. Ghi ngắn gọn việc đã làm."),
    )


class CloseForm(NoteForm):
    """Closing ends the handling: reopening needs a reason, so it asks first."""

    checked = confirm_field(_l("Tôi đã kiểm tra: hồ sơ đã có kết quả giải quyết, đồng ý kết thúc."))


class HandleForm(PageForm):
    note = TextAreaField(
        _l("Kết quả giải quyết"),
        render_kw={"rows": 3},
        description=_l("Ủy ban MTTQ đã tự giải quyết thế nào (gặp gỡ, hòa giải, trả lời…)."),
    )


class ForwardForm(PageForm):
    recipient_kind = SelectField(
        _l("Chuyển tới"),
        validate_choice=False,
        choices=_choices(RECIPIENT_LABELS),
        description=_l("Cơ quan có thẩm quyền xem xét, giải quyết."),
    )
    recipient_name = StringField(
        _l("Tên cơ quan nhận"),
        render_kw={"maxlength": 300},
        description=_l("Ví dụ “Đảng ủy xã Yên Mô” hoặc “UBND xã Yên Mô”."),
    )
    forwarded_on = DayField(
        _l("Ngày chuyển"),
        description=_l(
            "Hạn trả lời tính theo bảng thời hạn của tỉnh cho loại cơ quan nhận và loại "
            "thông tin; ngày làm việc không tính thứ Bảy, Chủ nhật, ngày lễ, Tết và ngày nghỉ "
            "riêng của tỉnh. Để trống là hôm nay."
        ),
    )
    accepted_on = DayField(
        _l("Ngày thụ lý (nếu đã biết)"),
        description=_l(
            "Với tố cáo gửi cơ quan nhà nước, thời hạn tính từ ngày thụ lý. Để trống thì "
            "tạm tính từ ngày chuyển."
        ),
    )
    is_complex = BooleanField(_l("Vụ việc phức tạp (được gia hạn một lần theo bảng thời hạn)"))
    checked = confirm_field(
        _l("Tôi đã kiểm tra nơi nhận và ngày chuyển; danh tính người gửi không được chuyển theo.")
    )


class ArchiveForm(PageForm):
    reason = TextAreaField(
        _l("Lý do lưu hồ sơ"),
        render_kw={"rows": 3},
        description=_l(
            "Bắt buộc. Với thư nặc danh không có chứng cứ, có thể dùng lý do "
            "gợi ý theo Điều 25 Luật Tố cáo 2018."
        ),
    )


class RespondForm(PageForm):
    outcome = SelectField(
        _l("Kết quả trả lời"),
        validate_choice=False,
        choices=_choices(OUTCOME_LABELS),
        description=_l("Cơ quan nhận đã tiếp thu, giải trình hay không tiếp thu."),
    )
    text = TextAreaField(
        _l("Nội dung trả lời"),
        render_kw={"rows": 4},
        description=_l("Tóm tắt văn bản trả lời, số và ngày văn bản nếu có."),
    )
    responded_on = DayField(_l("Ngày nhận trả lời"), description=_l("Để trống là hôm nay."))
    documents = MultipleFileField(
        _l("Văn bản trả lời"), description=_l("Bản chụp hoặc tệp văn bản trả lời, nếu có.")
    )


class ReasonForm(PageForm):
    reason = TextAreaField(
        _l("Lý do"),
        render_kw={"rows": 2},
        description=_l("Bắt buộc. Lý do được ghi vào lịch sử hồ sơ."),
    )


class AssignForm(PageForm):
    unit_id = IdSelectField(
        _l("Giao cho đơn vị"), description=_l("Đơn vị cấp dưới trực tiếp sẽ nhận hồ sơ.")
    )
    reason = TextAreaField(
        _l("Lý do"),
        render_kw={"rows": 2},
        description=_l("Bắt buộc. Lý do được ghi vào lịch sử hồ sơ."),
    )


class DepartmentForm(PageForm):
    department_id = IdSelectField(
        _l("Ban phụ trách"),
        description=_l("Ban của Ủy ban theo dõi hồ sơ này, ví dụ Ban Dân chủ – Pháp luật."),
    )


class PublicAnswerForm(PageForm):
    public_answer = TextAreaField(
        _l("Trả lời công khai cho người gửi"),
        render_kw={"rows": 3},
        description=_l(
            "Người gửi trực tuyến xem được nội dung này bằng mã tra cứu. Không ghi "
            "thông tin cá nhân."
        ),
    )


class TagsForm(PageForm):
    tags = SelectMultipleField(_l("Phân loại nội dung"), validate_choice=False)


class RevealForm(PageForm):
    reason = TextAreaField(
        _l("Lý do cần xem danh tính"),
        render_kw={"rows": 3},
        description=_l("Bắt buộc, ít nhất 10 ký tự. Việc xem được ghi vào nhật ký kèm lý do."),
    )


class CategoryForm(PageForm):
    label = TextAreaField(
        _l("Nội dung phân loại"),
        render_kw={"rows": 2},
        description=_l("Cách diễn đạt ngắn gọn, dễ hiểu."),
    )
    is_active = BooleanField(
        _l("Đang dùng"),
        description=_l("Bỏ chọn để không dùng cho hồ sơ mới; hồ sơ cũ vẫn giữ phân loại này."),
    )


class DeadlineRuleForm(PageForm):
    """A row of the deadline table; numbers are typed as text so the operation's Vietnamese
    sentences, not the form library's, say what is wrong."""

    law = StringField(_l("Quy định áp dụng"), render_kw={"maxlength": 300})
    clock = SelectField(
        _l("Cách tính"),
        validate_choice=False,
        choices=[
            SelectChoice("working_days", _l("Ngày làm việc")),
            SelectChoice("calendar_days", _l("Ngày theo lịch")),
        ],
    )
    days = StringField(_l("Số ngày"), render_kw={"inputmode": "numeric", "size": 4})
    start = SelectField(
        _l("Tính từ"),
        validate_choice=False,
        choices=[
            SelectChoice("received", _l("Ngày tiếp nhận")),
            SelectChoice("forwarded", _l("Ngày chuyển")),
            SelectChoice("accepted", _l("Ngày thụ lý")),
        ],
    )
    extension_days = StringField(
        _l("Mỗi lần gia hạn (ngày)"), render_kw={"inputmode": "numeric", "size": 4}
    )
    max_extensions = StringField(
        _l("Số lần gia hạn tối đa"), render_kw={"inputmode": "numeric", "size": 4}
    )
    reminder_days = StringField(
        _l("Nhắc trước hạn (ngày)"), render_kw={"inputmode": "numeric", "size": 4}
    )
    confidence = SelectField(
        _l("Mức xác nhận"),
        validate_choice=False,
        choices=[
            SelectChoice("CONFIRMED", _l("Đã xác nhận")),
            SelectChoice("PARTIAL", _l("Xác nhận một phần")),
            SelectChoice("UNCONFIRMED", _l("Chưa xác nhận")),
        ],
    )
    source = TextAreaField(_l("Nguồn"), render_kw={"rows": 3})
