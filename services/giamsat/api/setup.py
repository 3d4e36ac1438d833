"""Builds the flask-smorest Api: OpenAPI JSON, a self-hosted docs page, central error mapping."""

from __future__ import annotations

from functools import wraps
from http import HTTPStatus
from pathlib import Path

from flask import Flask, render_template_string, request, send_from_directory, url_for
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from giamsat.core.errors import DomainError
from giamsat.http.api import API_PREFIX, TenantBlueprint
from giamsat.http.counts import COUNT_CAP, thousands

DOCS_STATIC = API_PREFIX + "/docs/static"
#: Swagger UI's settings (the page hands them to `web/static/api-docs.js` as JSON data).
SWAGGER_UI_CONFIG = {"validatorUrl": None}  # it would ask validator.swagger.io otherwise

#: The docs page: Swagger UI from the swagger-ui-bundle wheel (no CDN), no inline script.
DOCS_PAGE = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<link href="{{ assets }}swagger-ui.css" rel="stylesheet" type="text/css">
<link href="{{ phone_css }}" rel="stylesheet" type="text/css">
</head>
<body>
<div id="swagger-ui-container"></div>
<script type="application/json" id="swagger-config">{{ config | tojson }}</script>
<script src="{{ assets }}swagger-ui-bundle.js"></script>
<script src="{{ starter }}"></script>
</body>
</html>
"""

#: The message of an error raised without one (routing 404/405, the resolver's 404, ETag 428…).
DEFAULT_MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    401: "Thiếu hoặc sai mã truy cập.",
    403: "Bạn không có quyền làm việc này.",
    404: "Không tìm thấy.",
    405: "Địa chỉ này không nhận phương thức HTTP đó.",
    409: "Xung đột với dữ liệu hiện có.",
    412: "Dữ liệu đã đổi từ lúc bạn đọc (If-Match không khớp ETag): hãy đọc lại rồi thử lại.",
    413: "Dữ liệu gửi lên quá lớn.",
    415: "Kiểu dữ liệu gửi lên không được hỗ trợ; hãy gửi JSON.",
    422: "Dữ liệu gửi lên không hợp lệ.",
    428: "Thiếu tiêu đề If-Match: hãy đọc đối tượng trước để lấy ETag.",
    500: "Lỗi hệ thống; hãy thử lại sau.",
}

TENANT_PARAMETER = {
    "in": "path",
    "name": "tenant",
    "required": True,
    "schema": {"type": "string"},
    "description": "Mã tỉnh trong địa chỉ, ví dụ `ninh-binh`.",
}


def is_api_request() -> bool:
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


_CAP = thousands(COUNT_CAP)

#: `X-Pagination` as it is sent: one header whose text is a JSON object (flask-smorest
#: documents it as an object, which no header value can be).
PAGINATION_HEADER = {
    "description": "Phân trang, dạng văn bản JSON với các khoá `total`, `total_pages`, "
    "`first_page`, `last_page`, `page`, `total_is_exact`, và `previous_page`/`next_page` "
    f"khi có. Tổng chỉ đếm tới {_CAP} mục (đếm hết thì chậm theo cỡ tỉnh): quá số đó `total` "
    f"là {_CAP} và `total_is_exact` là `false` (nghĩa là «hơn {_CAP}», một cận dưới, không "
    "phải ước lượng); `next_page` có mặt khi trang đầy. Danh sách có "
    "tham số `after` còn trả `next_cursor` khi trang đầy: gửi lại nó trong `after` (giữ "
    "`page=1`) để lấy trang sau nhanh như trang đầu, dù sâu đến đâu.",
    "schema": {
        "type": "string",
        "example": '{"total": 42, "total_pages": 3, "first_page": 1, "last_page": 3, '
        '"page": 1, "next_page": 2, "total_is_exact": true}',
    },
}


class GiamsatApi(Api):
    """flask-smorest's Api with one JSON error shape for every API path, pages left alone."""

    def _register_pagination_header(self):
        self.spec.components.header("PAGINATION", PAGINATION_HEADER, lazy=True)

    def handle_http_exception(self, error: HTTPException):
        if not is_api_request():
            return error  # pages: the web shell's handlers or Flask's default page
        payload, status, headers = super().handle_http_exception(error)
        payload.setdefault("message", DEFAULT_MESSAGES.get(status, HTTPStatus(status).phrase))
        # Keep werkzeug's own headers (Allow on 405, WWW-Authenticate…), not its HTML type.
        extra = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        return payload, status, extra | dict(headers or {})

    def register_blueprint(self, blp, *, parameters=None, **options):
        if isinstance(blp, TenantBlueprint) and parameters is None:
            parameters = [TENANT_PARAMETER]  # documents the `<tenant>` of the URL prefix
        super().register_blueprint(blp, parameters=parameters, **options)


def _api_first(handler, api: GiamsatApi):
    @wraps(handler)
    def wrapper(error):
        if is_api_request() and isinstance(error, HTTPException):
            return api.handle_http_exception(error)
        return handler(error)

    return wrapper


def _keep_api_errors_json(app: Flask, api: GiamsatApi) -> None:
    """Flask prefers a handler registered for a status code (the web shell's 404 page) over the
    generic HTTPException one; wrap those so API paths still answer in the JSON shape."""
    for code, handlers in app.error_handler_spec[None].items():
        if code is not None:
            for cls, handler in list(handlers.items()):
                handlers[cls] = _api_first(handler, api)


def _swagger_ui_dir() -> Path:
    import swagger_ui_bundle

    return Path(swagger_ui_bundle.swagger_ui_path)


def create_api(app: Flask) -> GiamsatApi:
    """Call after the web shell registered its error pages (see `_keep_api_errors_json`)."""
    app.config.update(
        API_TITLE="giamsat",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX=API_PREFIX,
        OPENAPI_JSON_PATH="openapi.json",
        # The docs page is ours (`DOCS_PAGE`): flask-smorest's has an inline script.
        OPENAPI_SWAGGER_UI_PATH=None,
        API_SPEC_OPTIONS={
            "info": {
                "description": "API của giamsat. Xác thực bằng mã truy cập cá nhân: "
                "`Authorization: Bearer gs_…` (tạo ở trang “Mã truy cập "
                "API” hoặc `POST /me/tokens`). Mọi danh sách đều phân trang "
                "(`page`, `page_size`, tiêu đề `X-Pagination`). Sửa, xoá "
                "cần tiêu đề `If-Match` với ETag vừa đọc."
            },
            "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
            "security": [{"bearer": []}],
        },
    )
    api = GiamsatApi(app)
    _keep_api_errors_json(app, api)

    @app.route(DOCS_STATIC + "/<path:filename>")
    def swagger_ui_static(filename):
        return send_from_directory(_swagger_ui_dir(), filename)

    @app.route(API_PREFIX + "/docs")
    def api_docs():
        config = SWAGGER_UI_CONFIG | {"url": url_for("api-docs.openapi_json")}
        return render_template_string(
            DOCS_PAGE,
            title=app.config["API_TITLE"],
            assets=DOCS_STATIC + "/",
            config=config,
            starter=url_for("static", filename="api-docs.js"),
            phone_css=url_for("static", filename="css/api-docs.css"),
        )

    return api


def domain_error_body(error: DomainError) -> dict:
    """flask-smorest's error shape: {code, status, message, errors: {json: {field: [...]}}}."""
    body = {
        "code": error.status,
        "status": HTTPStatus(error.status).phrase,
        "message": error.message,
    }
    if error.errors:
        body["errors"] = {"json": error.errors}
    return body
