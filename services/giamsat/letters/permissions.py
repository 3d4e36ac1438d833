"""The letters actions on the role matrix (`accounts.permissions.PERMISSION_ACTIONS`) and the
"who can" hints of the box pages. The role sets are those the operations check."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from giamsat.accounts.permissions import Action
from giamsat.letters.operations.common import BOX_KEEPERS, LETTER_HANDLERS

_GROUP = _l("Hòm thư góp ý")


def letter_actions() -> list[Action]:
    return [
        Action(
            "letters.boxes",
            _l("Thêm và sửa hòm thư góp ý của khu dân cư"),
            BOX_KEEPERS,
            _GROUP,
        ),
        Action(
            "letters.handle",
            _l("Ghi mở hòm thư, tải lên và quét lại bản quét thư"),
            LETTER_HANDLERS,
            _GROUP,
        ),
    ]
