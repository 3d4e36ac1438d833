"""The upload door on its own (no database, no storage): types, images' resolution, refusals."""

from __future__ import annotations

import hashlib
import io
import os

import pytest
from PIL import Image

from giamsat.core import uploads
from tests.plugins import hostile

POLICY = uploads.Policy(
    accepted=frozenset({uploads.JPEG, uploads.PNG, uploads.TIFF, uploads.PDF, uploads.XLSX}),
    max_bytes=8 * 1024 * 1024,
    max_label="8 MB",
    accepted_sentence="Chỉ nhận ảnh, PDF hoặc bảng tính.",
    max_rows=100,
    max_uncompressed=40 * 1024 * 1024,
)


def _image(fmt: str, **options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(out, format=fmt, **options)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "dpi"),
    [
        (_image("JPEG", dpi=(200, 200)), "a.jpg", (200, 200)),
        (_image("PNG", dpi=(300, 300)), "a.png", (300, 300)),
        (_image("TIFF", dpi=(400, 400)), "a.tif", (400, 400)),
        (_image("JPEG"), "no-dpi.jpg", None),
        (hostile.gps_photo(), "phone.jpg", None),  # 72 dpi in EXIF only: not carried over
    ],
)
def test_a_resolution_is_kept_only_when_the_header_states_one(data, name, dpi):
    with uploads.checked(io.BytesIO(data), name, POLICY) as upload:
        with Image.open(upload.path) as image:
            got = image.info.get("dpi")
    assert (tuple(round(v) for v in got) if got else None) == dpi


def test_the_request_spool_is_reused_and_its_hash_is_the_stored_one():
    data = hostile.clean_pdf()
    spool = uploads.SpoolFile()
    spool.write(data)
    spool.seek(0)
    with uploads.checked(spool, "thu.pdf", POLICY) as upload:
        assert upload.path == spool.path  # no second copy
        assert upload.sha256 == hashlib.sha256(data).hexdigest() and upload.size == len(data)
    spool.close()


def test_the_spool_counts_and_hashes_small_and_large_writes_in_order():
    pieces = [os.urandom(n) for n in (100, uploads.spool.DIRECT_WRITE, 7, 3 << 20, 65536, 9)]
    data = b"".join(pieces)
    with uploads.SpoolFile() as spool:
        for piece in pieces:  # werkzeug's small writes are gathered, its blocks go as they are
            spool.write(piece)
        assert (spool.size, spool.sha256) == (len(data), hashlib.sha256(data).hexdigest())
        spool.seek(0)
        assert spool.read() == data


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"MZ\x90\x00" + b"\x00" * 200, "hoa-don.pdf", "tệp chương trình"),
        (b"<html><script>x</script></html>", "a.txt", "trang web"),
        (hostile.zip_named_pdf(), "hoa-don.pdf", "tệp nén"),
        (hostile.pdf_with_javascript(), "thu.pdf", "JavaScript"),
        (hostile.truncated_jpeg(), "dut.jpg", "bị hỏng"),
        (hostile.pixel_bomb(), "bom.png", "điểm ảnh quá lớn"),
        (hostile.xlsx_bomb(), "danh-sach.xlsx", "giải nén lớn hơn 40 MB"),
        (b"", "rong.pdf", "tệp rỗng"),
    ],
)
def test_refusals_name_the_file(data, name, words):
    with pytest.raises(uploads.Refusal) as refused:
        with uploads.checked(io.BytesIO(data), name, POLICY):
            pass
    assert words in refused.value.message and f"“{name}”" in refused.value.message
    assert refused.value.errors == {"file": [refused.value.message]}
