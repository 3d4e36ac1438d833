"""Page forms of accounts: login and personal API tokens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice

from giamsat.http.forms import CountField, PageForm


class LoginForm(PageForm):
    username = StringField(
        _l("Tên đăng nhập"),
        description=_l(
            "Tên đăng nhập do quản trị viên cấp cho bạn, thường là địa chỉ thư điện tử."
        ),
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Mật khẩu"),
        description=_l("Phân biệt chữ hoa, chữ thường. Quên mật khẩu thì hãy hỏi quản trị viên."),
        render_kw={"autocomplete": "current-password"},
    )


class ApiTokenForm(PageForm):
    name = StringField(
        _l("Tên gọi của mã"),
        description=_l("Đặt tên để nhớ mã dùng vào việc gì, ví dụ “Phần mềm tổng hợp báo cáo”."),
        render_kw={"maxlength": 100},
    )
    scope = SelectField(
        _l("Quyền của mã"),
        choices=[
            SelectChoice("read", _l("Chỉ đọc: xem dữ liệu, không thay đổi được gì")),
            SelectChoice("read_write", _l("Đọc và ghi: làm được mọi việc bạn làm được")),
        ],
        default="read",
        validate_choice=False,
        description=_l("Chọn “Chỉ đọc” nếu phần mềm chỉ cần lấy số liệu."),
    )
    days = CountField(
        _l("Thời hạn (ngày)"),
        default=90,
        description=_l("Hết hạn, mã tự thôi dùng được. Tối đa 365 ngày."),
    )
