"""Big scans are written to storage while they arrive (an S3 multipart upload fed from the
growing spool) and completed only after every check: a clean PDF is stored byte for byte under
the letter's key; a refused file, a rewritten one, or the rest of a refused batch leave no
object and no incomplete multipart upload; the pending-upload journal still names the key;
a killed worker's unfinished upload is aborted by the cleanup job."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import time

import pytest
from sqlalchemy import select

from giamsat.cases.models import Case
from giamsat.core import uploads
from giamsat.core.storage import S3Config
from giamsat.core.storage.minio import MinioStorage, _client
from giamsat.core.uploads import overlap
from giamsat.letters import operations
from giamsat.letters.models import Letter, LetterFile, LetterPage, PendingUpload
from giamsat.letters.scans import IncomingFile
from giamsat.tenancy.names import bucket_for
from tests.plugins import hostile
from tests.plugins.api import ApiCaller
from tests.plugins.letters import close_body, incoming, upload_batch

MODELS = (Case, Letter, LetterFile, LetterPage, PendingUpload)
ENDPOINTS = ("api upload", "api rescan", "page upload", "page rescan")
#: S3's smallest part: a 12 MB scan goes up as two parts while it arrives, then a tail.
PART = 5 * 1024 * 1024
BIG_MB = 12


@pytest.fixture(autouse=True)
def small_parts(monkeypatch):
    monkeypatch.setattr(overlap, "PART_SIZE", PART)


@pytest.fixture()
def spy(monkeypatch):
    """Counts multipart uploads begun and how each overlapped upload ended."""
    seen = {"begun": 0, "finished": []}
    begin, finish = MinioStorage.begin_multipart, overlap.OverlappedUpload.finish

    def counting_begin(self, key, content_type):
        seen["begun"] += 1
        return begin(self, key, content_type)

    def recording_finish(self, storage, key, size, content_type):
        done = finish(self, storage, key, size, content_type)
        seen["finished"].append((key, done))
        return done

    monkeypatch.setattr(MinioStorage, "begin_multipart", counting_begin)
    monkeypatch.setattr(overlap.OverlappedUpload, "finish", recording_finish)
    return seen


@pytest.fixture()
def incomplete(settings):
    """Keys of the multipart uploads still open in a tenant's bucket."""
    client = _client(S3Config.from_settings(settings))
    return lambda slug="alpha": {
        u.object_name for u in client._list_multipart_uploads(bucket_for(slug)).uploads
    }


@pytest.fixture()
def state(tenant_session, settings, incomplete):
    def now():
        rows = hostile.row_counts(tenant_session("alpha"), *MODELS)
        return rows, hostile.bucket_objects(settings, "alpha"), incomplete()

    return now


@pytest.fixture()
def post(client, api_token, pages, make_opening, in_tenant, principal_of, storage_of, journal_of):
    """`post(endpoint, [(data, name), …])` → response; one opening and one letter exist."""
    opening = make_opening()
    with in_tenant("alpha") as scope:
        [letter] = operations.upload_letters(
            scope.session,
            principal_of("alpha", "x-staff"),
            opening.id,
            [[incoming(hostile.clean_pdf(), "truoc.pdf")]],
            storage=storage_of("alpha"),
            journal=journal_of("alpha"),
        )
        scope.session.commit()
        letter_id = letter.id
    api = ApiCaller(client, "alpha", api_token("alpha", "x-staff"))
    pages.login("alpha", "x-staff")

    def send(endpoint: str, files: list[tuple[bytes, str]]):
        if endpoint == "page upload":
            return upload_batch(pages, opening.id, [[f] for f in files])
        data = {"files": [(io.BytesIO(body), name) for body, name in files]}
        if endpoint == "api upload":
            path = f"suggestion-boxes/openings/{opening.id}/letters"
            response = api.post(path, data=data, content_type="multipart/form-data")
        elif endpoint == "api rescan":
            path = f"letters/{letter_id}/rescan"
            response = api.post(path, data=data, content_type="multipart/form-data")
        else:
            response = pages.post(
                f"/t/alpha/letters/{letter_id}/rescan", data, content_type="multipart/form-data"
            )
        close_body(response)
        return response

    return send


def _new_files(tenant_session, known: set[int]) -> list[LetterFile]:
    session = tenant_session("alpha")
    session.expire_all()
    return [f for f in session.scalars(select(LetterFile)) if f.id not in known]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_big_clean_scan_is_written_while_it_arrives_and_stored_byte_for_byte(
    post, endpoint, spy, tenant_session, settings, incomplete
):
    known = set(tenant_session("alpha").scalars(select(LetterFile.id)))
    open_before = incomplete()
    original = hostile.big_pdf(BIG_MB)
    response = post(endpoint, [(original, "ban-quet.pdf")])
    assert response.status_code in (201, 302), response.status_code
    [stored] = _new_files(tenant_session, known)
    # The overlapped upload itself was completed, under the key the letter's row names.
    assert spy["begun"] == 1 and spy["finished"] == [(stored.object_key, True)]
    assert hostile.read_object(settings, "alpha", stored.object_key) == original
    assert stored.size == len(original) and stored.content_type == "application/pdf"
    assert incomplete() == open_before


HOSTILE_BIG = [
    ("thu-js.pdf", lambda: hostile.big_pdf(BIG_MB, javascript=True), "JavaScript"),
    ("hoa-don.pdf", lambda: hostile.big_zip_named_pdf(BIG_MB), "tệp nén"),
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(("name", "make", "words"), HOSTILE_BIG, ids=[h[0] for h in HOSTILE_BIG])
def test_a_big_refused_file_leaves_no_object_and_no_open_upload(
    post, endpoint, name, make, words, spy, state
):
    before = state()
    response = post(endpoint, [(make(), name)])
    assert response.status_code == 422, response.status_code
    assert spy["begun"] == 1  # its parts were on their way before the checks ran
    assert state() == before


@pytest.mark.parametrize("endpoint", ["api upload", "page rescan"])
def test_a_big_scan_with_an_information_dictionary_is_blanked_and_still_overlapped(
    post, endpoint, spy, tenant_session, settings, incomplete
):
    known = set(tenant_session("alpha").scalars(select(LetterFile.id)))
    open_before = incomplete()
    original = hostile.big_pdf(BIG_MB, info=True)
    response = post(endpoint, [(original, "thu.pdf")])
    assert response.status_code in (201, 302), response.status_code
    [stored] = _new_files(tenant_session, known)
    body = hostile.read_object(settings, "alpha", stored.object_key)
    assert b"Nguyen Van Bao Mat" not in body and len(body) == len(original)
    assert stored.sha256 == hashlib.sha256(body).hexdigest()
    # Blanked in place: the upload begun while it arrived was completed, nothing re-sent whole.
    assert spy["begun"] == 1 and spy["finished"] == [(stored.object_key, True)]
    assert incomplete() == open_before


def test_a_big_scan_that_must_be_rewritten_is_stored_again(
    post, spy, tenant_session, settings, incomplete
):
    known = set(tenant_session("alpha").scalars(select(LetterFile.id)))
    open_before = incomplete()
    response = post("api upload", [(hostile.big_pdf(BIG_MB, info=True, xmp=True), "thu.pdf")])
    assert response.status_code == 201
    [stored] = _new_files(tenant_session, known)
    body = hostile.read_object(settings, "alpha", stored.object_key)
    assert b"Nguyen Van Bao Mat" not in body and body.startswith(b"%PDF-")
    # The bytes sent while arriving were not the ones to store: aborted, stored again.
    assert spy["begun"] == 1 and spy["finished"] == [] and incomplete() == open_before


@pytest.mark.parametrize(
    "order", ["big first", "big after the refused one"], ids=["big-first", "big-last"]
)
def test_a_refused_file_in_a_batch_leaves_nothing_of_the_big_one(post, order, spy, state):
    big = (hostile.big_pdf(BIG_MB), "ban-quet.pdf")
    bad = (hostile.pdf_with_javascript(), "thu-js.pdf")
    before = state()
    files = [big, bad] if order == "big first" else [bad, big]
    response = post("api upload", files)
    assert response.status_code == 422
    assert spy["begun"] == 1
    assert state() == before


def _arrived(target, data: bytes, name: str = "ban-quet.pdf") -> uploads.SpoolFile:
    """A file as the form parser leaves it: written in 64 KiB pieces into a request spool."""
    spool = uploads.request_file_stream(target, name)
    for start in range(0, len(data), 64 * 1024):
        spool.write(data[start : start + 64 * 1024])
    spool.seek(0)
    return spool


def test_the_key_is_journaled_before_the_overlapped_upload_completes(
    make_opening, in_tenant, principal_of, storage_of, journal_of, bucket_keys, monkeypatch
):
    """A crash between completing the object and the commit leaves a pending row naming it
    (committed apart, before completion), so the orphan cleanup finds it; a crash before
    completion leaves no object at all (see the next test)."""
    opening = make_opening()
    storage = storage_of("alpha")
    spool = _arrived(uploads.OverlapTarget(storage, "letters"), hostile.big_pdf(BIG_MB))
    key = uploads.reserved_key(spool)
    assert key is not None and key.startswith("letters/") and key not in bucket_keys("alpha")
    events: list[tuple[str, object]] = []
    journal = journal_of("alpha")
    begin, finish = journal.begin, overlap.OverlappedUpload.finish

    def journaled(keys, **kw):
        pending_id = begin(keys, **kw)
        events.append(("journaled", list(keys)))
        return pending_id

    sessions = []

    def completing(self, *args):
        # The letter's rows are written (flushed) while the last parts go up, before this.
        rows = sessions[0].scalars(select(LetterFile.object_key)).all()
        events.append(("completing", self.key, self.key in rows))
        return finish(self, *args)

    journal.begin = journaled
    monkeypatch.setattr(overlap.OverlappedUpload, "finish", completing)
    with in_tenant("alpha") as scope:
        sessions.append(scope.session)
        [letter] = operations.upload_letters(
            scope.session,
            principal_of("alpha", "x-staff"),
            opening.id,
            [[IncomingFile(spool, "ban-quet.pdf")]],
            storage=storage,
            journal=journal,
        )
        assert [f.object_key for f in letter.files] == [key] and key in bucket_keys("alpha")
        assert events == [("journaled", [key]), ("completing", key, True)]
        scope.session.rollback()  # the handler fails after the operation: the object goes
    assert key not in bucket_keys("alpha")
    spool.close()


@pytest.mark.parametrize("operation", ["upload", "rescan"])
def test_a_failure_after_the_rows_before_completion_leaves_nothing(
    operation, make_opening, in_tenant, principal_of, storage_of, journal_of, state, monkeypatch
):
    """The rows go in before the big scan is completed: a failure between them (here the
    letter's audit entry) aborts the upload, and leaves no row, object or pending row."""
    from giamsat.letters.operations import letters as letter_operations

    opening = make_opening()
    storage, journal = storage_of("alpha"), journal_of("alpha")
    with in_tenant("alpha") as scope:
        [first] = operations.upload_letters(
            scope.session,
            principal_of("alpha", "x-staff"),
            opening.id,
            [[incoming(hostile.clean_pdf(), "truoc.pdf")]],
            storage=storage,
            journal=journal,
        )
        scope.session.commit()
    before = state()
    spool = _arrived(uploads.OverlapTarget(storage, "letters"), hostile.big_pdf(BIG_MB))
    finished = []
    monkeypatch.setattr(overlap.OverlappedUpload, "finish", lambda *a: finished.append(a))

    def failing(*_args):
        raise RuntimeError("audit down")

    monkeypatch.setattr(letter_operations, "_after_letter", failing)
    with in_tenant("alpha") as scope, pytest.raises(RuntimeError):
        files = [IncomingFile(spool, "ban-quet.pdf")]
        principal = principal_of("alpha", "x-staff")
        if operation == "upload":
            operations.upload_letters(
                scope.session, principal, opening.id, [files], storage=storage, journal=journal
            )
        else:
            operations.rescan_letter(
                scope.session, principal, first.id, files, storage=storage, journal=journal
            )
    assert spool.overlap is not None and spool.overlap._thread is not None  # it was on its way
    spool.close()
    assert finished == [] and state() == before


def _kill(upload: overlap.OverlappedUpload) -> None:
    """The worker dies once the parts are sent: nothing finishes or aborts the upload."""
    for _ in range(600):  # a bound, not a timing: the two parts go up in well under a minute
        if upload._write is not None and len(upload._write._parts) == 2:
            break
        time.sleep(0.1)
    with upload._state:
        upload._cancelled = upload._ended = True
        upload._state.notify_all()
    upload._thread.join()


def test_a_killed_workers_unfinished_upload_is_aborted_by_the_cleanup(
    storage_of, incomplete, bucket_keys
):
    storage = storage_of("alpha")
    spool = _arrived(uploads.OverlapTarget(storage, "letters"), hostile.big_pdf(BIG_MB))
    key = uploads.reserved_key(spool)
    assert spool.overlap is not None
    _kill(spool.overlap)
    spool.overlap = None
    spool.close()
    assert key in incomplete() and key not in bucket_keys("alpha")
    assert storage.abort_stale_multipart(dt.timedelta(hours=6)) == 0  # too young yet
    assert storage.abort_stale_multipart(dt.timedelta(0)) >= 1
    assert key not in incomplete() and key not in bucket_keys("alpha")


def test_a_small_file_is_not_overlapped(storage_of, incomplete):
    open_before = incomplete()
    spool = _arrived(uploads.OverlapTarget(storage_of("alpha"), "letters"), b"%PDF-1.4 " * 1000)
    assert spool.overlap is not None and spool.overlap._thread is None
    spool.close()
    assert incomplete() == open_before


def test_nobody_signed_in_makes_the_server_write_to_the_bucket(client, make_opening, spy, state):
    opening = make_opening()
    before = state()
    for headers in ({}, {"Authorization": "Bearer gs_sai"}):
        response = client.post(
            f"/api/v1/t/alpha/suggestion-boxes/openings/{opening.id}/letters",
            data={"files": [(io.BytesIO(hostile.big_pdf(BIG_MB)), "ban-quet.pdf")]},
            headers=headers,
            content_type="multipart/form-data",
        )
        close_body(response)
        assert response.status_code == 401
    response = client.post(
        f"/t/alpha/letters/openings/{opening.id}/upload",
        data={"letter_1": [(io.BytesIO(hostile.big_pdf(BIG_MB)), "ban-quet.pdf")]},
        content_type="multipart/form-data",
    )
    close_body(response)
    assert response.status_code in (302, 400, 401, 403)
    assert spy["begun"] == 0 and state() == before


def test_the_last_part_goes_up_when_the_file_has_arrived_not_after_the_checks(storage_of):
    """Once the body has ended (`spooled`), every part — the short last one too — is sent
    while the checks run; only completing waits for `finish`."""
    storage = storage_of("alpha")
    data = hostile.big_pdf(BIG_MB)
    spool = _arrived(uploads.OverlapTarget(storage, "letters"), data)
    upload = spool.overlap
    assert upload is not None
    too_large = uploads.Refusal("ban-quet.pdf", "quá lớn", field="files")
    with uploads.spool.spooled(spool, limit=len(data), too_large=too_large):
        for _ in range(600):  # a bound, not a timing: three parts go up in well under a minute
            parts = upload._write._parts if upload._write is not None else {}
            if sum(length for _, length in parts.values()) == len(data):
                break
            time.sleep(0.1)
        sent = sorted(upload._write._parts)
        assert sent == [1, 2, 3]  # 5 MB, 5 MB and the last 2 MB, before anyone called finish
        assert upload.finish(storage, upload.key, len(data), uploads.PDF)
    with storage.open(upload.key) as reader:
        assert reader.read() == data
    spool.close()


def test_the_last_part_goes_up_when_the_body_has_ended_before_the_view_runs(post, monkeypatch):
    """The parser says the file has arrived as soon as the body ends: the last part goes up
    while the opening, the case and the checks are read and written."""
    from giamsat.letters.operations import letters as letter_operations

    events: list[str] = []
    arrived, get_opening = overlap.OverlappedUpload.arrived, letter_operations.get_opening

    def recording_arrived(self, size):
        events.append("arrived")
        return arrived(self, size)

    def recording_get_opening(*args):
        events.append("view")
        return get_opening(*args)

    monkeypatch.setattr(overlap.OverlappedUpload, "arrived", recording_arrived)
    monkeypatch.setattr(letter_operations, "get_opening", recording_get_opening)
    assert post("api upload", [(hostile.big_pdf(BIG_MB), "ban-quet.pdf")]).status_code == 201
    assert events[:2] == ["arrived", "view"]


def test_the_body_is_parsed_in_large_blocks_with_the_form_limits_unchanged(
    post, monkeypatch, client, api_token, make_opening
):
    """Werkzeug reads 64 KiB per round (190 rounds for 12 MB); the upload parser reads about
    250 KiB (half the form memory limit), and a text field over that limit is still refused."""
    writes: list[int] = []
    write = uploads.SpoolFile.write

    def counting(self, data):
        writes.append(len(data))
        return write(self, data)

    monkeypatch.setattr(uploads.SpoolFile, "write", counting)
    original = hostile.big_pdf(BIG_MB)
    assert post("api upload", [(original, "ban-quet.pdf")]).status_code == 201
    assert sum(writes) == len(original) and len(writes) <= len(original) // (200 * 1024)
    api = ApiCaller(client, "alpha", api_token("alpha", "x-staff"))
    response = api.post(
        f"suggestion-boxes/openings/{make_opening().id}/letters",
        data={"note": "x" * 600_000, "files": [(io.BytesIO(original), "ban-quet.pdf")]},
        content_type="multipart/form-data",
    )
    close_body(response)
    assert response.status_code == 413
