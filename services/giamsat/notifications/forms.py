"""Page form of a user's email preference (cách nhận thư thông báo); the operation checks it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice

from giamsat.http.forms import PageForm
from giamsat.notifications.models import EmailMode

#: Each choice says in plain words what arrives in the mailbox.
EMAIL_MODE_CHOICES = [
    SelectChoice(
        EmailMode.immediate.value, _l("Gửi thư ngay: mỗi thông báo mới là một thư điện tử.")
    ),
    SelectChoice(
        EmailMode.daily_digest.value,
        _l("Gộp một thư mỗi ngày: cuối ngày nhận một thư kể lại các thông báo mới trong ngày."),
    ),
    SelectChoice(
        EmailMode.none.value, _l("Không gửi thư: chỉ xem thông báo khi đăng nhập vào đây.")
    ),
]


class PreferencesForm(PageForm):
    # Not checked here: the operation refuses an unknown choice with a Vietnamese message.
    email_mode = RadioField(
        _l("Nhận thư điện tử báo tin"),
        choices=EMAIL_MODE_CHOICES,
        validate_choice=False,
        description=_l(
            "Thông báo luôn hiện trong mục “Thông báo” ở đầu trang, dù bạn chọn "
            "cách nào. Cách chọn ở đây chỉ quyết định có gửi thêm thư điện tử hay "
            "không."
        ),
    )
    email_address = StringField(
        _l("Gửi thư đến địa chỉ khác"),
        description=_l(
            "Để trống thì thư gửi đến địa chỉ của tài khoản. Điền vào nếu muốn "
            "nhận ở địa chỉ khác, ví dụ ten@example.vn."
        ),
        render_kw={"maxlength": 200, "autocomplete": "email", "inputmode": "email"},
    )
