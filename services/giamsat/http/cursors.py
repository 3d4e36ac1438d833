"""Opaque keyset cursors for deep pages: the sort key of a page's last row, signed by nothing
(it only selects rows the scoped statement already allows), encoded so clients treat it as text.

A key is a tuple of dates, datetimes, texts and ids, in the list's sort order; each list names
the kinds of its key (`KEY_DATE_ID`…) so a cursor of another list or a forged one is a 422."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import marshmallow as ma

#: The kinds a key part may have; `int` is a row id (PostgreSQL `integer`, positive).
KeyKind = type[dt.date] | type[dt.datetime] | type[str] | type[int]

KEY_DATE_ID: tuple[KeyKind, ...] = (dt.date, int)
KEY_TIME_ID: tuple[KeyKind, ...] = (dt.datetime, int)
KEY_TEXT_ID: tuple[KeyKind, ...] = (str, int)
KEY_ID: tuple[KeyKind, ...] = (int,)
#: A ranked search's key: the rank (a small positive number) first.
KEY_RANK_DATE_ID: tuple[KeyKind, ...] = (int, dt.date, int)
#: Longest text part accepted back (names are at most 200 characters).
MAX_TEXT = 400


def encode_cursor(*key: Any) -> str:
    """The cursor of a row whose sort key is `key` (dates and datetimes as ISO text)."""
    parts = [v.isoformat() if isinstance(v, dt.date) else v for v in key]
    raw = json.dumps(parts, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(text: str, kinds: Sequence[KeyKind] = KEY_DATE_ID) -> tuple:
    """The key of a cursor, each part checked against `kinds`; ValueError when it is not one
    of ours (or not of this list)."""
    try:
        padded = text + "=" * (-len(text) % 4)
        parts = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(parts, list) or len(parts) != len(kinds):
            raise ValueError(text)
        return tuple(_part(value, kind) for value, kind in zip(parts, kinds, strict=True))
    except (ValueError, TypeError, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(text) from error


def _part(value: Any, kind: KeyKind) -> Any:
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**31:
            raise ValueError(value)
        return value
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise ValueError(value)
    if kind is dt.datetime:
        moment = dt.datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError(value)
        return moment
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    return value


class CursorField(ma.fields.String):
    """`after=`: the `next_cursor` of the previous page's X-Pagination; a bad one is a 422.
    `shapes`: the keys this list's cursors may have (one, or one per order it offers)."""

    def __init__(self, *shapes: Sequence[KeyKind], **kwargs):
        kwargs.setdefault(
            "metadata",
            {
                "description": "Trang sâu theo con trỏ: `next_cursor` của tiêu đề X-Pagination "
                "trang trước (giữ `page=1`); nhanh như trang đầu."
            },
        )
        super().__init__(**kwargs)
        self.shapes = tuple(tuple(kinds) for kinds in shapes) or (KEY_DATE_ID,)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        for kinds in self.shapes:
            try:
                return decode_cursor(text, kinds)
            except ValueError:
                continue
        raise ma.ValidationError(BAD_CURSOR)


BAD_CURSOR = "Con trỏ trang không hợp lệ."
