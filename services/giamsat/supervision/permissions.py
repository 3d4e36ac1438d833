"""The supervision actions on the role matrix (`accounts.permissions.PERMISSION_ACTIONS`) and
the "who can" hints of the register pages. The role sets are those the operations check."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from giamsat.accounts.permissions import Action
from giamsat.supervision.operations.common import APPROVERS, WRITERS

_GROUP = _l("Giám sát")


def supervision_actions() -> list[Action]:
    return [
        Action(
            "supervision.write",
            _l(
                "Ghi sổ giám sát: người thuộc diện giám sát, phân công, kế hoạch, hoạt động, "
                "đối thoại và kiến nghị"
            ),
            WRITERS,
            _GROUP,
        ),
        Action(
            "supervision.approve",
            _l("Duyệt kế hoạch giám sát"),
            APPROVERS,
            _GROUP,
        ),
    ]
