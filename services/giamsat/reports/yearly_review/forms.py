"""Page forms of the yearly review; the operations check, these only carry the input. The
narratives are posted as `section-<id>` boxes, one per section the province asks for."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from giamsat.http.forms import PageForm, confirm_field


class VersionForm(PageForm):
    version = HiddenField()


class SubmitForm(VersionForm):
    checked = confirm_field(_l("Tôi đã kiểm tra số liệu và nội dung, đồng ý gửi lên cấp trên."))


class SectionForm(PageForm):
    title = StringField(_l("Tên mục"), description=_l("Như sẽ in trong bản đánh giá."))
    guidance = TextAreaField(_l("Hướng dẫn"), description=_l("Mục này cần nói những gì."))
    sort_order = IntegerField(
        _l("Thứ tự"),
        validators=[Optional()],
        description=_l("Số nhỏ in trước. Bỏ trống để thêm vào cuối."),
    )
    is_active = BooleanField(_l("Còn yêu cầu các đơn vị viết mục này"), default=True)


class EditSectionForm(SectionForm):
    sort_order = IntegerField(
        _l("Thứ tự"),
        validators=[InputRequired(_l("Hãy nhập thứ tự (số nguyên)."))],
        description=_l("Số nhỏ in trước."),
    )
