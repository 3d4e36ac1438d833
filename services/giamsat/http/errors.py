"""Database refusals caused by the input, mapped once: a 422 (API) or a plain page, never 500.

The input checks (`http.inputs`, the bounded id converter, `core.columns`) stop most bad values
before a query; whatever still reaches PostgreSQL as a data error (a number beyond a column's
range, a date it cannot hold…) becomes a ValidationFailed, which the app maps like any other;
so does an OverflowError (a day computed past the year 9999 from a date someone typed).
"""

from __future__ import annotations

from flask import Flask, current_app
from sqlalchemy.exc import DataError

from giamsat.core.errors import ValidationFailed

#: SQLSTATE of PostgreSQL's data exceptions (class 22) → what to tell the person.
DATA_MESSAGES = {
    "22003": "Một số vượt quá giới hạn cho phép.",
    "22001": "Một nội dung dài quá giới hạn cho phép.",
    "22007": "Ngày giờ không hợp lệ.",
    "22008": "Ngày giờ nằm ngoài khoảng cho phép.",
    "22P02": "Một giá trị không đúng kiểu (ví dụ chữ ở chỗ cần số).",
    "22021": "Có ký tự không được phép.",
}
DEFAULT_MESSAGE = "Dữ liệu gửi lên không hợp lệ."


def data_error_message(error: DataError) -> str:
    code = getattr(error.orig, "sqlstate", None) or ""
    return DATA_MESSAGES.get(code, DEFAULT_MESSAGE)


def _data_error(error: DataError):
    # The request's transaction is rolled back by the tenant scope (status ≥ 400).
    current_app.logger.info("input refused by the database: %s", error.orig)
    refused = ValidationFailed(data_error_message(error))
    return current_app.handle_user_exception(refused)


def _overflow(error: OverflowError):
    # Python's dates end in 9999 and its C integers somewhere: only input gets that far.
    current_app.logger.info("input out of range: %s", error)
    refused = ValidationFailed("Một ngày hoặc một số nằm ngoài khoảng cho phép.")
    return current_app.handle_user_exception(refused)


def init_app(app: Flask) -> None:
    app.register_error_handler(DataError, _data_error)
    app.register_error_handler(OverflowError, _overflow)
