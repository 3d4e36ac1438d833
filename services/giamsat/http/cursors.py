"""Opaque keyset cursors for deep pages: the sort key of a page's last row, signed by nothing
(it only selects rows the scoped statement already allows), encoded so clients treat it as text."""

from __future__ import annotations

import base64
import datetime as dt
import json

import marshmallow as ma


def encode_cursor(received_on: dt.date, row_id: int) -> str:
    raw = json.dumps([received_on.isoformat(), row_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(text: str) -> tuple[dt.date, int]:
    """The `(date, id)` of a cursor; ValueError when it is not one of ours."""
    try:
        padded = text + "=" * (-len(text) % 4)
        day, row_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(row_id, int) or not 0 < row_id < 2**31:
            raise ValueError(text)
        return dt.date.fromisoformat(day), row_id
    except (ValueError, TypeError, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(text) from error


class CursorField(ma.fields.String):
    """`after=`: the `next_cursor` of the previous page's X-Pagination; a bad one is a 422."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return decode_cursor(text)
        except ValueError as error:
            raise ma.ValidationError("Con trỏ trang không hợp lệ.") from error
