"""Page forms of people management and of the first sign-in."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, PasswordField, SelectField, StringField

from giamsat.http.forms import IdSelectField, PageForm, confirm_field

_CONTACT_HELP = _l(
    "Thư điện tử hoặc số điện thoại dùng làm tên đăng nhập. Có thư điện tử thì hệ thống có thể "
    "gửi liên kết đăng nhập lần đầu."
)


class GrantFields(PageForm):
    role = SelectField(_l("Vai trò"), validate_choice=False)
    unit_id = IdSelectField(
        _l("Tại đơn vị"),
        description=_l("Vai trò có hiệu lực ở đơn vị này và mọi đơn vị cấp dưới."),
    )
    organization_id = IdSelectField(
        _l("Thuộc tổ chức"),
        description=_l("Để trống nếu là cán bộ của chính Ủy ban Mặt trận."),
    )


class PersonForm(GrantFields):
    full_name = StringField(_l("Họ và tên"), render_kw={"maxlength": 200})
    email = StringField(
        _l("Thư điện tử"), description=_CONTACT_HELP, render_kw={"autocomplete": "off"}
    )
    phone = StringField(_l("Số điện thoại"), render_kw={"inputmode": "tel"})


class EditPersonForm(PageForm):
    full_name = StringField(_l("Họ và tên"), render_kw={"maxlength": 200})
    email = StringField(_l("Thư điện tử"))
    phone = StringField(_l("Số điện thoại"), render_kw={"inputmode": "tel"})


class ImportForm(PageForm):
    file = FileField(
        _l("Tệp Excel (.xlsx)"),
        description=_l("Dùng tệp mẫu tải ở trang này. Mỗi dòng là một người."),
    )


class ConfirmImportForm(PageForm):
    #: The previewed file, carried back unchanged; it is read and checked again on import.
    payload = HiddenField()


class FirstPasswordForm(PageForm):
    password = PasswordField(
        _l("Mật khẩu mới"),
        description=_l("Ít nhất 10 ký tự. Một câu ngắn dễ nhớ với bạn là mật khẩu tốt."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(_l("Nhập lại mật khẩu mới"), render_kw={"autocomplete": "new-password"})


class DisableForm(PageForm):
    """Locking an account ends every session and token at once: it asks first."""

    checked = confirm_field(_l("Tôi đã kiểm tra đúng người, đồng ý khóa tài khoản này."))
