"""What a file is, from its bytes: puremagic's signatures, then our own rules on top.

The name only chooses among what the bytes allow (a ZIP is a DOCX only when named .docx *and*
laid out as one); executables, web pages and archives named like documents are refused."""

from __future__ import annotations

import os
import unicodedata
import zipfile

import puremagic

from giamsat.core.uploads import refusals

SNIFF_BYTES = 8192
JPEG, PNG, TIFF, GIF, WEBP, PDF = (
    "image/jpeg",
    "image/png",
    "image/tiff",
    "image/gif",
    "image/webp",
    "application/pdf",
)
ZIP, OLE, TEXT = "application/zip", "application/x-ole-storage", "text/plain; charset=utf-8"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT, ODS = (
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
)
DOC, XLS = "application/msword", "application/vnd.ms-excel"
IMAGES = frozenset({JPEG, PNG, TIFF, GIF, WEBP})
ZIP_CONTAINERS = frozenset({ZIP, DOCX, XLSX, PPTX, ODT, ODS})

#: A ZIP container named like an office document must hold that document's parts.
_ZIP_DOCUMENTS = {
    ".docx": (DOCX, "word/"),
    ".xlsx": (XLSX, "xl/"),
    ".pptx": (PPTX, "ppt/"),
    ".odt": (ODT, "content.xml"),
    ".ods": (ODS, "content.xml"),
}
_OLE_DOCUMENTS = {".doc": DOC, ".xls": XLS}
_ARCHIVE_EXTENSIONS = {".zip", ".rar", ".7z", ".gz", ".tgz", ".bz2", ".xz", ".tar"}
#: puremagic's answers we act on, by MIME type or extension (its names vary between versions).
_BY_MIME = {
    "image/jpeg": JPEG,
    "image/png": PNG,
    "image/tiff": TIFF,
    "image/gif": GIF,
    "image/webp": WEBP,
    "application/pdf": PDF,
    "audio/x-wav": "audio/wav",
    "audio/wav": "audio/wav",
    "audio/wave": "audio/wav",
    "audio/mpeg": "audio/mpeg",
    "audio/mp4": "audio/mp4",
    "video/mp4": "video/mp4",
}
_ZIP_FAMILY = {".zip", ".docx", ".xlsx", ".xlsb", ".pptx", ".odt", ".ods", ".jar", ".apk", ".epub"}
_OTHER_ARCHIVES = {".rar", ".7z", ".gz", ".bz2", ".xz", ".tar", ".cab", ".arj", ".lz", ".zst"}
_OLE_FAMILY = {".doc", ".xls", ".ppt", ".msi", ".msg", ".ole"}
_AUDIO_EXTENSIONS = {".m4a": "audio/mp4", ".f4a": "audio/mp4"}
_EXECUTABLE_MAGIC = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)
_MARKUP_STARTS = (b"<!doctype html", b"<html", b"<svg", b"<script", b"<?xml", b"<head", b"<body")


def _candidates(path: str) -> list[tuple[str, str]]:
    """(mime, extension) of puremagic's matches, most confident first."""
    try:
        matches = puremagic.magic_file(path)
    except (puremagic.PureError, ValueError):
        return []
    return [((m.mime_type or "").lower(), (m.extension or "").lower()) for m in matches]


def _family(path: str, head: bytes) -> str | None:
    """JPEG, PDF, … or "zip"/"ole"/"archive" for containers; None when nothing matched."""
    for mime, ext in _candidates(path):
        if mime in _BY_MIME:
            found = _BY_MIME[mime]
            if found == PDF and not head.startswith(b"%PDF-"):
                continue  # a "%PDF" deep inside another file is not a PDF
            return found
        if ext in _AUDIO_EXTENSIONS:
            return _AUDIO_EXTENSIONS[ext]
        if ext in _ZIP_FAMILY or "zip" in mime or "openxmlformats" in mime:
            return "zip"
        if ext in _OLE_FAMILY or mime in ("application/msword", "application/vnd.ms-excel"):
            return "ole"
        if ext in _OTHER_ARCHIVES:
            return "archive"
    return None


def _zip_document(path: str, ext: str) -> str | None:
    expected = _ZIP_DOCUMENTS.get(ext)
    if expected is None:
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    content_type, marker = expected
    has_manifest = "[Content_Types].xml" in names or "mimetype" in names
    return content_type if has_manifest and any(n.startswith(marker) for n in names) else None


def looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        # The cut may split a multi-byte character: ignore an incomplete tail only.
        text = head.decode("utf-8", errors="strict" if len(head) < SNIFF_BYTES else "ignore")
    except UnicodeDecodeError:
        return False
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\t\r\n\f")
    return controls == 0


def sniff(path: str, name: str, *, field: str, accepted: frozenset[str], sentence: str) -> str:
    """The content type the bytes show, among `accepted`; a Refusal otherwise."""
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    ext = os.path.splitext(name.lower())[1]
    if head.startswith(_EXECUTABLE_MAGIC):
        raise refusals.executable(name, field)
    family = _family(path, head)
    found: str | None = family
    if family == "zip":
        found = _zip_document(path, ext) or (ZIP if ext == ".zip" else None)
        if found is None:
            raise refusals.archive(name, field)
    elif family == "archive":
        if ext not in _ARCHIVE_EXTENSIONS:
            raise refusals.archive(name, field)
    elif family == "ole":
        found = _OLE_DOCUMENTS.get(ext, OLE)
    elif family is None and looks_like_text(head):
        if head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(_MARKUP_STARTS):
            raise refusals.markup(name, field)
        found = TEXT
    if found is None or found not in accepted:
        raise refusals.not_accepted(name, field, sentence)
    return found
