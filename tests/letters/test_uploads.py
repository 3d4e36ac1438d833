"""Scanned letters: batch upload → cases, metadata stripping, bad files, outage, orphans,
isolation."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from giamsat.cases.models import Case, CaseStatus, Channel
from giamsat.core.errors import NotFound, Unavailable, ValidationFailed
from giamsat.core.storage import StorageError
from giamsat.jobs.models import OutboxEntry
from giamsat.letters import operations, queries
from giamsat.letters.models import Letter, LetterFile, LetterPage, PendingUpload
from giamsat.letters.scans import MAX_FILE_BYTES
from giamsat.letters.uploads import clean_orphans
from tests.plugins.letters import as_bytes, incoming, letter_page


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


@pytest.fixture()
def upload(in_tenant, principal_of, storage_of, journal_of):
    def run(opening, letters, slug="alpha", who="x-staff", storage=None):
        with in_tenant(slug) as scope:
            session = scope.session
            try:
                created = operations.upload_letters(
                    session,
                    principal_of(slug, who),
                    opening.id,
                    letters,
                    storage=storage or storage_of(slug),
                    journal=journal_of(slug),
                )
                session.commit()
            except BaseException:
                session.rollback()
                raise
            return [c.id for c in created]

    return run


def test_a_batch_becomes_received_cases_with_files_pages_and_queued_ocr(
    make_opening, upload, tenant_session, world, letter_jpeg, two_page_pdf, bucket_keys, storage_of
):
    opening = make_opening()
    progress = []
    ids = upload(
        opening,
        [
            [incoming(letter_jpeg, "thu 1.jpg")],
            [incoming(two_page_pdf, "thư-2.pdf"), incoming(letter_jpeg, "b.jpg")],
        ],
    )
    assert len(ids) == 2
    with tenant_session("alpha") as session:
        letters = [session.get(Letter, i) for i in ids]
        for letter in letters:
            case = session.get(Case, letter.case_id)
            assert (case.status, case.channel) == (CaseStatus.received, Channel.suggestion_box)
            assert case.unit_id == world.alpha.commune_x and case.area_id == world.alpha.area_x
            assert letter.unit_id == world.alpha.commune_x and letter.box_id == opening.box_id
            assert letter.ocr_status.value == "queued"
        files = letters[1].files
        assert [(f.content_type, f.page_count, f.original_name) for f in files] == [
            ("application/pdf", 2, "thư-2.pdf"),
            ("image/jpeg", 1, "b.jpg"),
        ]
        # Pillow writes an information dictionary (dates): it is blanked in place, same size.
        assert files[0].size == len(two_page_pdf) and b"/CreationDate" in two_page_pdf
        with storage_of("alpha").open(files[0].object_key) as reader:
            assert b"/CreationDate" not in reader.read()
        assert _count(session, LetterPage) == 4
        assert _count(session, PendingUpload) == 0
        jobs = session.scalars(
            select(OutboxEntry.args).where(OutboxEntry.job_name == operations.OCR_JOB)
        ).all()
        assert sorted(j["letter_id"] for j in jobs) == sorted(ids)
        stored = {f.object_key for letter in letters for f in letter.files}
    assert stored <= bucket_keys("alpha")
    del progress


def test_exif_and_gps_are_stripped_and_the_stored_hash_matches(
    make_opening, upload, tenant_session, storage_of
):
    image = letter_page(dpi=100).convert("RGB")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 50.0, 10.0)})
    data = as_bytes(
        image, "JPEG", exif=exif, icc_profile=b"fake-icc-profile" * 4, comment=b"secret comment"
    )
    assert b"PhoneMaker" in data
    [letter_id] = upload(make_opening(), [[incoming(data, "anh.jpg")]])
    with tenant_session("alpha") as session:
        stored = session.get(Letter, letter_id).files[0]
        with storage_of("alpha").open(stored.object_key) as reader:
            body = reader.read()
    import hashlib

    assert hashlib.sha256(body).hexdigest() == stored.sha256 and len(body) == stored.size
    assert b"PhoneMaker" not in body and b"secret comment" not in body
    assert b"fake-icc-profile" not in body
    again = Image.open(io.BytesIO(body))
    assert not again.getexif() and "icc_profile" not in again.info
    assert again.size == image.size


def _renamed_executable() -> bytes:
    return b"MZ\x90\x00" + b"\x00" * 60 + b"This program cannot be run in DOS mode" + b"\x00" * 200


def _truncated_jpeg() -> bytes:
    data = as_bytes(letter_page(dpi=100).convert("RGB"), "JPEG")
    return data[: len(data) // 2]


def _pixel_bomb() -> bytes:
    # A tiny PNG that declares 20000 × 20000 pixels (400 Mpx): refused before decoding.
    return as_bytes(Image.new("1", (20000, 20000)), "PNG", optimize=True)


class _Oversize(io.RawIOBase):
    """MAX_FILE_BYTES + 1 MB of a JPEG-looking stream, produced without holding it."""

    def __init__(self):
        self.left = MAX_FILE_BYTES + (1 << 20)
        self.started = False

    def readable(self):
        return True

    def read(self, size=-1):
        size = min(size if size and size > 0 else 1 << 20, self.left)
        self.left -= size
        if not self.started and size:
            self.started = True
            return b"\xff\xd8\xff\xe0" + b"\x00" * (size - 4)
        return b"\x00" * size


@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        ("setup.jpg", _renamed_executable, "chương trình"),
        ("cat.jpg", _truncated_jpeg, "bị hỏng"),
        ("empty.pdf", lambda: b"", "rỗng"),
        ("bomb.png", _pixel_bomb, "điểm ảnh quá lớn"),
        ("note.jpg", lambda: b"just some text pretending", "loại tệp này không được nhận"),
        ("huge.jpg", _Oversize, "quá lớn"),
    ],
)
def test_bad_files_are_refused_with_nothing_stored(
    make_opening, upload, tenant_session, bucket_keys, letter_jpeg, name, make, expected
):
    opening = make_opening()
    before = bucket_keys("alpha")
    made = make()
    bad = (
        incoming(made, name)
        if isinstance(made, bytes)
        else type("F", (), {"stream": made, "filename": name})()
    )
    with pytest.raises(ValidationFailed) as caught:
        # A good letter first: it must go too.
        upload(opening, [[incoming(letter_jpeg, "good.jpg")], [bad]])
    assert expected in caught.value.message and "files" in caught.value.errors
    assert f"“{name}”" in caught.value.message  # every refusal names the file
    assert bucket_keys("alpha") == before
    with tenant_session("alpha") as session:
        assert _count(session, Letter) == 0 and _count(session, LetterFile) == 0
        assert (
            session.scalar(
                select(func.count()).select_from(Case).where(Case.channel == Channel.suggestion_box)
            )
            == 0
        )
        assert _count(session, PendingUpload) == 0


class _FailingAfter:
    """The real storage, until the S3 server "goes away" at the n-th put."""

    def __init__(self, storage, fail_at: int):
        self._storage, self._fail_at, self.puts = storage, fail_at, 0

    def put(self, key, stream, length=-1, content_type="application/octet-stream"):
        self.puts += 1
        if self.puts >= self._fail_at:
            stream.read(1024)
            raise StorageError(
                "Kho lưu trữ không phản hồi.",
                operation="put",
                key=key,
                code="ConnectionRefusedError",
            )
        return self._storage.put(key, stream, length, content_type)

    def __getattr__(self, name):
        return getattr(self._storage, name)


def test_storage_outage_mid_upload_leaves_nothing_and_asks_to_retry(
    make_opening, upload, tenant_session, bucket_keys, storage_of, letter_jpeg, two_page_pdf
):
    opening = make_opening()
    before = bucket_keys("alpha")
    flaky = _FailingAfter(storage_of("alpha"), fail_at=2)
    with pytest.raises(Unavailable) as caught:
        upload(
            opening,
            [[incoming(letter_jpeg, "a.jpg")], [incoming(two_page_pdf, "b.pdf")]],
            storage=flaky,
        )
    assert "thử lại" in caught.value.message and caught.value.status == 503
    assert flaky.puts == 2 and bucket_keys("alpha") == before
    with tenant_session("alpha") as session:
        assert _count(session, Letter) == 0 and _count(session, PendingUpload) == 0


def test_storage_down_from_the_start(
    make_opening,
    in_tenant,
    principal_of,
    tenant_session,
    settings,
    letter_buckets,
    journal_of,
    letter_jpeg,
):
    import dataclasses

    from giamsat.core.storage import storage_for
    from tests.plugins.s3server import closed_port

    down = storage_for(
        letter_buckets["alpha"],
        dataclasses.replace(settings, s3_url=f"http://127.0.0.1:{closed_port()}"),
    )
    opening = make_opening()
    journal = journal_of("alpha")
    calls = []
    begin, discard = journal.begin, journal.discard
    journal.begin = lambda keys, **kw: calls.append(("begin", keys)) or begin(keys, **kw)
    journal.discard = lambda pid: calls.append(("discard", pid)) or discard(pid)
    with in_tenant("alpha") as scope, pytest.raises(Unavailable):
        operations.upload_letters(
            scope.session,
            principal_of("alpha", "x-staff"),
            opening.id,
            [[incoming(letter_jpeg, "a.jpg")]],
            storage=down,
            journal=journal,
        )
    # The keys were journaled before writing; the objects could not be deleted (S3 is down),
    # so the pending row is kept for the cleanup instead of being discarded.
    # (In tests the row itself goes with the rolled-back test savepoint it is nested in.)
    assert [c[0] for c in calls] == ["begin"]
    with tenant_session("alpha") as session:
        assert _count(session, Letter) == 0


def test_a_rolled_back_handler_deletes_the_objects(
    make_opening, in_tenant, principal_of, storage_of, journal_of, bucket_keys, letter_jpeg
):
    opening = make_opening()
    before = bucket_keys("alpha")
    with in_tenant("alpha") as scope:
        session = scope.session
        operations.upload_letters(
            session,
            principal_of("alpha", "x-staff"),
            opening.id,
            [[incoming(letter_jpeg, "a.jpg")]],
            storage=storage_of("alpha"),
            journal=journal_of("alpha"),
        )
        assert bucket_keys("alpha") != before
        session.rollback()  # e.g. the handler failed after the operation
    assert bucket_keys("alpha") == before


def test_orphan_cleanup_removes_objects_of_crashed_uploads(
    tenant_session, storage_of, journal_of, bucket_keys
):
    storage = storage_of("alpha")
    journal = journal_of("alpha")
    crashed = ["letters/2026/01/" + "a" * 32, "letters/2026/01/" + "b" * 32]
    pending_id = journal.begin(crashed, purpose="letters", user_id=None)
    for key in crashed:
        storage.put(key, io.BytesIO(b"%PDF-1.4 orphan"), length=15)
    young = journal.begin(["letters/2026/01/" + "c" * 32], purpose="letters", user_id=None)
    with tenant_session("alpha") as session:
        session.get(PendingUpload, pending_id).created_at -= dt.timedelta(hours=7)
        session.flush()
        assert clean_orphans(session, storage) == 1
        session.commit()
        assert session.get(PendingUpload, pending_id) is None
        assert session.get(PendingUpload, young) is not None
    assert not set(crashed) & bucket_keys("alpha")


def test_another_commune_cannot_reach_letters_files_or_uploads(
    make_opening, upload, tenant_session, principal_of, letter_jpeg
):
    opening = make_opening()
    [letter_id] = upload(opening, [[incoming(letter_jpeg, "a.jpg")]])
    with tenant_session("alpha") as session:
        letter = session.get(Letter, letter_id)
        file_id, page_id = letter.files[0].id, letter.files[0].pages[0].id
        other = principal_of("alpha", "y-admin")
        for get, ident in (
            (queries.get_letter, letter_id),
            (queries.get_letter_file, file_id),
            (queries.get_letter_page, page_id),
            (queries.get_opening, opening.id),
        ):
            with pytest.raises(NotFound):
                get(session, ident, other)
        assert session.scalars(queries.letters_query(other)).all() == []
        assert (
            queries.get_letter_file(session, file_id, principal_of("alpha", "admin")).id == file_id
        )
    with pytest.raises(NotFound):
        upload(opening, [[incoming(letter_jpeg, "a.jpg")]], who="y-admin")


def test_a_rescan_is_a_new_version_and_keeps_the_original(
    make_opening, upload, in_tenant, principal_of, storage_of, journal_of, letter_jpeg, two_page_pdf
):
    [letter_id] = upload(make_opening(), [[incoming(letter_jpeg, "a.jpg")]])
    with in_tenant("alpha") as scope:
        session = scope.session
        principal = principal_of("alpha", "x-staff")
        newer = operations.rescan_letter(
            session,
            principal,
            letter_id,
            [incoming(two_page_pdf, "ro-hon.pdf")],
            storage=storage_of("alpha"),
            journal=journal_of("alpha"),
        )
        session.commit()
        first = session.get(Letter, letter_id)
        assert (newer.version, newer.replaces_id, newer.case_id) == (2, letter_id, first.case_id)
        assert first.files[0].original_name == "a.jpg"
        versions = queries.letter_versions(session, first.case_id, principal)
        assert [v.version for v in versions] == [1, 2]
        current = session.scalars(queries.letters_query(principal)).all()
        assert [c.id for c in current] == [newer.id]
