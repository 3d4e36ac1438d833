"""The printed rows of a review's figures (pages and DOCX): this year beside the previous
year, the change, and the share a figure is of its total (held of planned, on time of due)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.reports.models import Indicator
from giamsat.reports.yearly_review.figures import INDICATORS, PROGRAMME


@dataclass(frozen=True)
class FigureLine:
    code: str
    label: str
    unit_of_measure: str
    previous: int
    current: int
    #: "75%" of its total this year, or "".
    share: str

    @property
    def change(self) -> str:
        delta = self.current - self.previous
        return f"+{delta}" if delta > 0 else str(delta) if delta else "0"


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else ""


def figure_lines(
    session: Session, current: Mapping[str, int], previous: Mapping[str, int]
) -> list[FigureLine]:
    """Programme figures first, then the report indicators by the tenant's own labels (an
    indicator the tenant retired is left out)."""
    lines = [
        FigureLine(
            f.code,
            f.label,
            f.unit_of_measure,
            previous.get(f.code, 0),
            current.get(f.code, 0),
            _share(current.get(f.code, 0), current.get(f.share_of, 0)) if f.share_of else "",
        )
        for f in PROGRAMME
    ]
    indicators = {
        i.code: i
        for i in session.scalars(
            select(Indicator).where(Indicator.code.in_(INDICATORS), Indicator.is_active.is_(True))
        )
    }
    lines += [
        FigureLine(
            code,
            indicators[code].label,
            indicators[code].unit_of_measure,
            previous.get(code, 0),
            current.get(code, 0),
            "",
        )
        for code in INDICATORS
        if code in indicators
    ]
    return lines
