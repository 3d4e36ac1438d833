"""Page forms for residential areas (khu dân cư); the operations do the checking."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField

from giamsat.http.forms import DayField, IdSelectField, PageForm
from giamsat.units.operations import RESIDENTIAL_AREA_KINDS

_NAME_HELP = _l(
    "Tên đầy đủ như trong văn bản của xã, phường, ví dụ “Thôn Đông” hoặc "
    "“Tổ dân phố số 3”. Không trùng với khu dân cư khác của xã, phường."
)
_KIND_HELP = _l(
    "Khu dân cư là thôn, tổ dân phố, khu phố, xóm, bản, ấp, làng… theo cách gọi ở địa phương."
)


class _AreaFields(PageForm):
    name = StringField(_l("Tên khu dân cư"), description=_NAME_HELP, render_kw={"maxlength": 200})
    # Not checked here: the operation refuses a kind outside RESIDENTIAL_AREA_KINDS in Vietnamese.
    kind = SelectField(
        _l("Loại"),
        description=_KIND_HELP,
        validate_choice=False,
        choices=list(RESIDENTIAL_AREA_KINDS),
    )


class CreateAreaForm(_AreaFields):
    pass


class EditAreaForm(_AreaFields):
    pass


class RetireAreaForm(PageForm):
    reason = TextAreaField(
        _l("Lý do ngừng hoạt động"),
        description=_l(
            "Ghi ngắn gọn, ví dụ “Sáp nhập vào Thôn Đông theo Nghị quyết số … của "
            "HĐND tỉnh”. Bắt buộc."
        ),
    )
    valid_to = DayField(
        _l("Ngày ngừng hoạt động"),
        description=_l("Ngày khu dân cư thôi tồn tại, dạng ngày/tháng/năm. Để trống là hôm nay."),
    )
    successor_id = IdSelectField(
        _l("Khu dân cư kế thừa"),
        description=_l(
            "Nếu khu dân cư được sáp nhập, chọn nơi tiếp nhận để số liệu cũ vẫn được "
            "cộng đúng chỗ. Nếu giải thể, chọn “Không có”."
        ),
    )
