"""The minutes of a box opening: everyone present signs once."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

from docx import Document

from giamsat.letters.minutes import MinutesContext, build_minutes
from giamsat.letters.models import SealCondition


def _minutes(keeper: str, witnesses: list[dict]) -> str:
    box = SimpleNamespace(keeper=keeper, location="Nhà văn hóa", label_code="HT-00001")
    area = SimpleNamespace(name="Thôn Một", kind="thôn")
    commune = SimpleNamespace(name="Xã Gia Viễn", kind="xã")
    opening = SimpleNamespace(
        witnesses=witnesses, seal_condition=SealCondition.intact, letters_found=2, notes=""
    )
    at = dt.datetime(2026, 12, 6, 8, 30)
    data = build_minutes(MinutesContext(box, area, commune, opening, 1, at))  # type: ignore[arg-type]
    document = Document(io.BytesIO(data))
    return "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)


def test_a_keeper_who_also_witnessed_signs_once():
    cells = _minutes(
        "Nguyễn Văn An",
        [
            {"name": "nguyễn  văn an", "role": "Trưởng ban CTMT"},
            {"name": "Trần Thị Bình", "role": "Chi hội trưởng"},
        ],
    )
    # Each is listed once among those present and signs once; the keeper signs as the keeper.
    assert cells.count("Trần Thị Bình") == 2
    assert cells.count("nguyễn  văn an") == 1 and cells.count("Nguyễn Văn An") == 1
    assert "NGƯỜI GIỮ HÒM THƯ" in cells and "TRƯỞNG BAN CTMT" not in cells


def test_different_people_each_sign():
    cells = _minutes("Lò Thị Giữ", [{"name": "Trần Thị Bình", "role": "Chi hội trưởng"}])
    assert "Lò Thị Giữ" in cells and cells.count("Trần Thị Bình") == 2
