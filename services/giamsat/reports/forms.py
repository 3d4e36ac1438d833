"""Page forms of the reports; the operations do the checking, these only carry the input."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField

from giamsat.http.forms import DayField, IdSelectField, PageForm, confirm_field
from giamsat.reports.labels import NARRATIVE, NARRATIVE_FIELDS


class VersionForm(PageForm):
    """Submit and accept: only the version the user saw, so two people don't act twice."""

    version = HiddenField()


class SubmitForm(VersionForm):
    """“Gửi báo cáo”: the report cannot be edited afterwards unless it is returned."""

    checked = confirm_field(_l("Tôi đã kiểm tra số liệu và nội dung, đồng ý gửi lên cấp trên."))


class AcceptForm(VersionForm):
    """“Tiếp nhận báo cáo”: the report is frozen for good."""

    checked = confirm_field(_l("Tôi đã xem báo cáo, đồng ý tiếp nhận và giữ cố định."))


class ReportForm(PageForm):
    """The narrative and document header; the figures are posted as `figure-<code>` and
    `note-<code>` inputs, one per indicator, read by the view."""

    version = HiddenField()
    situation = TextAreaField(NARRATIVE[0][1], description=NARRATIVE[0][2])
    results = TextAreaField(NARRATIVE[1][1], description=NARRATIVE[1][2])
    limitations = TextAreaField(NARRATIVE[2][1], description=NARRATIVE[2][2])
    directions = TextAreaField(NARRATIVE[3][1], description=NARRATIVE[3][2])
    proposals = TextAreaField(NARRATIVE[4][1], description=NARRATIVE[4][2])
    document_number = StringField(
        _l("Số, ký hiệu văn bản"),
        description=_l(
            "In ở góc trái văn bản khi tải về, ví dụ “12/BC-MTTQ”. Có thể để trống và ghi tay sau."
        ),
    )
    signer_name = StringField(
        _l("Người ký"), description=_l("Họ và tên người ký báo cáo, ví dụ “Đinh Văn Hùng”.")
    )
    signer_title = StringField(
        _l("Chức vụ người ký"),
        description=_l("Ví dụ “Chủ tịch” hoặc “Phó Chủ tịch”. In trên chữ ký."),
    )

    department_id = IdSelectField(
        _l("Ban phụ trách"),
        description=_l("Ban của Ủy ban chịu trách nhiệm báo cáo này, nếu có."),
    )

    NARRATIVE_FIELDS = NARRATIVE_FIELDS
    HEADER_FIELDS = ("document_number", "signer_name", "signer_title")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        #: An operation's figure and note errors by indicator code, shown on their rows.
        self.figure_errors: dict[str, list[str]] = {}

    def apply_domain_error(self, error) -> list[str]:
        """Figure and note errors go on their rows, the others next to their fields; the
        operation's message always heads the form (with the errors no field shows)."""
        loose = [error.message]
        for key, messages in (error.errors or {}).items():
            kind, _dot, code = key.partition(".")
            if kind in ("figures", "notes") and code:
                self.figure_errors.setdefault(code, []).extend(messages)
            elif key in self._fields:
                self[key].errors = list(self[key].errors) + list(messages)
            else:
                loose.extend(m for m in messages if m not in loose)
        return loose


class ReturnForm(PageForm):
    version = HiddenField()
    reason = TextAreaField(
        _l("Lý do trả lại"),
        description=_l(
            "Ghi rõ cần sửa gì, ví dụ “Thiếu số liệu hội nghị quán triệt”. "
            "Đơn vị sẽ thấy lý do này."
        ),
    )


class AdHocRequestForm(PageForm):
    """A higher unit asks the units below it for a report outside the calendar."""

    unit_id = IdSelectField(
        _l("Đơn vị yêu cầu"), description=_l("Các đơn vị trực thuộc đơn vị này sẽ phải báo cáo.")
    )
    title = StringField(
        _l("Tên báo cáo"),
        description=_l("Ví dụ “Báo cáo kết quả giám sát việc xây dựng nông thôn mới”."),
    )
    note = TextAreaField(
        _l("Nội dung yêu cầu"), description=_l("Cần báo cáo những gì; các đơn vị sẽ đọc phần này.")
    )
    starts_on = DayField(
        _l("Số liệu từ ngày"), description=_l("Ngày đầu của khoảng thời gian cần báo cáo.")
    )
    ends_on = DayField(
        _l("Đến ngày"), description=_l("Ngày cuối của khoảng thời gian cần báo cáo.")
    )
    due_on = DayField(_l("Hạn nộp"), description=_l("Ngày cuối cùng các đơn vị phải gửi báo cáo."))

    REQUIRED = ("title", "starts_on", "ends_on", "due_on")

    def validate(self, extra_validators=None) -> bool:
        """Only the required fields stop the form here; the operation checks the rest. Fields
        that could not be read (a mistyped date) keep their own message."""
        super().validate(extra_validators)
        return self.check_required()

    def check_required(self) -> bool:
        """Vietnamese messages for empty fields (WTForms' own are English)."""
        ok = True
        for name in self.REQUIRED:
            field = self[name]
            if field.data in (None, "") and not field.errors:
                field.errors = list(field.errors) + [_l("Hãy điền ô này.")]
                ok = False
        return ok and not any(self[name].errors for name in self.REQUIRED)
