"""What every tenant API resource shares: the Blueprint subclass, auth, paging in the database."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol

import marshmallow as ma
from flask import current_app, g, request
from flask_smorest import Blueprint, Page, abort
from flask_smorest.utils import unpack_tuple_response
from sqlalchemy import Select
from sqlalchemy.orm import Session

from giamsat.core import acting
from giamsat.core.config import Settings
from giamsat.http import counts
from giamsat.http.counts import capped_count, window
from giamsat.http.cursors import encode_cursor
from giamsat.http.inputs import INT4_MAX, INT4_MIN
from giamsat.identity import Principal

API_PREFIX = "/api/v1"
TENANT_PREFIX = API_PREFIX + "/t/<tenant>"

#: The page size the OpenAPI text documents as the maximum; a smaller
#: GIAMSAT_API_MAX_PAGE_SIZE is enforced on top of it at run time.
DOCUMENTED_MAX_PAGE_SIZE = Settings.api_max_page_size


#: The body of a file in the OpenAPI text.
BINARY = {"type": "string", "format": "binary"}

#: `(session, token) -> (principal, read_only) or None`, installed by the app (the accounts
#: domain's), and `(session, user_id) -> user` for the views that need the owner itself.
_token_loader: Callable[[Session, str], tuple[Principal, bool] | None] | None = None
_user_loader: Callable[[Session, int], Any] | None = None
#: What a read-only token may do.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def install_token_loader(
    loader: Callable[[Session, str], tuple[Principal, bool] | None],
    user_loader: Callable[[Session, int], Any],
) -> None:
    global _token_loader, _user_loader
    _token_loader, _user_loader = loader, user_loader


class TenantBlueprint(Blueprint):
    """A resource group inside one tenant, mounted under `/api/v1/t/<tenant>/`.

    Requests carry a personal API token (`Authorization: Bearer gs_…`); the principal is
    loaded before the view runs. Every list is paginated with a maximum page size.
    """

    DEFAULT_PAGINATION_PARAMETERS = {
        "page": 1,
        "page_size": 20,
        "max_page_size": DOCUMENTED_MAX_PAGE_SIZE,
    }

    def __init__(self, name: str, import_name: str, url_prefix: str, **kwargs):
        super().__init__(name, import_name, url_prefix=TENANT_PREFIX + url_prefix, **kwargs)
        self.before_request(_authenticate)

    def binary_response(self, status: int, *content_types: str, description: str = "Tệp"):
        """Documents a file the view returns itself (a Response), in each content type it
        can really have: a client (or Schemathesis) may hold the server to them."""
        content = {content_type: {"schema": BINARY} for content_type in content_types}
        return self.doc(responses={status: {"description": description, "content": content}})

    def arguments(self, schema, **kwargs):
        """flask-smorest's arguments, every integer field bounded to the id columns' range."""
        return super().arguments(bound_integers(schema), **kwargs)

    def response(self, status_code, schema=None, **kwargs):
        """flask-smorest's response; items already `Dumped` in the schema's shape (a plain read
        path) go out as they are, the schema still documents them."""
        documented = super().response(status_code, schema, **kwargs)

        def decorator(func):
            @wraps(func)  # keeps the _apidoc of the decorators below
            def as_dumped(*args, **kw):
                result, status, headers = unpack_tuple_response(func(*args, **kw))
                if isinstance(result, Dumped):
                    result = current_app.json.response(list(result))
                return result, status, headers

            return documented(as_dumped)

        return decorator

    def paginate(self, pager=None, **kwargs):
        """flask-smorest's pagination, plus the configured maximum page size."""
        paginate = super().paginate(pager, **kwargs)

        def decorator(func):
            paginated = paginate(func)

            @wraps(paginated)  # keeps the _apidoc flask-smorest attached
            def wrapper(*args, **kw):
                _check_page_size()
                return paginated(*args, **kw)

            return wrapper

        return decorator

    @staticmethod
    def _make_pagination_metadata(page, page_size, item_count):
        """flask-smorest's metadata (documented by its PaginationMetadataSchema), built as the
        plain dict that schema's dump gives for these integers: no schema made per request."""
        meta = {"total": item_count, "total_pages": 0}
        if item_count:
            last = (item_count - 1) // page_size + 1
            meta |= {"total_pages": last, "first_page": 1, "last_page": last}
            if page <= last:
                meta["page"] = page
                if page > 1:
                    meta["previous_page"] = page - 1
                if page < last:
                    meta["next_page"] = page + 1
        return meta

    def _set_pagination_metadata(self, page_params, result, headers):
        """flask-smorest's metadata plus `total_is_exact`; a capped total still offers the
        next page while pages come back full."""
        headers = {} if headers is None else headers
        meta = self._make_pagination_metadata(
            page_params.page, page_params.page_size, page_params.item_count
        )
        exact = g.pop("total_is_exact", True)
        meta["total_is_exact"] = exact
        next_cursor = g.pop("next_cursor", None)
        if next_cursor is not None:
            meta["next_cursor"] = next_cursor
        if not exact and len(result) >= page_params.page_size:
            meta["next_page"] = page_params.page + 1
        headers[self.PAGINATION_HEADER_NAME] = json.dumps(meta)
        return result, headers


def bound_integers(schema: type[ma.Schema] | ma.Schema) -> ma.Schema:
    """The schema (an instance) with a Range on each loaded Integer field that has none: an id
    or count beyond PostgreSQL's `integer` is a 422 on its field, documented in the OpenAPI."""
    instance = schema() if isinstance(schema, type) else schema
    for field in instance.fields.values():
        _bound(field)
    return instance


def _bound(field: ma.fields.Field) -> None:
    if isinstance(field, ma.fields.Integer) and not field.dump_only:
        if not any(
            isinstance(v, ma.validate.Range) and v.max is not None for v in field.validators
        ):
            field.validators.append(ma.validate.Range(min=INT4_MIN, max=INT4_MAX))
    elif isinstance(field, ma.fields.List):
        _bound(field.inner)
    elif isinstance(field, ma.fields.Nested) and isinstance(field.schema, ma.Schema):
        for inner in field.schema.fields.values():
            _bound(inner)


def _check_page_size() -> None:
    limit = max_page_size()
    raw = request.args.get("page_size", "")
    if raw.isdigit() and int(raw) > limit:
        abort(
            422,
            message="Số mục mỗi trang vượt quá giới hạn.",
            errors={"query": {"page_size": [f"Tối đa {limit} mục mỗi trang."]}},
        )


def authenticate() -> None:
    """The token check every API request passes (a before_request hook of TenantBlueprint);
    an upload endpoint may call it earlier, from a URL value preprocessor. Once per request."""
    _authenticate()


def _authenticate():
    if "api_read_only" in g:  # already checked early (`authenticate`)
        return
    scope = g.get("tenant")
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    found = None
    if scope is not None and scheme.lower() == "bearer":
        # The lookup runs in this tenant's schema: another tenant's token simply doesn't exist.
        assert _token_loader is not None, "create_app installs the token loader"
        found = _token_loader(scope.session, token.strip())
    if found is None:
        abort(
            401,
            message="Thiếu, sai hoặc đã hết hạn mã truy cập (Authorization: Bearer …).",
            headers={"WWW-Authenticate": 'Bearer realm="giamsat"'},
        )
    principal, read_only = found
    if read_only and request.method not in SAFE_METHODS:
        abort(403, message="Mã truy cập này chỉ được đọc, không được thay đổi dữ liệu.")
    g.principal, g.api_read_only = principal, read_only
    # Audit entries and events of this request name the token's owner; left at teardown.
    g.acting_token = acting.enter(g.principal)


def current_principal() -> Principal:
    return g.principal


def current_user() -> Any:
    """The token's owner, loaded in this request's tenant session when first asked for (the
    token check reads only what the principal needs)."""
    if "api_user" not in g:
        assert _user_loader is not None, "create_app installs the token loader"
        g.api_user = _user_loader(tenant_session(), g.principal.user_id)
    return g.api_user


def tenant_session() -> Session:
    return g.tenant.session


def max_page_size() -> int:
    return min(current_app.config["GIAMSAT"].api_max_page_size, DOCUMENTED_MAX_PAGE_SIZE)


class SelectPage(Page):
    """Pages through a SQLAlchemy select in the database: one COUNT up to COUNT_CAP rows,
    one LIMIT/OFFSET. Past the cap `X-Pagination` says `"total_is_exact": false`."""

    collection: Select

    @property
    def items(self):
        params = self.page_params
        stmt = self.collection.limit(params.page_size).offset(params.first_item)
        rows = window(params.first_item + params.page_size)
        return list(tenant_session().scalars(stmt, rows))

    @property
    def item_count(self):
        total, exact = capped_count(tenant_session(), self.collection)
        g.total_is_exact = exact
        return total


class CursorPage(SelectPage):
    """A SelectPage that also hands out `next_cursor` (X-Pagination) for keyset paging:
    `cursor_of(row)` is the row's opaque sort key; the list's `after=` takes it back."""

    cursor_of: Callable[[Any], str]

    @property
    def items(self):
        rows = super().items
        if rows and len(rows) >= self.page_params.page_size:
            g.next_cursor = type(self).cursor_of(rows[-1])
        return rows


class Dumped(list):
    """A page's items already as their response schema dumps them (see `ReadPage`)."""


class PlainRead(Protocol):
    """A list read as plain rows: what `ReadPage` pages through."""

    def rows(self, session: Session, limit: int, offset: int) -> list: ...

    def total(self, session: Session, cap: int) -> tuple[int, bool]: ...

    def cursor_key(self, row: Any) -> tuple: ...

    def dump(self, session: Session, rows: list) -> list[dict[str, Any]]: ...


class ReadPage(Page):
    """SelectPage's paging (capped count, LIMIT/OFFSET, `next_cursor`) over a `PlainRead`: its
    rows are dumped by the read itself, not by marshmallow (`Dumped`)."""

    collection: PlainRead

    @property
    def items(self):
        params, session = self.page_params, tenant_session()
        rows = self.collection.rows(session, params.page_size, params.first_item)
        if rows and len(rows) >= params.page_size:
            g.next_cursor = encode_cursor(*self.collection.cursor_key(rows[-1]))
        return Dumped(self.collection.dump(session, rows))

    @property
    def item_count(self):
        total, exact = self.collection.total(tenant_session(), counts.COUNT_CAP)
        g.total_is_exact = exact
        return total


def keyset_page(sort_key: Callable[[Any], tuple], shown: Callable[[Any], Any] | None = None):
    """A CursorPage for a list sorted by `sort_key(row)` (the values of its ORDER BY, the
    list's `after=` compares against them); `shown` prepares each row for its schema."""

    class _KeysetPage(CursorPage):
        @staticmethod
        def cursor_of(row):
            return encode_cursor(*sort_key(row))

        @property
        def items(self):
            rows = super().items
            return [shown(row) for row in rows] if shown else rows

    return _KeysetPage
