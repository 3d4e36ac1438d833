"""Fields and help texts the supervision page forms share."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice


def choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(key.value, label) for key, label in labels.items()]


class IdMultipleField(SelectMultipleField):
    """Several ids ticked from a list; the operation checks each one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        self.data = [int(v) for v in valuelist if str(v).isdigit()]


class TagsField(SelectMultipleField):
    """Codes of the cases' classification catalogue, ticked in its groups (the cases' own
    checkboxes, `cases/_macros.html`); the operation checks each code."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)


def tags_field(what):
    return TagsField(
        _l("Phân loại nội dung"),
        description=_l(
            "Biểu hiện suy thoái (Nghị quyết TW4) hoặc nội dung khác mà %(what)s nêu, theo "
            "danh mục phân loại dùng chung với hồ sơ. Có thể chọn nhiều hoặc để trống.",
            what=what,
        ),
    )


UNIT_HELP = _l("Đơn vị có sổ theo dõi này. Chỉ hiện các đơn vị bạn được ghi.")
#: site.js puts a box that filters the options in place above a select with `data-filter`.
UNIT_FILTER = {"data-filter": _l("Gõ vài chữ để tìm đơn vị")}
ORG_HELP = _l("Tổ chức thực hiện: Ủy ban MTTQ hoặc tổ chức chính trị - xã hội ở đơn vị đó.")
