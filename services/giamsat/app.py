"""The application factory."""

from __future__ import annotations

import re
import uuid

from flask import Flask, g, request
from flask.typing import ResponseReturnValue

from giamsat import domains
from giamsat.core import passwords
from giamsat.core.acting import leave as leave_acting
from giamsat.core.acting import reset_request_id, set_request_id
from giamsat.core.config import Settings
from giamsat.core.db import Database, make_engine
from giamsat.core.errors import DomainError, Unavailable
from giamsat.core.storage import StorageError
from giamsat.core.uploads.form_parser import LargeBlockFormParser
from giamsat.http.inputs import InputRequest
from giamsat.http.socket_body import adopt_socket_body

REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class GiamsatFlask(Flask):
    def dispatch_request(self) -> ResponseReturnValue:
        """The view, then a flush of the tenant session: a row the database (or a save-time
        check) refuses fails here, where the error handlers answer 422, not at the commit."""
        response = self.make_response(super().dispatch_request())
        scope = g.get("tenant")
        if scope is not None and response.status_code < 400:  # the others are rolled back
            scope.session.flush()
        return response


class UploadRequest(InputRequest):
    """Each uploaded part is spooled by the form parser straight into the upload pipeline's
    own file (hashed and counted while written), so an upload is on disk once; query and form
    numbers stay bounded (`InputRequest`). An endpoint that sets `upload_target` before the
    body is parsed has its big files written to storage while they arrive. Under gunicorn a
    big body is read from the socket into the parser's buffer (`SocketBody`)."""

    #: `giamsat.core.uploads.OverlapTarget` of the endpoint, or None.
    upload_target = None
    form_data_parser_class = LargeBlockFormParser

    def __init__(self, environ, *args, **kwargs) -> None:
        adopt_socket_body(environ)
        super().__init__(environ, *args, **kwargs)

    def _get_file_stream(self, total_content_length, content_type, filename=None, *_a, **_k):
        from giamsat.core.uploads import request_file_stream

        spool = request_file_stream(self.upload_target, filename)
        # Closed with the request even when parsing stopped half-way (413, broken body).
        self.__dict__.setdefault("_giamsat_spools", []).append(spool)
        return spool

    def close(self) -> None:
        super().close()
        for spool in self.__dict__.get("_giamsat_spools", ()):
            spool.close()


def create_app(
    overrides: dict | None = None,
    *,
    settings: Settings | None = None,
    database: Database | None = None,
) -> Flask:
    """Build the app: settings, extensions in a fixed order, domains, then validate.

    Nothing touches the database here and no migration ever runs at start.
    """
    settings = settings or Settings.from_env(**(overrides or {}))
    settings.validate()
    domains.load_models()
    passwords.prepare_dummy_hash()

    app = GiamsatFlask(__name__, static_folder="web/static", static_url_path="/static")
    app.config.update(
        GIAMSAT=settings,
        SECRET_KEY=settings.effective_secret_key(),
        SESSION_COOKIE_NAME="giamsat_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        WTF_CSRF_TIME_LIMIT=None,  # the CSRF token lives as long as the session
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,
    )
    from giamsat.http import errors as input_errors
    from giamsat.http import headers, inputs

    # First: the bounded id converter precedes every route, the input check every other hook,
    # and the headers hook (run last) sees every response.
    inputs.init_app(app)
    app.request_class = UploadRequest  # after inputs: one request class doing both
    headers.init_app(app)
    input_errors.init_app(app)
    db = database or Database(make_engine(settings.database_url, settings.db_pool_size))

    from giamsat.core.logging import add_context_provider, request_fields
    from giamsat.jobs.runtime import APP_EXTENSION, JobRuntime, install_runtime

    add_context_provider(request_fields)  # request id and tenant slug on web log lines
    # Jobs recorded in a request's transaction are enqueued right after its commit.
    runtime = JobRuntime.from_settings(settings, db)
    app.extensions[APP_EXTENSION] = runtime
    install_runtime(runtime)

    @app.before_request
    def _request_id():
        given = request.headers.get("X-Request-ID", "")
        # Logged and audited as given: only a plain token is taken, anything else is replaced.
        g.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        # Audit entries and events read it from here: no request id is passed by hand.
        g.request_id_token = set_request_id(g.request_id)

    from giamsat.jobs.relay import collect_relays, relay_now, stop_collecting

    @app.before_request
    def _collect_relays():
        g.relays, g.relays_token = collect_relays()

    @app.after_request
    def _relay_after_response(response):
        # Read when the response is closed (sent), so the rows of the commit point (another
        # after_request hook, whatever the order) are in the list by then.
        rows = g.get("relays")
        if rows is not None:
            g.relays_handed = True

            def relay_collected() -> None:
                if rows:
                    relay_now(list(rows))

            response.call_on_close(relay_collected)
        return response

    @app.teardown_request
    def _forget_request_id(_error):
        token = g.pop("relays_token", None)
        if token is not None:
            stop_collecting(token)
            if not g.pop("relays_handed", False) and g.get("relays"):
                relay_now(list(g.relays))  # no response to wait for: enqueue them now
        actor_token = g.pop("acting_token", None)
        if actor_token is not None:
            leave_acting(actor_token)
        token = g.pop("request_id_token", None)
        if token is not None:
            reset_request_id(token)

    from giamsat.accounts.queries import get_user
    from giamsat.accounts.token_check import principal_for_token
    from giamsat.http.api import install_token_loader
    from giamsat.http.session import install_user_loader

    # The low page/API layer knows no domain: it loads users through these.
    install_user_loader(get_user)
    install_token_loader(principal_for_token, get_user)

    from giamsat.tenancy import resolver

    resolver.init_app(app, db)

    from giamsat import health

    health.init_app(app)

    from giamsat.web import setup as web_setup

    web_setup.init_app(app)

    from giamsat.web import outage

    outage.init_app(app)  # PostgreSQL away: 503 + Retry-After, a posted form handed back

    from giamsat.api.setup import create_api, domain_error_body

    api = create_api(app)
    for blp in domains.api_blueprints():
        api.register_blueprint(blp)
    from giamsat.web.national_api import blp as national_api

    api.register_blueprint(national_api)  # platform level: no tenant in its path
    for bp in domains.page_blueprints():
        app.register_blueprint(bp)

    @app.errorhandler(StorageError)
    def _storage_error(error: StorageError):
        # Object storage down or refusing: say so plainly, the request changed nothing.
        if request.path.startswith("/api/"):
            return {"code": 503, "status": "Service Unavailable", "message": error.message}, 503
        return web_setup.render_domain_error(Unavailable(error.message))

    @app.errorhandler(DomainError)
    def _domain_error(error: DomainError):
        # Domain errors map to responses in this one place: JSON for the API, a page otherwise.
        if request.path.startswith("/api/"):
            return domain_error_body(error), error.status
        return web_setup.render_domain_error(error)

    return app
