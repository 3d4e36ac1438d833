"""Reads of boxes, openings and letters, always scoped through `units.queries.scoped`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.orm import Session, aliased, lazyload

from giamsat.cases.search import fold, like
from giamsat.core import clock
from giamsat.core.errors import NotFound
from giamsat.letters.models import (
    BoxOpening,
    BoxStatus,
    Letter,
    LetterFile,
    LetterPage,
    SuggestionBox,
)
from giamsat.units.models import Unit
from giamsat.units.queries import get_rule, scoped

#: Opening frequencies (tenant rule `box_opening_frequency`) as the longest allowed gap.
FREQUENCY_DAYS = {"weekly": 7, "twice_monthly": 15, "monthly": 31, "quarterly": 92}
DEFAULT_FREQUENCY = "monthly"


# -- boxes ------------------------------------------------------------------------------------
def boxes_query(principal, *, unit_id: int | None = None, status=None) -> Select:
    """Visible boxes; `unit_id` a commune (its areas' boxes) or an area. Ordered by label."""
    stmt = scoped(select(SuggestionBox), SuggestionBox.unit_id, principal)
    if unit_id is not None:
        sub = select(Unit.path).where(Unit.id == unit_id).scalar_subquery()
        stmt = stmt.where(
            SuggestionBox.unit_id.in_(select(Unit.id).where(Unit.path.startswith(sub)))
        )
    if status:
        stmt = stmt.where(SuggestionBox.status == BoxStatus(status))
    return stmt.order_by(SuggestionBox.label_code)


def get_box(session: Session, box_id: int, principal) -> SuggestionBox:
    box = session.scalar(
        scoped(
            select(SuggestionBox).where(SuggestionBox.id == box_id),
            SuggestionBox.unit_id,
            principal,
        )
    )
    if box is None:
        raise NotFound("Không tìm thấy hòm thư góp ý.")
    return box


# -- openings ---------------------------------------------------------------------------------
def openings_query(principal, *, box_id: int | None = None, unit_id: int | None = None) -> Select:
    """Visible openings, newest first; by box or by unit subtree (commune or area)."""
    stmt = scoped(select(BoxOpening), BoxOpening.unit_id, principal)
    if box_id is not None:
        stmt = stmt.where(BoxOpening.box_id == box_id)
    if unit_id is not None:
        sub = select(Unit.path).where(Unit.id == unit_id).scalar_subquery()
        stmt = stmt.where(BoxOpening.unit_id.in_(select(Unit.id).where(Unit.path.startswith(sub))))
    return stmt.order_by(BoxOpening.opened_at.desc(), BoxOpening.id.desc())


def get_opening(session: Session, opening_id: int, principal) -> BoxOpening:
    opening = session.scalar(
        scoped(select(BoxOpening).where(BoxOpening.id == opening_id), BoxOpening.unit_id, principal)
    )
    if opening is None:
        raise NotFound("Không tìm thấy lần mở hòm thư.")
    return opening


@dataclass(frozen=True)
class OverdueBox:
    """An active box whose next opening is past due (by the tenant's frequency)."""

    box: SuggestionBox
    area: Unit
    commune_id: int
    last_opened_on: dt.date | None
    due_on: dt.date
    days_overdue: int


def opening_interval(session: Session) -> dt.timedelta:
    frequency = get_rule(session, "box_opening_frequency", DEFAULT_FREQUENCY)
    return dt.timedelta(days=FREQUENCY_DAYS.get(frequency, FREQUENCY_DAYS[DEFAULT_FREQUENCY]))


def overdue_openings(
    session: Session, principal, *, today: dt.date | None = None, unit_id: int | None = None
) -> dict[int, list[OverdueBox]]:
    """Overdue boxes grouped by commune id: the last opening (or the installation day) plus the
    tenant's interval is before `today`. Removed and damaged boxes are not expected to open."""
    today = today or clock.today()
    interval = opening_interval(session)
    last = (
        select(BoxOpening.box_id, func.max(BoxOpening.opened_at).label("last_at"))
        .group_by(BoxOpening.box_id)
        .subquery()
    )
    stmt = (
        boxes_query(principal, unit_id=unit_id, status=BoxStatus.active)
        .add_columns(last.c.last_at)
        .outerjoin(last, last.c.box_id == SuggestionBox.id)
    )
    found: dict[int, list[OverdueBox]] = {}
    for box, last_at in session.execute(stmt).all():
        last_day = _local_day(last_at) if last_at else None
        due = (last_day or box.installed_on) + interval
        if due < today:
            area = box.unit
            found.setdefault(area.parent_id, []).append(
                OverdueBox(
                    box=box,
                    area=area,
                    commune_id=area.parent_id,
                    last_opened_on=last_day,
                    due_on=due,
                    days_overdue=(today - due).days,
                )
            )
    for boxes in found.values():
        boxes.sort(key=lambda item: (-item.days_overdue, item.box.label_code))
    return found


def _local_day(moment: dt.datetime) -> dt.date:

    return moment.astimezone(clock.zone()).date()


# -- letters ----------------------------------------------------------------------------------
def letters_query(
    principal,
    *,
    opening_id: int | None = None,
    case_id: int | None = None,
    current_only: bool = True,
    after: tuple[int] | None = None,
) -> Select:
    """Visible letters in the order they were filed; by default only the newest version of
    each case's letter. `after` (a keyset cursor: the id of the last row seen) starts after it."""
    stmt = scoped(select(Letter), Letter.unit_id, principal)
    if opening_id is not None:
        stmt = stmt.where(Letter.opening_id == opening_id)
    if case_id is not None:
        stmt = stmt.where(Letter.case_id == case_id)
    if current_only:
        # No newer version of the same case's letter: checked per row on (case_id, version),
        # so a first page reads one page of letters, not a GROUP BY of every letter.
        newer = aliased(Letter)
        stmt = stmt.where(
            ~exists().where(newer.case_id == Letter.case_id, newer.version > Letter.version)
        )
    if after is not None:
        stmt = stmt.where(Letter.id > after[0])
    return stmt.order_by(Letter.id)


#: Loader options for a page of letters as the API's list shows it: the files and their pages,
#: not the case and the opening (with its box and unit) the model joins in by default — their
#: ids are on the letter. Anything else a caller touches still loads on access.
LETTER_LIST_LOADING = (lazyload(Letter.case), lazyload(Letter.opening))


def get_letter(session: Session, letter_id: int, principal) -> Letter:
    letter = session.scalar(
        scoped(select(Letter).where(Letter.id == letter_id), Letter.unit_id, principal)
    )
    if letter is None:
        raise NotFound("Không tìm thấy thư.")
    return letter


def letter_versions(session: Session, case_id: int, principal) -> list[Letter]:
    """Every version of a case's letter, oldest first (originals are kept)."""
    return list(
        session.scalars(
            letters_query(principal, case_id=case_id, current_only=False)
            .order_by(None)
            .order_by(Letter.version)
        )
    )


def get_letter_file(session: Session, file_id: int, principal) -> LetterFile:
    """A file whose letter the principal may see — the only way to a download."""
    stmt = scoped(
        select(LetterFile)
        .join(Letter, Letter.id == LetterFile.letter_id)
        .where(LetterFile.id == file_id),
        Letter.unit_id,
        principal,
    )
    found = session.scalar(stmt)
    if found is None:
        raise NotFound("Không tìm thấy tệp.")
    return found


def get_letter_page(session: Session, page_id: int, principal) -> LetterPage:
    stmt = scoped(
        select(LetterPage)
        .join(Letter, Letter.id == LetterPage.letter_id)
        .where(LetterPage.id == page_id),
        Letter.unit_id,
        principal,
    )
    found = session.scalar(stmt)
    if found is None:
        raise NotFound("Không tìm thấy trang.")
    return found


def letter_pages(session: Session, letter: Letter) -> list[LetterPage]:
    """Pages in reading order (file position, then page number); the caller checked access."""
    return list(
        session.scalars(
            select(LetterPage)
            .join(LetterFile, LetterFile.id == LetterPage.file_id)
            .where(LetterPage.letter_id == letter.id)
            .order_by(LetterFile.position, LetterPage.page_number)
        )
    )


def letter_text(session: Session, letter: Letter) -> str:
    return "\n\n".join(page.text for page in letter_pages(session, letter) if page.text)


def page_text_search_clause(case_id_column, q: str):
    """Cases whose letter pages contain every word of `q` (accent-insensitive), page by page
    (the cases search matches the pages' text copied onto the case, `search_extra`)."""
    words = fold(q).split()
    return and_(
        *(
            select(LetterPage.id)
            .where(
                LetterPage.case_id == case_id_column,
                LetterPage.search_text.ilike(like(word), escape="\\"),
            )
            .exists()
            for word in words
        )
    )
