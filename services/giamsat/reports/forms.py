"""Page forms of the reports; the operations do the checking, these only carry the input."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField

from giamsat.reports.models import ExportStatus, PeriodKind, ReportStatus
from giamsat.http.forms import DayField, IdSelectField, PageForm

# Page labels of the model's categories (the models keep plain Vietnamese for the exports);
# the same words marked for translation, so English pages show English.
PERIOD_KIND_LABELS = {
    PeriodKind.quarterly: _l("Báo cáo quý"),
    PeriodKind.six_monthly: _l("Báo cáo 6 tháng"),
    PeriodKind.yearly: _l("Báo cáo năm"),
    PeriodKind.ad_hoc: _l("Báo cáo đột xuất"),
}
#: Report statuses, plus "missing" for a unit that has not opened its report at all.
STATUS_LABELS = {
    ReportStatus.draft.value: _l("Đang soạn, chưa gửi"),
    ReportStatus.submitted.value: _l("Đã gửi, chờ tiếp nhận"),
    ReportStatus.returned.value: _l("Bị trả lại, cần sửa"),
    ReportStatus.accepted.value: _l("Đã tiếp nhận"),
    "missing": _l("Chưa lập báo cáo"),
}
EXPORT_STATUS_LABELS = {
    ExportStatus.queued: _l("Đang chờ đến lượt"),
    ExportStatus.running: _l("Đang tạo tệp"),
    ExportStatus.done: _l("Đã xong"),
    ExportStatus.failed: _l("Không tạo được tệp"),
}
GROUP_LABELS = {
    "activities": _l("I. Hoạt động giám sát"),
    "intake": _l("II. Tiếp nhận thông tin"),
    "handling": _l("III. Xử lý thông tin"),
    "outcomes": _l("IV. Kết quả"),
}
#: The narrative sections with the help shown under each box.
NARRATIVE = (
    ("situation", _l("Đặc điểm tình hình"),
     _l("Tóm tắt tình hình ở địa phương trong kỳ có liên quan đến công tác giám sát.")),
    ("results", _l("Kết quả thực hiện"),
     _l("Những việc đã làm và kết quả chính. Phải có phần này thì mới gửi được báo cáo.")),
    ("limitations", _l("Hạn chế và nguyên nhân"),
     _l("Những việc chưa làm được hoặc làm chưa tốt, và vì sao.")),
    ("directions", _l("Phương hướng, nhiệm vụ"),
     _l("Những việc sẽ làm trong kỳ tới.")),
    ("proposals", _l("Kiến nghị, đề xuất"),
     _l("Điều cần cấp trên hoặc cơ quan khác giúp đỡ, giải quyết.")),
)


class VersionForm(PageForm):
    """Submit and accept: only the version the user saw, so two people don't act twice."""

    version = HiddenField()


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
        description=_l("In ở góc trái văn bản khi tải về, ví dụ “12/BC-MTTQ”. "
                       "Có thể để trống và ghi tay sau."))
    signer_name = StringField(_l("Người ký"),
                              description=_l("Họ và tên người ký báo cáo, ví dụ “Nguyễn Văn An”."))
    signer_title = StringField(
        _l("Chức vụ người ký"),
        description=_l("Ví dụ “Chủ tịch” hoặc “Phó Chủ tịch”. In trên chữ ký."))

    NARRATIVE_FIELDS = tuple(name for name, _label, _help in NARRATIVE)
    HEADER_FIELDS = ("document_number", "signer_name", "signer_title")


class ReturnForm(PageForm):
    version = HiddenField()
    reason = TextAreaField(
        _l("Lý do trả lại"),
        description=_l("Ghi rõ cần sửa gì, ví dụ “Thiếu số liệu hội nghị quán triệt”. "
                       "Đơn vị sẽ thấy lý do này."))


class AdHocRequestForm(PageForm):
    """A higher unit asks the units below it for a report outside the calendar."""

    unit_id = IdSelectField(_l("Đơn vị yêu cầu"),
                            description=_l("Các đơn vị trực thuộc đơn vị này sẽ phải báo cáo."))
    title = StringField(_l("Tên báo cáo"),
                        description=_l("Ví dụ “Báo cáo kết quả giám sát việc xây dựng nông thôn "
                                       "mới”."))
    note = TextAreaField(_l("Nội dung yêu cầu"),
                         description=_l("Cần báo cáo những gì; các đơn vị sẽ đọc phần này."))
    starts_on = DayField(_l("Số liệu từ ngày"),
                         description=_l("Ngày đầu của khoảng thời gian cần báo cáo."))
    ends_on = DayField(_l("Đến ngày"),
                       description=_l("Ngày cuối của khoảng thời gian cần báo cáo."))
    due_on = DayField(_l("Hạn nộp"),
                      description=_l("Ngày cuối cùng các đơn vị phải gửi báo cáo."))

    REQUIRED = ("title", "starts_on", "ends_on", "due_on")

    def check_required(self) -> bool:
        """Vietnamese messages for empty fields (WTForms' own are English)."""
        ok = True
        for name in self.REQUIRED:
            field = self[name]
            if field.data in (None, "") and not field.errors:
                field.errors = list(field.errors) + [_l("Hãy điền ô này.")]
                ok = False
        return ok and not any(self[name].errors for name in self.REQUIRED)

EVENT_LABELS = {
    "create": _l("lập dự thảo"),
    "edit": _l("sửa báo cáo"),
    "refresh": _l("cập nhật số liệu từ hồ sơ"),
    "submit": _l("gửi báo cáo"),
    "return": _l("trả lại báo cáo"),
    "accept": _l("tiếp nhận báo cáo"),
}
#: The chart's bar segments (css class → label), in the order they are drawn.
SEGMENT_LABELS = {
    "seg-on-time": _l("Nộp đúng hạn"),
    "seg-late": _l("Nộp muộn"),
    "seg-pending": _l("Chưa đến hạn"),
    "seg-missing": _l("Quá hạn chưa nộp"),
}
