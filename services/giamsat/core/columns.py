"""Save-time checks derived from the column types, for every session of every process.

An operation checks the lengths it knows about; this catches the rest before PostgreSQL would
refuse the row mid-transaction: a string longer than its `String(n)` column is a
ValidationFailed naming the attribute, so the caller answers 422 next to the field, never 500.
"""

from __future__ import annotations

from itertools import chain

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session

from giamsat.core.errors import ValidationFailed


class TooLong(ValidationFailed):
    """Raised by a flush: the session still holds the rows, so roll it back before reading."""


def too_long(obj: object) -> dict[str, list[str]]:
    """{attribute: [message]} for each loaded string longer than its column allows."""
    state = inspect(obj)
    problems: dict[str, list[str]] = {}
    for attr in state.mapper.column_attrs:
        length = getattr(attr.columns[0].type, "length", None)
        if not length or not isinstance(attr.columns[0].type, String):
            continue
        value = state.dict.get(attr.key)  # only what is loaded: never a lazy load in a flush
        if isinstance(value, str) and len(value) > length:
            problems[attr.key] = [f"Dài quá {length} ký tự (đang có {len(value)})."]
    return problems


@event.listens_for(Session, "before_flush")
def _check_lengths(session: Session, _context, _instances) -> None:
    problems: dict[str, list[str]] = {}
    for obj in chain(session.new, session.dirty):
        problems.update(too_long(obj))
    if problems:
        first = next(iter(problems.values()))[0]
        raise TooLong(f"Nội dung quá dài: {first}", errors=problems)
