"""Page forms of the supervision register; the operations do the checking and the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    SelectField,
    StringField,
    TextAreaField,
)

from giamsat.http.forms import CountField, DayField, IdSelectField, PageForm
from giamsat.supervision.form_parts import (
    ORG_HELP,
    UNIT_FILTER,
    UNIT_HELP,
    IdMultipleField,
    choices,
    tags_field,
)
from giamsat.supervision.labels import (
    ACTIVITY_KIND_LABELS,
    ADDRESSEE_KIND_LABELS,
    EXPECTED_ANSWER_LABELS,
    MANAGEMENT_LEVEL_LABELS,
    PLACE_LABELS,
    TIER_LABELS,
)

# --- people under supervision (đối tượng giám sát) ------------------------------------------


class PersonForm(PageForm):
    unit_id = IdSelectField(_l("Đơn vị quản lý sổ"), description=UNIT_HELP, render_kw=UNIT_FILTER)
    full_name = StringField(
        _l("Họ và tên"),
        render_kw={"maxlength": 200},
        description=_l("Viết đầy đủ, có dấu, ví dụ “Đinh Văn Hùng”."),
    )
    birth_year = CountField(
        _l("Năm sinh"),
        render_kw={"inputmode": "numeric", "maxlength": 4},
        description=_l("Bốn chữ số, ví dụ 1975. Có thể để trống nếu chưa rõ."),
    )
    position = StringField(
        _l("Chức vụ"),
        render_kw={"maxlength": 300},
        description=_l("Ví dụ “Bí thư Đảng ủy xã”, “Trưởng thôn”."),
    )
    tier = SelectField(
        _l("Đối tượng"),
        validate_choice=False,
        choices=choices(TIER_LABELS),
        description=_l(
            "Nhóm đối tượng theo Quy định 124-QĐ/TW: người đứng đầu, "
            "cán bộ chủ chốt, hoặc cán bộ, đảng viên."
        ),
    )
    management_level = SelectField(
        _l("Diện quản lý"),
        validate_choice=False,
        choices=choices(MANAGEMENT_LEVEL_LABELS),
        description=_l("Cấp ủy nào quản lý cán bộ này. Chọn “Khác” nếu chưa rõ."),
    )
    workplace_agency = StringField(
        _l("Cơ quan công tác"),
        render_kw={"maxlength": 300},
        description=_l("Ví dụ “UBND xã Yên Mô”."),
    )
    workplace_unit = StringField(
        _l("Đơn vị (phòng, ban)"),
        render_kw={"maxlength": 300},
        description=_l("Phòng, ban trong cơ quan, nếu có."),
    )
    residence_area_id = IdSelectField(
        _l("Khu dân cư nơi cư trú"),
        description=_l("Chọn thôn, tổ dân phố nơi người này sinh sống, nếu ở trong tỉnh."),
    )
    residence = StringField(
        _l("Nơi cư trú (ghi rõ)"),
        render_kw={"maxlength": 300},
        description=_l("Địa chỉ, hoặc nơi ở ngoài danh sách khu dân cư."),
    )
    is_party_member = BooleanField(
        _l("Là đảng viên"), description=_l("Đánh dấu nếu người này là đảng viên.")
    )
    notes = TextAreaField(_l("Ghi chú"), description=_l("Thông tin thêm, nếu cần."))


class EditPersonForm(PersonForm):
    is_active = BooleanField(
        _l("Còn trong danh sách giám sát"),
        description=_l("Bỏ đánh dấu khi người này chuyển đi hoặc nghỉ; lịch sử vẫn được giữ."),
    )


class ImportForm(PageForm):
    unit_id = IdSelectField(
        _l("Nhập vào sổ của đơn vị"), description=UNIT_HELP, render_kw=UNIT_FILTER
    )
    file = FileField(
        _l("Tệp Excel (.xlsx)"),
        description=_l(
            "Dùng tệp mẫu tải ở trang này. Mỗi dòng là một người; dòng đầu là tiêu đề cột."
        ),
    )


# --- assignments (phân công giám sát) ---------------------------------------------------------


class AssignmentForm(PageForm):
    organization_id = IdSelectField(_l("Tổ chức được phân công"), description=ORG_HELP)
    place = SelectField(
        _l("Giám sát ở đâu"),
        validate_choice=False,
        choices=choices(PLACE_LABELS),
        description=_l("Nơi công tác hay nơi cư trú của người được giám sát."),
    )
    valid_from = DayField(
        _l("Từ ngày"), description=_l("Ngày bắt đầu phân công. Để trống là hôm nay.")
    )
    note = TextAreaField(
        _l("Ghi chú"), description=_l("Ví dụ số văn bản phân công, theo phụ lục danh sách.")
    )


class EndAssignmentForm(PageForm):
    valid_to = DayField(
        _l("Ngày kết thúc"), description=_l("Ngày cuối cùng của phân công. Để trống là hôm nay.")
    )
    note = TextAreaField(_l("Lý do"), description=_l("Ví dụ “Chuyển công tác”."))


# --- plans and activities ---------------------------------------------------------------------


class PlanForm(PageForm):
    unit_id = IdSelectField(_l("Đơn vị"), description=UNIT_HELP, render_kw=UNIT_FILTER)
    organization_id = IdSelectField(_l("Tổ chức"), description=ORG_HELP)
    year = CountField(
        _l("Năm"),
        render_kw={"inputmode": "numeric", "maxlength": 4},
        description=_l("Năm của kế hoạch, ví dụ 2026. Mỗi tổ chức một kế hoạch một năm."),
    )
    title = StringField(
        _l("Tên kế hoạch"),
        render_kw={"maxlength": 300},
        description=_l("Ví dụ “Kế hoạch giám sát năm 2026 theo Quy định 124”."),
    )
    content = TextAreaField(
        _l("Nội dung"),
        description=_l(
            "Nội dung, đối tượng, thời gian giám sát dự kiến. "
            "Sau khi lãnh đạo duyệt, kế hoạch không sửa được."
        ),
    )


class ActivityForm(PageForm):
    unit_search = StringField(
        _l("Tìm đơn vị"),
        render_kw={"maxlength": 100},
        description=_l(
            "Gõ vài chữ của tên đơn vị rồi bấm “Chọn đơn vị”: danh sách chỉ còn các đơn vị "
            "khớp, những gì bạn đã nhập được giữ nguyên."
        ),
    )
    unit_id = IdSelectField(_l("Đơn vị"), description=UNIT_HELP, render_kw=UNIT_FILTER)
    organization_id = IdSelectField(_l("Tổ chức"), description=ORG_HELP)
    plan_id = IdSelectField(
        _l("Theo kế hoạch"), description=_l("Kế hoạch năm mà hoạt động này thực hiện, nếu có.")
    )
    kind = SelectField(
        _l("Hình thức"),
        validate_choice=False,
        choices=choices(ACTIVITY_KIND_LABELS),
        description=_l("Dùng để đếm số liệu báo cáo, hãy chọn đúng hình thức."),
    )
    title = StringField(
        _l("Tên hoạt động"),
        render_kw={"maxlength": 300},
        description=_l("Ví dụ “Giám sát việc nêu gương của cán bộ thôn Yên Thịnh”."),
    )
    starts_on = DayField(_l("Từ ngày"), description=_l("Dạng ngày/tháng/năm."))
    ends_on = DayField(_l("Đến ngày"), description=_l("Để trống nếu diễn ra trong một ngày."))
    participants_count = CountField(
        _l("Số người tham gia"),
        render_kw={"inputmode": "numeric"},
        description=_l("Tổng số người dự, ví dụ 45."),
    )
    participants = TextAreaField(
        _l("Thành phần tham gia"),
        description=_l("Ví dụ “Ban Thường trực MTTQ xã, Hội LHPN, đại diện các thôn”."),
    )
    findings = TextAreaField(
        _l("Kết quả giám sát"), description=_l("Những điều phát hiện, ưu điểm, hạn chế.")
    )
    person_ids = IdMultipleField(
        _l("Người được giám sát"),
        description=_l("Đánh dấu những người trong sổ được giám sát trong hoạt động này."),
    )
    board_id = IdSelectField(
        _l("Việc của ban"),
        description=_l(
            "Chọn Ban Thanh tra nhân dân hoặc Ban Giám sát đầu tư của cộng đồng của đơn vị nếu "
            "đây là việc giám sát của ban. Việc của Ban TTND chọn hình thức “Giám sát qua Ban "
            "Thanh tra nhân dân”."
        ),
    )
    department_id = IdSelectField(
        _l("Ban phụ trách"),
        description=_l(
            "Ban của Ủy ban phụ trách hoạt động này (ví dụ Ban Dân chủ – Pháp luật), nếu có."
        ),
    )


class CommentForm(PageForm):
    person_id = IdSelectField(
        _l("Góp ý cho"),
        description=_l("Người nhận ý kiến góp ý, hoặc “Chung” nếu góp ý cho cả tập thể."),
    )
    content = TextAreaField(_l("Nội dung góp ý"), description=_l("Ghi ngắn gọn, đúng ý đã góp."))
    tags = tags_field(_l("ý kiến này"))


# --- recommendations (kiến nghị) and follow-up (đôn đốc) ---------------------------------------


class RecommendationForm(PageForm):
    unit_id = IdSelectField(_l("Đơn vị"), description=UNIT_HELP, render_kw=UNIT_FILTER)
    organization_id = IdSelectField(_l("Tổ chức kiến nghị"), description=ORG_HELP)
    activity_id = IdSelectField(
        _l("Từ hoạt động giám sát"), description=_l("Hoạt động dẫn tới kiến nghị này, nếu có.")
    )
    board_id = IdSelectField(
        _l("Kiến nghị của ban"),
        description=_l(
            "Ban Thanh tra nhân dân hoặc Ban Giám sát đầu tư của cộng đồng của đơn vị, nếu đây là "
            "kiến nghị của ban. Kiến nghị sau hoạt động của một ban tự thuộc về ban đó."
        ),
    )
    person_id = IdSelectField(
        _l("Liên quan đến người"), description=_l("Người trong sổ mà kiến nghị nói đến, nếu có.")
    )
    addressee_kind = SelectField(
        _l("Gửi tới"),
        validate_choice=False,
        choices=choices(ADDRESSEE_KIND_LABELS),
        description=_l("Cấp ủy, chính quyền, hay cán bộ, đảng viên."),
    )
    addressee_name = StringField(
        _l("Tên nơi nhận"),
        render_kw={"maxlength": 300},
        description=_l("Ví dụ “Đảng ủy xã Yên Mô”."),
    )
    content = TextAreaField(_l("Nội dung kiến nghị"))
    issued_on = DayField(
        _l("Ngày gửi"),
        description=_l(
            "Hạn trả lời được tính từ ngày này theo ngày làm việc. Để trống là hôm nay."
        ),
    )
    expected_answer = SelectField(
        _l("Yêu cầu"),
        validate_choice=False,
        choices=choices(EXPECTED_ANSWER_LABELS),
        description=_l("Nơi nhận cần tiếp thu, hay cần giải trình."),
    )
    tags = tags_field(_l("kiến nghị này"))


class AnswerForm(PageForm):
    outcome = SelectField(
        _l("Kết quả trả lời"),
        validate_choice=False,
        choices=choices(EXPECTED_ANSWER_LABELS),
        description=_l("Nơi nhận đã tiếp thu kiến nghị, hay đã giải trình."),
    )
    answer = TextAreaField(
        _l("Nội dung trả lời"), description=_l("Tóm tắt văn bản trả lời, có số và ngày văn bản.")
    )
    answered_on = DayField(_l("Ngày trả lời"), description=_l("Để trống là hôm nay."))


class ReminderForm(PageForm):
    reminded_on = DayField(_l("Ngày đôn đốc"), description=_l("Để trống là hôm nay."))
    note = TextAreaField(
        _l("Hình thức, nội dung"), description=_l("Ví dụ “Công văn số 12/CV-MTTQ đôn đốc trả lời”.")
    )


class WithdrawForm(PageForm):
    reason = TextAreaField(
        _l("Lý do rút kiến nghị"),
        description=_l("Ví dụ “Gửi nhầm nơi nhận, đã gửi lại”. Bắt buộc."),
    )


class FindingTagsForm(PageForm):
    """The tags of a comment, recommendation or dialogue issue, changed on their own."""

    tags = tags_field(_l("nội dung này"))
