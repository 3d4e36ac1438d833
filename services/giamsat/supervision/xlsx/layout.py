"""The layout of the XLSX list of people under supervision, shared by the import and the export.

Layout (first sheet; a title may sit above the header row, which must be among the first 10):

| column            | content                                                          | needed |
| ----------------- | ---------------------------------------------------------------- | ------ |
| STT               | running number, ignored                                          |        |
| Họ và tên         | full name                                                        | yes    |
| Năm sinh          | 4-digit year, may be empty                                       |        |
| Chức vụ           | position                                                         | yes    |
| Đối tượng         | Người đứng đầu / Cán bộ chủ chốt / Cán bộ, đảng viên              | yes    |
| Cơ quan công tác  | agency                                                           | yes    |
| Đơn vị            | department inside the agency                                     |        |
| Nơi cư trú        | residential area (matched by name to the unit's areas) or address |        |
| Diện quản lý      | e.g. “Ban Thường vụ Tỉnh ủy quản lý”; empty = Khác                 |        |
| Đảng viên         | có / không (empty = không)                                       |        |
| Ghi chú           | notes                                                            |        |

Headers are matched without diacritics, case or text in brackets, so “Ho va ten” and
“Đảng viên (có/không)” are accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from giamsat.supervision import labels, queries
from giamsat.supervision.models import ManagementLevel, PersonTier

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    required: bool = False
    #: Other accepted spellings, already folded (no diacritics, lowercase).
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column("stt", "STT", 6, aliases=("so tt", "so thu tu", "tt")),
    Column("full_name", "Họ và tên", 28, True, ("ho ten", "ho va ten dem")),
    Column("birth_year", "Năm sinh", 10, aliases=("nam sinh", "nam")),
    Column("position", "Chức vụ", 30, True, ("chuc danh", "chuc vu hien nay")),
    Column("tier", "Đối tượng", 22, True, ("doi tuong giam sat", "nhom doi tuong")),
    Column("workplace_agency", "Cơ quan công tác", 30, True, ("co quan", "noi cong tac")),
    Column("workplace_unit", "Đơn vị", 22, aliases=("don vi cong tac", "phong ban")),
    Column("residence", "Nơi cư trú", 24, aliases=("noi o", "dia chi cu tru", "dia chi")),
    Column("management_level", "Diện quản lý", 30, aliases=("dien can bo", "cap quan ly")),
    Column("is_party_member", "Đảng viên", 12, aliases=("la dang vien",)),
    Column("notes", "Ghi chú", 30, aliases=("ghi chu khac",)),
)

#: The file speaks Vietnamese whatever the page's language, so an export imports back.
TIER_LABELS = labels.vietnamese(labels.TIER_LABELS)
MANAGEMENT_LEVEL_LABELS = labels.vietnamese(labels.MANAGEMENT_LEVEL_LABELS)


def plain(text: str) -> str:
    """Folded, brackets and punctuation dropped: “Đảng viên (có/không)” → “dang vien”."""
    text = re.sub(r"\(.*?\)", " ", queries.fold(text))
    return " ".join(re.sub(r"[^\w ]", " ", text).split())


BY_HEADER = {}
for _col in COLUMNS:
    for _name in (plain(_col.header), *_col.aliases):
        BY_HEADER[_name] = _col

TIERS = {plain(label): tier for tier, label in TIER_LABELS.items()} | {
    "nguoi dung dau": PersonTier.head,
    "dung dau": PersonTier.head,
    "can bo chu chot": PersonTier.key_cadre,
    "chu chot": PersonTier.key_cadre,
    "can bo dang vien": PersonTier.cadre,
    "can bo": PersonTier.cadre,
    "dang vien": PersonTier.cadre,
}
LEVELS = {plain(label): level for level, label in MANAGEMENT_LEVEL_LABELS.items()} | {
    "ban thuong vu tinh uy": ManagementLevel.provincial_standing_committee,
    "btv tinh uy": ManagementLevel.provincial_standing_committee,
    "tinh uy": ManagementLevel.provincial_party_committee,
    "cap tinh": ManagementLevel.provincial_party_committee,
    "ban thuong vu huyen uy": ManagementLevel.district_standing_committee,
    "btv huyen uy": ManagementLevel.district_standing_committee,
    "ban thuong vu dang uy xa": ManagementLevel.commune_standing_committee,
    "ban thuong vu dang uy phuong": ManagementLevel.commune_standing_committee,
    "btv dang uy xa": ManagementLevel.commune_standing_committee,
    "btv dang uy phuong": ManagementLevel.commune_standing_committee,
    "dang uy xa": ManagementLevel.commune_party_committee,
    "dang uy phuong": ManagementLevel.commune_party_committee,
    "chi bo": ManagementLevel.party_cell,
    "khac": ManagementLevel.other,
    "": ManagementLevel.other,
}
YES = {"co", "x", "1", "yes", "true", "dang vien", "la dang vien", "c"}
NO = {"khong", "0", "no", "false", "k", "", "-"}
