"""What the scan upload endpoints (API and pages) set before the body is parsed: the batch's
request cap, and the tenant's storage, so a big scan is written there while it still arrives
(`giamsat.core.uploads.overlap`; completed only after every check, aborted otherwise)."""

from __future__ import annotations

from flask import request

from giamsat.core import uploads
from giamsat.http.api import authenticate
from giamsat.http.session import current_user
from giamsat.letters.scans import KEY_PREFIX
from giamsat.tenancy.resolver import enter_request_tenant

#: A whole batch of scans in one request (each file is still limited by scans.MAX_FILE_BYTES).
MAX_REQUEST_BYTES = 256 * 1024 * 1024


def prepare_scan_upload(*, api: bool) -> None:
    """Call from a URL value preprocessor (they run before the input check parses the body).

    Only a signed-in request (a valid API token, checked here early, or a page session) gets
    its files written while they arrive: nobody else makes the server talk to the bucket."""
    request.max_content_length = MAX_REQUEST_BYTES
    if request.method != "POST" or request.mimetype != "multipart/form-data":
        return
    from giamsat.cases.attachments import tenant_storage

    enter_request_tenant()
    if api:
        authenticate()  # 401 now rather than after the body was read
    elif current_user() is None:
        return
    uploads.overlap_request_body(request, uploads.OverlapTarget(tenant_storage(), KEY_PREFIX))
