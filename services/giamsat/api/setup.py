"""Builds the flask-smorest Api: OpenAPI JSON, a self-hosted docs page, central error mapping."""
from __future__ import annotations

from http import HTTPStatus
from pathlib import Path

from flask import Flask, send_from_directory
from flask_smorest import Api

from giamsat.api.base import API_PREFIX
from giamsat.core.errors import DomainError

DOCS_STATIC = API_PREFIX + "/docs/static"


def _swagger_ui_dir() -> Path:
    import swagger_ui_bundle

    return Path(swagger_ui_bundle.swagger_ui_path)


def create_api(app: Flask) -> Api:
    app.config.update(
        API_TITLE="giamsat",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX=API_PREFIX,
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        # Served by the app itself from the swagger-ui-bundle wheel: no CDN.
        OPENAPI_SWAGGER_UI_URL=DOCS_STATIC + "/",
        API_SPEC_OPTIONS={
            "info": {"description": "API của giamsat. Xác thực bằng mã truy cập cá nhân: "
                                    "`Authorization: Bearer gs_…`."},
            "components": {"securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"}}},
            "security": [{"bearer": []}],
        },
    )
    api = Api(app)

    @app.route(DOCS_STATIC + "/<path:filename>")
    def swagger_ui_static(filename):
        return send_from_directory(_swagger_ui_dir(), filename)

    return api


def domain_error_body(error: DomainError) -> dict:
    """flask-smorest's error shape: {code, status, message, errors: {json: {field: [...]}}}."""
    body = {"code": error.status, "status": HTTPStatus(error.status).phrase,
            "message": error.message}
    if error.errors:
        body["errors"] = {"json": error.errors}
    return body
