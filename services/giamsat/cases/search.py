"""The ranked, accent-insensitive case search: three tiers, each read in queue order."""

from __future__ import annotations

import unicodedata

from sqlalchemy import Select, and_, false, func, literal_column, select, true, tuple_, union_all

from giamsat.cases.models import Case
from giamsat.core.db import UNPREPARED
from giamsat.http.counts import COUNT_STATEMENT, page_window

#: Search ranks, best first: every word in the title, in the people concerned, elsewhere (the
#: content or other domains' text, e.g. a letter's OCR text).
RANK_TITLE, RANK_CONCERNED, RANK_OTHER = 3, 2, 1


def fold(text: str) -> str:
    """Python twin of `shared.fold`: lower case, diacritics removed (đ → d too)."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()


def like(text: str) -> str:
    """A LIKE pattern finding `text` anywhere, its wildcards taken literally (escape `\\`)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _every_word(column, words: list[str]):
    # Both sides are folded, so lower case: LIKE, a third of ILIKE's cost on long text.
    return and_(*(column.like(like(word), escape="\\") for word in words))


def ranked_search(filtered: Select, q: str, after: tuple | None = None) -> Select:
    """`filtered` (a scoped, filtered `select(Case)`) narrowed to the cases with every word of
    `q` in their words or other domains' text about them, ranked: title matches, then people
    concerned, then the rest, newest first in each (`after`: rank, received_on, id).

    One part per rank, each on its own stored folded column (and trigram index), in queue
    order and cut at what the page still needs of the pager's window (`http.counts.
    PAGE_WINDOW`; unset: every row): a word found in 50,000 cases reads a page of them instead
    of ranking them all, and a rank is not read at all once the ones above fill the page. The
    parts are disjoint (a title match is not counted again as a people-concerned one), so the
    total is the plain match set's, counted without ranking (`COUNT_STATEMENT`)."""
    words = fold(q).split()
    anywhere = _every_word(Case.search_text, words)
    in_title = _every_word(Case.search_title, words)
    in_concerned = _every_word(Case.search_concerned, words)
    tiers = (
        (RANK_TITLE, in_title),
        (RANK_CONCERNED, and_(in_concerned, ~in_title)),
        (RANK_OTHER, and_(anywhere, ~in_title, ~in_concerned)),
    )
    if not words:  # nothing left to look for once folded: every case, one rank
        anywhere, tiers = true(), ((RANK_OTHER, true()),)
    window = page_window()
    taken = None  # rows the ranks above give (each at most what was left: never past window)
    parts, unranked = [], []
    for rank, condition in tiers:
        if after is not None and rank > after[0]:
            continue  # a cursor past this whole rank
        part = filtered.with_only_columns(Case.id, Case.received_on).where(condition)
        if after is not None and rank == after[0]:
            part = part.where(tuple_(Case.received_on, Case.id) < tuple_(*after[1:]))
        unranked.append(part)
        part = (
            part.order_by(Case.received_on.desc(), Case.id.desc())
            .limit(window if taken is None else window - taken)
            .cte(f"rank_{rank}")
            .prefix_with("MATERIALIZED")  # read once, counted by the ranks below
        )
        given = select(func.count()).select_from(part).scalar_subquery()
        taken = given if taken is None else taken + given
        parts.append(select(part.c.id, part.c.received_on, literal_column(str(rank)).label("rank")))
    if not parts:
        return filtered.where(false())
    matches = union_all(*parts).subquery("matches")
    # What is left after a cursor is counted rank by rank; a first page counts the match set.
    counted = (
        union_all(*unranked)
        if after is not None
        else filtered.with_only_columns(Case.id, Case.received_on).where(anywhere)
    )
    return (
        select(Case)
        .join(matches, matches.c.id == Case.id)
        .order_by(matches.c.rank.desc(), matches.c.received_on.desc(), matches.c.id.desc())
        # Planned for its own words each time (see `core.db.UNPREPARED`).
        .execution_options(**{COUNT_STATEMENT: counted, UNPREPARED: True})
    )


def rank_of(found: Case, q: str) -> int:
    """Python twin of the SQL ranks for one case (the API's cursor of a search page)."""
    words = fold(q).split()
    if words and all(word in fold(found.title) for word in words):
        return RANK_TITLE
    if words and all(word in fold(found.concerned) for word in words):
        return RANK_CONCERNED
    return RANK_OTHER
