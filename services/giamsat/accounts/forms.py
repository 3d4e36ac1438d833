"""Page forms of accounts: login and personal API tokens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField

from giamsat.http.forms import PageForm


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
