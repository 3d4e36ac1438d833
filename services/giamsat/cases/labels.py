"""The words people see for each coded value of a case, defined once and translated lazily
(forms, templates, exports, the API's `status_label` and the workflow's messages use these)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from giamsat.cases.models import (
    CaseKind,
    CaseStatus,
    Channel,
    DeadlineClock,
    DeadlineStart,
    RecipientKind,
    ReporterMode,
    ResponseOutcome,
)

STATUS_LABELS = {
    CaseStatus.received: _l("Đã tiếp nhận"),
    CaseStatus.verifying: _l("Đang xác minh, phân loại"),
    CaseStatus.awaiting_response: _l("Đã chuyển, chờ trả lời"),
    CaseStatus.handled: _l("Ủy ban MTTQ tự giải quyết"),
    CaseStatus.archived: _l("Lưu hồ sơ"),
    CaseStatus.responded: _l("Đã có trả lời"),
    CaseStatus.closed: _l("Đã kết thúc"),
    CaseStatus.transferred: _l("Đã chuyển đơn vị khác"),
}
CHANNEL_LABELS = {
    Channel.suggestion_box: _l("Hòm thư góp ý"),
    Channel.in_person: _l("Trực tiếp tại trụ sở"),
    Channel.dialogue: _l("Tại buổi đối thoại"),
    Channel.voter_meeting: _l("Tại buổi tiếp xúc cử tri"),
    Channel.phone: _l("Qua điện thoại"),
    Channel.forwarded: _l("Đơn vị khác chuyển đến"),
    Channel.online: _l("Biểu mẫu trực tuyến"),
}
KIND_LABELS = {
    CaseKind.petition: _l("Phản ánh, kiến nghị"),
    CaseKind.complaint: _l("Khiếu nại"),
    CaseKind.denunciation: _l("Tố cáo"),
    CaseKind.detection: _l("Phát giác"),
    CaseKind.denunciation_info: _l("Thông tin có nội dung tố cáo"),
    CaseKind.other: _l("Khác"),
}
RECIPIENT_LABELS = {
    RecipientKind.party_committee: _l("Cấp ủy cùng cấp"),
    RecipientKind.inspection_committee: _l("Ủy ban kiểm tra của cấp ủy"),
    RecipientKind.authority: _l("Cơ quan nhà nước có thẩm quyền"),
    RecipientKind.peoples_inspection: _l("Ban Thanh tra nhân dân"),
    RecipientKind.front: _l("Ủy ban MTTQ (Mặt trận tự xem xét, giải quyết)"),
}
CLOCK_LABELS = {
    DeadlineClock.working_days: _l("ngày làm việc"),
    DeadlineClock.calendar_days: _l("ngày"),
}
START_LABELS = {
    DeadlineStart.received: _l("ngày tiếp nhận"),
    DeadlineStart.forwarded: _l("ngày chuyển"),
    DeadlineStart.accepted: _l("ngày thụ lý"),
}
OUTCOME_LABELS = {
    ResponseOutcome.accepted: _l("Tiếp thu"),
    ResponseOutcome.explained: _l("Giải trình"),
    ResponseOutcome.rejected: _l("Không tiếp thu"),
}
REPORTER_MODE_LABELS = {
    ReporterMode.anonymous: _l("Nặc danh"),
    ReporterMode.confidential: _l("Giữ bí mật danh tính"),
    ReporterMode.open: _l("Công khai danh tính"),
}
REPORTER_MODE_HELP = {
    ReporterMode.anonymous: _l(
        "Người gửi không cho biết mình là ai. Không ghi họ tên, liên hệ, địa chỉ."
    ),
    ReporterMode.confidential: _l(
        "Chỉ Ủy ban MTTQ được biết người gửi; không bao giờ nêu ra "
        "ngoài, kể cả khi chuyển cơ quan khác."
    ),
    ReporterMode.open: _l(
        "Người gửi đồng ý nêu danh tính khi cần; trên hệ thống vẫn được "
        "mã hóa và ẩn như các trường hợp khác."
    ),
}
