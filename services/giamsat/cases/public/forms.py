"""Forms of the public pages: plain words, every choice explained, nothing that needs script."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from giamsat.cases.models import CaseKind, ReporterMode
from giamsat.http.forms import PageForm

#: Kinds as a citizen would put them; the value is the case kind.
KIND_CHOICES = [
    SelectChoice(
        CaseKind.petition.value,
        _l(
            "Phản ánh, kiến nghị — báo một việc chưa đúng, chưa hợp lý, hoặc đề xuất cách làm tốt "
            "hơn"
        ),
    ),
    SelectChoice(
        CaseKind.complaint.value,
        _l(
            "Khiếu nại — đề nghị xem xét lại một quyết định hay việc làm ảnh hưởng đến quyền lợi "
            "của chính bạn"
        ),
    ),
    SelectChoice(
        CaseKind.denunciation.value,
        _l("Tố cáo — báo một người hay cơ quan làm sai pháp luật, gây thiệt hại"),
    ),
    SelectChoice(
        CaseKind.detection.value,
        _l("Phát giác — báo dấu hiệu tham nhũng, lãng phí, tiêu cực mà bạn biết được"),
    ),
    SelectChoice(CaseKind.other.value, _l("Việc khác")),
]

MODE_CHOICES = [
    SelectChoice(
        ReporterMode.anonymous.value,
        _l(
            "Không cho biết tên (nặc danh). Khi đó Ủy ban không liên hệ lại được với bạn; hãy "
            "giữ mã tra cứu để xem kết quả."
        ),
    ),
    SelectChoice(
        ReporterMode.confidential.value,
        _l("Cho Ủy ban biết tên nhưng giữ bí mật: chỉ Ủy ban biết, không cho ai khác biết."),
    ),
    SelectChoice(ReporterMode.open.value, _l("Cho biết tên, không cần giữ bí mật.")),
]


class PublicCaseForm(PageForm):
    kind = RadioField(
        _l("Bạn muốn gửi"),
        choices=KIND_CHOICES,
        default=CaseKind.petition.value,
        validate_choice=False,
    )
    title = StringField(
        _l("Tóm tắt trong một câu"),
        description=_l("Ví dụ: “Đường liên thôn bị hỏng lâu chưa sửa”. Bắt buộc."),
        render_kw={"maxlength": 200},
    )
    content = TextAreaField(
        _l("Nội dung"),
        description=_l("Kể rõ việc gì, ở đâu, khi nào. Bắt buộc."),
        render_kw={"rows": 8},
    )
    concerned = TextAreaField(
        _l("Người hoặc cơ quan liên quan"),
        description=_l("Tên, chức vụ, nơi làm việc nếu bạn biết. Có thể để trống."),
        render_kw={"rows": 2},
    )
    reporter_mode = RadioField(
        _l("Thông tin về bạn"),
        choices=MODE_CHOICES,
        default=ReporterMode.anonymous.value,
        validate_choice=False,
    )
    name = StringField(_l("Họ và tên"), render_kw={"maxlength": 200, "autocomplete": "name"})
    contact = StringField(
        _l("Số điện thoại hoặc thư điện tử"), render_kw={"maxlength": 200, "autocomplete": "tel"}
    )
    address = StringField(_l("Địa chỉ"), render_kw={"maxlength": 300})
    consent = BooleanField(
        _l(
            "Tôi đã đọc: thông tin về người gửi được bảo vệ theo Chỉ thị 27-CT/TW; tôi cam kết nội "
            "dung gửi là trung thực."
        )
    )


class LookupForm(PageForm):
    code = StringField(
        _l("Mã tra cứu"),
        description=_l(
            "Gồm 20 chữ số, ví dụ 1234 5678 9012 3456 7890. Có thể gõ có hoặc không có dấu cách."
        ),
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 40},
    )


class AddInformationForm(PageForm):
    #: Kept in the page (a POST field), never in a URL: a URL ends up in logs and histories.
    code = HiddenField()
    text = TextAreaField(
        _l("Thông tin bổ sung"),
        description=_l("Viết thêm điều bạn muốn Ủy ban biết về việc này."),
        render_kw={"rows": 5, "maxlength": 5000},
    )


def form_problems(form: PublicCaseForm) -> dict[str, list[str]]:
    """What the sender must fix before anything is saved, by field (plain Vietnamese)."""
    problems: dict[str, list[str]] = {}
    if not (form.title.data or "").strip():
        problems["title"] = [str(_l("Hãy tóm tắt việc bạn muốn gửi trong một câu."))]
    if not (form.content.data or "").strip():
        problems["content"] = [str(_l("Hãy viết nội dung việc bạn muốn gửi."))]
    if form.kind.data not in {choice.value for choice in KIND_CHOICES}:
        problems["kind"] = [str(_l("Hãy chọn một loại trong danh sách."))]
    mode = form.reporter_mode.data
    gave_identity = any((f.data or "").strip() for f in (form.name, form.contact, form.address))
    if mode not in {choice.value for choice in MODE_CHOICES}:
        problems["reporter_mode"] = [str(_l("Hãy chọn một cách trong danh sách."))]
    elif mode == ReporterMode.anonymous.value and gave_identity:
        problems["reporter_mode"] = [
            str(
                _l(
                    "Bạn chọn không cho biết tên nhưng đã điền thông tin về mình. Hãy xóa các ô họ tên, "
                    "liên hệ, địa chỉ, hoặc chọn cách giữ bí mật."
                )
            )
        ]
    elif mode != ReporterMode.anonymous.value and not (form.name.data or "").strip():
        problems["name"] = [str(_l("Hãy ghi họ và tên, hoặc chọn không cho biết tên."))]
    if not form.consent.data:
        problems["consent"] = [str(_l("Hãy đánh dấu vào ô này để gửi."))]
    return problems


def identity_of(form: PublicCaseForm) -> dict[str, str] | None:
    if form.reporter_mode.data == ReporterMode.anonymous.value:
        return None
    return {
        "name": (form.name.data or "").strip(),
        "contact": (form.contact.data or "").strip(),
        "address": (form.address.data or "").strip(),
    }
