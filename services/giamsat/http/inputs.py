"""Input no handler should ever see, refused (or cleaned) once before any view runs.

Control characters cannot be typed, and PostgreSQL refuses NUL in text: a value carrying them
would fail deep inside a query. Query strings, paths and headers may hold none of them; bodies
may hold tab and line breaks only. The API answers 422 naming each bad field; pages answer a
plain sentence for a bad address, and drop the invisible characters from a submitted form so
what the person typed is still saved. Malformed JSON is a 422 too, not a 400 from deep inside.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from flask import Flask, Request, abort, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

#: Never allowed: C0 controls, DEL, and lone surrogates (they cannot be encoded to UTF-8).
STRICT = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
#: Header values may hold a tab (RFC 9110 allows it between words), nothing else.
IN_HEADER = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
#: Allowed in bodies: tab, line feed, carriage return.
IN_BODY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

#: The largest value of PostgreSQL's `integer`, the type of every id column.
INT4_MAX = 2**31 - 1
INT4_MIN = -(2**31)

CONTROL_MESSAGE = "Có ký tự điều khiển không được phép (ví dụ NUL)."
BAD_JSON_MESSAGE = "Nội dung JSON không đọc được: {error}."
API_MESSAGE = "Dữ liệu gửi lên không hợp lệ."


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` of every route: an id beyond the id columns' range cannot exist, so 404."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", INT4_MAX)
        super().__init__(map, *args, **kwargs)


class BoundedArgs(ImmutableMultiDict):
    """Query and form values: `get(name, type=int)` gives the default for a number no id
    column can hold, as for any other value that is not a number."""

    def get(self, key, default=None, type=None):  # noqa: A002 (werkzeug's signature)
        value = super().get(key, default, type)
        if type is int and isinstance(value, int) and not INT4_MIN <= value <= INT4_MAX:
            return default
        return value


class InputRequest(Request):
    parameter_storage_class = BoundedArgs


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(field path, string) of every key and string inside a decoded JSON document."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            yield inner, str(key)
            yield from _strings(item, inner)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}.{index}" if path else str(index))


def is_api_path() -> bool:
    return request.path.startswith("/api/")


def _address_problems() -> dict[str, dict[str, list[str]]]:
    problems: dict[str, dict[str, list[str]]] = {}
    if STRICT.search(request.path):
        problems.setdefault("path", {})["path"] = [CONTROL_MESSAGE]
    for key, value in request.args.items(multi=True):
        if STRICT.search(key) or STRICT.search(value):
            problems.setdefault("query", {})[STRICT.sub("", key) or "_"] = [CONTROL_MESSAGE]
    for name, value in request.headers.items():
        if IN_HEADER.search(value):
            problems.setdefault("headers", {})[name] = [CONTROL_MESSAGE]
    return problems


def _json_problems() -> dict[str, dict[str, list[str]]]:
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError) as error:
        return {"json": {"_schema": [BAD_JSON_MESSAGE.format(error=error)]}}
    bad = {
        path or "_schema": [CONTROL_MESSAGE]
        for path, s in _strings(document, "")
        if IN_BODY.search(s)
    }
    return {"json": bad} if bad else {}


def _form_items() -> list[tuple[str, str]]:
    # A multipart part may come without a name (None): treat it as empty text.
    return [(key or "", value or "") for key, value in request.form.items(multi=True)]


def _form_problems() -> dict[str, dict[str, list[str]]]:
    bad = {
        IN_BODY.sub("", key) or "_": [CONTROL_MESSAGE]
        for key, value in _form_items()
        if IN_BODY.search(key) or IN_BODY.search(value)
    }
    for key, upload in request.files.items(multi=True):
        if STRICT.search(upload.filename or ""):
            bad[STRICT.sub("", key or "") or "_"] = [CONTROL_MESSAGE]
    return {"form": bad} if bad else {}


def _clean_form() -> None:
    """Pages: drop invisible control characters from what was typed, keep everything else."""
    items = _form_items()
    if any(IN_BODY.search(k) or IN_BODY.search(v) for k, v in items):
        request.form = BoundedArgs(  # type: ignore[misc]
            [(IN_BODY.sub("", k), IN_BODY.sub("", v)) for k, v in items]
        )
    for upload in request.files.values():
        if upload.filename:
            upload.filename = STRICT.sub("", upload.filename)


def check_request() -> None:
    """The before_request hook: abort with 422 (API) or 400 (pages) on input nobody can mean."""
    problems = _address_problems()
    api = is_api_path()
    if api and not problems and request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.is_json:
            problems = _json_problems()
        elif request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
            problems = _form_problems()
    if problems:
        if api:
            from flask_smorest import abort as api_abort

            api_abort(422, message=API_MESSAGE, errors=problems)
        abort(400)
    if not api and request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        _clean_form()


def init_app(app: Flask) -> None:
    """Call first thing after building the app: the converter must precede every route."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.request_class = InputRequest
    app.before_request(check_request)
