"""A scanner's information dictionary is blanked in place (same length, nothing else changed)
only when that leaves no metadata anywhere in the file; otherwise the PDF is rewritten."""

from __future__ import annotations

import hashlib
import io
import re

import pikepdf
import pytest

from giamsat.core import uploads
from tests.plugins import hostile

POLICY = uploads.Policy(
    accepted=frozenset({uploads.PDF}),
    max_bytes=8 * 1024 * 1024,
    max_label="8 MB",
    accepted_sentence="Chỉ nhận PDF.",
)
SECRET = "Nguyen Van Bao Mat"


def _with_info(**options) -> bytes:
    pdf = pikepdf.open(io.BytesIO(hostile.clean_pdf(2)))
    pdf.docinfo["/Producer"] = "May quet XYZ-2000"
    pdf.docinfo["/Author"] = SECRET
    pdf.docinfo["/CreationDate"] = "D:20260210083000+07'00'"
    out = io.BytesIO()
    pdf.save(out, fix_metadata_version=False, **options)
    return out.getvalue()


def _stored(data: bytes) -> tuple[bytes, uploads.CheckedFile]:
    with uploads.checked(io.BytesIO(data), "ban-quet.pdf", POLICY) as upload:
        with open(upload.path, "rb") as handle:
            return handle.read(), upload


def test_a_plain_information_dictionary_is_blanked_in_place():
    original = _with_info()
    body, upload = _stored(original)
    assert SECRET.encode() not in body and b"XYZ-2000" not in body and b"D:2026" not in body
    # Same length, and only the dictionary's text differs (now spaces): offsets stay true.
    assert len(body) == len(original)
    changed = [i for i, (a, b) in enumerate(zip(original, body, strict=True)) if a != b]
    assert changed and set(body[changed[0] : changed[-1] + 1]) <= set(b" \t\r\n")
    assert upload.sha256 == hashlib.sha256(body).hexdigest()  # of the stored bytes
    with pikepdf.open(io.BytesIO(body)) as pdf:
        assert len(pdf.pages) == 2 and not pdf.trailer.Info.keys()
    # Stored again (a rescan of the same file), it is clean as it is.
    assert _stored(body)[0] == body


def _append_revision(data: bytes) -> bytes:
    """An incremental save on top of `data`: a new information dictionary, the old one kept
    in the file's earlier revision (as editors leave it)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        size, root = int(pdf.trailer.Size), pdf.Root.objgen[0]
    previous = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    update = f"{size} 0 obj\n<< /Producer (Trinh sua PDF) >>\nendobj\n".encode()
    xref_at = len(data) + 1 + len(update)
    tail = (
        f"xref\n0 1\n0000000000 65535 f \n{size} 1\n{len(data) + 1:010d} 00000 n \n"
        f"trailer\n<< /Size {size + 1} /Root {root} 0 R /Info {size} 0 R /Prev {previous} >>\n"
        f"startxref\n{xref_at}\n%%EOF\n"
    ).encode()
    return data + b"\n" + update + tail


@pytest.mark.parametrize(
    "make",
    [
        lambda: _append_revision(_with_info()),
        lambda: _with_info(object_stream_mode=pikepdf.ObjectStreamMode.generate),
    ],
    ids=["two-revisions", "cross-reference-stream"],
)
def test_anything_but_one_plain_revision_is_rewritten(make):
    original = make()
    body, upload = _stored(original)
    assert SECRET.encode() not in body and b"Trinh sua PDF" not in body
    assert upload.sha256 is None  # a rewritten copy: hashed while it is stored
    with pikepdf.open(io.BytesIO(body)) as pdf:
        assert len(pdf.pages) == 2 and "/Info" not in pdf.trailer


def test_an_information_dictionary_with_xmp_is_rewritten():
    body, _ = _stored(hostile.pdf_with_metadata())
    for secret in hostile.PDF_SECRETS:
        assert secret not in body, secret


@pytest.mark.parametrize("piece", [64 * 1024, 256 * 1024])  # gathered; written as they come
def test_a_change_in_place_is_hashed_again_from_the_block_before_it(piece):
    data = bytes(range(256)) * (12 * 1024)  # 3 MiB: three write blocks
    spool = uploads.SpoolFile()
    for start in range(0, len(data), piece):
        spool.write(data[start : start + piece])
    assert spool.sha256 == hashlib.sha256(data).hexdigest()
    at = len(data) - 1000
    with open(spool.path, "r+b") as handle:
        handle.seek(at)
        handle.write(b" " * 10)
    changed = data[:at] + b" " * 10 + data[at + 10 :]
    assert spool.rehash_from(at) == hashlib.sha256(changed).hexdigest()
    assert spool.rehash_from(0) == hashlib.sha256(changed).hexdigest()
    spool.close()
