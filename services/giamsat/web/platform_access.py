"""Who is signed in at the platform door (/platform/login), and the guard of every platform
page and API resource. Platform accounts live in `shared`; a tenant's session or API token is
never one, and anyone without the needed platform role gets 404: the pages do not even tell
that they exist."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps

from flask import abort, current_app, g, session

from giamsat.core.db import Database
from giamsat.jobs.runtime import current_runtime
from giamsat.tenancy.operators import PlatformOperator, get_operator

ACCOUNT_KEY = "platform_operator_id"
ACCOUNT_SEEN_KEY = "platform_operator_seen"


def platform_database() -> Database:
    return current_runtime().database


def signed_in_account(shared) -> PlatformOperator | None:
    """The platform account of this browser session, or None (idle too long: signed out)."""
    seen = session.get(ACCOUNT_SEEN_KEY, 0)
    idle = current_app.config["GIAMSAT"].session_idle_minutes * 60
    if ACCOUNT_KEY not in session or time.time() - seen >= idle:
        session.pop(ACCOUNT_KEY, None)
        return None
    session[ACCOUNT_SEEN_KEY] = int(time.time())
    return get_operator(shared, session[ACCOUNT_KEY])


def sign_in(account: PlatformOperator) -> None:
    session.clear()  # no tenant session rides along with a platform account's
    session[ACCOUNT_KEY] = account.id
    session[ACCOUNT_SEEN_KEY] = int(time.time())


def platform_required(allowed: Callable[[PlatformOperator], bool]):
    """Only a signed-in platform account that `allowed` accepts; the view gets the shared
    session first and commits nothing itself (this guard commits once, at the end)."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            with platform_database().session() as shared:
                account = signed_in_account(shared)
                if account is None or not allowed(account):
                    abort(404)
                g.operator = account
                result = view(shared, *args, **kwargs)
                shared.commit()
                return result

        return wrapper

    return decorator


def platform_gate(allowed: Callable[[PlatformOperator], bool]):
    """The same check, before anything else of the view runs (an API resource's argument
    parsing included, so a stranger learns nothing from a 422), holding no session after."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            with platform_database().session() as shared:
                account = signed_in_account(shared)
                if account is None or not allowed(account):
                    abort(404)
            return view(*args, **kwargs)

        return wrapper

    return decorator


#: The tenant registry, suspend and resume: operators only.
operator_required = platform_required(lambda account: account.is_operator)
#: The national view: the central committee, and operators read-only.
national_reader_required = platform_required(lambda account: account.reads_national_view)
