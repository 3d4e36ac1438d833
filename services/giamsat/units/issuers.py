"""Who issues a report and whom it goes to: the header's issuing body, the signature block and
"Nơi nhận", for the Front committee and for each socio-political organization.

The names come from the unit tree and the organizations table; who signs in whose name comes
from `data/issuers.toml` (with its sources). An organization's report goes to the Standing Board
of the Front committee of its level — at the top level through its Democracy–Law department —
not to the party committee; the Front's own report goes to the party committee of its level.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from giamsat.core.admin_docx import AdminDocument, Signer


@dataclass(frozen=True)
class IssuerBlocks:
    parent_line: str
    issuer_line: str
    authority: str
    default_title: str
    recipients: tuple[str, ...]
    archive: str
    #: The document symbol after the number ("Số: 12/BC-MTTQ").
    symbol: str

    def symbol_of(self, kind: str) -> str:
        """The symbol of another kind of document by the same body: "KN" → "KN-MTTQ"."""
        return kind + self.symbol[self.symbol.index("-") :]

    def signer(self, title: str, name: str) -> Signer:
        return Signer(title or self.default_title, name or "", authority=self.authority)

    def document(
        self, unit: Any, *, number: str, day: dt.date, doc_type: str, summary: str
    ) -> AdminDocument:
        """A document issued by this body: its header, number, place, date and title."""
        return AdminDocument(
            issuer=self.issuer_line,
            issuer_parent=self.parent_line,
            number=number,
            place=place_name(unit),
            day=day,
            doc_type=doc_type,
            summary=summary,
        )


@functools.cache
def _data() -> dict[str, Any]:
    text = resources.files("giamsat.units").joinpath("data/issuers.toml").read_text("utf-8")
    return tomllib.loads(text)


#: Words that open a unit's name and are not part of the place (the unit's own kind first).
_KIND_WORDS = (
    "tỉnh",
    "thành phố",
    "huyện",
    "quận",
    "thị xã",
    "xã",
    "phường",
    "thị trấn",
    "đặc khu",
)


def place_name(unit: Any) -> str:
    """The địa danh of "[Địa danh], ngày …": the name without its kind word
    ("Xã Gia Viễn" → "Gia Viễn")."""
    name = unit.name.strip()
    words = {(getattr(unit, "kind", "") or "").lower(), *_KIND_WORDS}
    for word in sorted(words, key=len, reverse=True):
        if word and name.lower().startswith(word + " "):
            return name[len(word) + 1 :].strip()
    return name


def party_committee(unit: Any, parent: Any | None) -> str:
    """The standing committee of the party committee at the unit's level."""
    if parent is None:
        return f"Ban Thường vụ Tỉnh ủy {place_name(unit)}"
    if getattr(unit, "level_code", "") == "district":
        return f"Ban Thường vụ Huyện ủy {place_name(unit)}"
    return f"Ban Thường vụ Đảng ủy {unit.name}"


def blocks_for(unit: Any, parent: Any | None, organization: Any | None) -> IssuerBlocks:
    """The blocks of a report issued at `unit` by the Front committee (`organization` None or
    the Front itself) or by a socio-political organization."""
    data = _data()
    code = getattr(organization, "code", None)
    if organization is None or code == "mttq" or code not in data["organizations"]:
        front = data["front"]
        recipients = [f"{party_committee(unit, parent)} (để b/c)"]
        if parent is not None:
            recipients.append(f"Ban Thường trực Ủy ban MTTQ Việt Nam {parent.name} (để b/c)")
        recipients.append("Các tổ chức chính trị - xã hội cùng cấp")
        parent_line = (
            f"ỦY BAN MTTQ VIỆT NAM {parent.name}"
            if parent is not None
            else "ỦY BAN TRUNG ƯƠNG MTTQ VIỆT NAM"
        )
        return IssuerBlocks(
            parent_line=parent_line,
            issuer_line=f"BAN THƯỜNG TRỰC ỦY BAN MTTQ {unit.name}",
            authority=front["authority"],
            default_title=front["title"],
            recipients=tuple(recipients),
            archive=front["archive"],
            symbol=front["symbol"],
        )
    own = data["organizations"][code]
    short = organization.short_name
    front_board = f"Ban Thường trực Ủy ban MTTQ Việt Nam {unit.name}"
    if parent is None:
        recipients = [f"{front_board} (qua Ban Dân chủ - Pháp luật) (để t/h)"]
        parent_line = organization.name
    else:
        recipients = [f"{front_board} (để t/h)", f"{short} {parent.name} (để b/c)"]
        parent_line = f"{short} {parent.name}"
    return IssuerBlocks(
        parent_line=parent_line,
        issuer_line=f"BAN THƯỜNG VỤ {short} {unit.name}",
        authority=own["authority"],
        default_title=own["title"],
        recipients=tuple(recipients),
        archive=own["archive"],
        symbol=own["symbol"],
    )
