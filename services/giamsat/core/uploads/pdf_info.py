"""A PDF whose only metadata is a plain information dictionary (dates, producer — what scanners
write) is cleaned in place: the dictionary's text is overwritten with spaces, same length, so
every offset stays true, the rest of the file is untouched and a write already begun while the
file arrived needs only the changed part again (see `overlap`). The dictionary stays, empty.

Only when that is provably enough: one revision (no earlier versions of the dictionary left
behind by incremental saves), a classic cross-reference table, the dictionary a top-level
object holding plain strings and names. Anything else is rewritten by `pdfs` as before."""

from __future__ import annotations

import os
import re

import pikepdf

#: How far from its start an information dictionary may end (it holds a few strings).
_MAX_INFO_BYTES = 64 * 1024
#: Past this many objects the cross-reference table is not read here.
_MAX_OBJECTS = 100_000
#: The file is scanned in blocks of this size (never mapped or read whole: the web worker's
#: memory stays flat for a 50 MB scan).
_BLOCK = 1024 * 1024
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_SUBSECTION = re.compile(rb"\s*(\d+) (\d+)\s*")


def blankable_info(pdf: pikepdf.Pdf) -> tuple[int, int] | None:
    """(object number, generation) of an information dictionary `blank_info` can handle."""
    info = pdf.trailer.get("/Info")
    if not isinstance(info, pikepdf.Dictionary) or not info.is_indirect:
        return None
    for value in info.values():
        if value.is_indirect or not isinstance(value, (pikepdf.String, pikepdf.Name)):
            return None
        raw = bytes(value) if isinstance(value, pikepdf.String) else str(value).encode()
        if any(token in raw for token in (b"<<", b">>", b"endobj", b"obj")):
            return None
    return info.objgen


def _read(handle, offset: int, size: int) -> bytes:
    return os.pread(handle.fileno(), size, offset)


def _one_revision(handle, size: int) -> bool:
    """Exactly one `startxref` in the file: no earlier revision left by an incremental save
    (a scanned image's bytes could hold the word too; then the file is merely rewritten)."""
    found, at, carry = 0, 0, b""
    while at < size:
        block = carry + _read(handle, at, _BLOCK)
        found += block.count(b"startxref")
        if found > 1:
            return False
        carry = block[-8:]  # a word cut by the block boundary is found in the next one
        at += _BLOCK
    return found == 1


def _xref_offset(handle, size: int, objnum: int, gen: int) -> int | None:
    """The byte offset of object `objnum` from the file's only cross-reference table."""
    tail = _read(handle, max(0, size - 2048), 2048)
    if b"/Prev" in tail or b"/XRefStm" in tail or not _one_revision(handle, size):
        return None  # more than one revision (or a hybrid file): rewrite instead
    match = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", tail)
    if match is None:
        return None
    at = int(match.group(1))
    table = _read(handle, at, size - at) if size - at <= 20 * _MAX_OBJECTS + 4096 else b""
    if not table.startswith(b"xref"):
        return None  # a cross-reference stream: its offsets are compressed
    at = 4
    while True:
        header = _SUBSECTION.match(table, at)
        if header is None:
            return None
        first, count = int(header.group(1)), int(header.group(2))
        at = header.end()
        if first <= objnum < first + count:
            entry = _ENTRY.match(table, at + 20 * (objnum - first))
            if entry is None or entry.group(3) != b"n" or int(entry.group(2)) != gen:
                return None
            return int(entry.group(1))
        at += 20 * count


def blank_info(path: str, objgen: tuple[int, int]) -> tuple[int, int] | None:
    """Overwrite the information dictionary's contents with spaces in the file at `path`;
    the byte range changed, or None (file untouched) when it can't be done safely."""
    objnum, gen = objgen
    with open(path, "r+b") as handle:
        size = os.fstat(handle.fileno()).st_size
        offset = _xref_offset(handle, size, objnum, gen)
        if offset is None:
            return None
        text = _read(handle, offset, _MAX_INFO_BYTES)
        head = re.compile(rb"%d %d obj\s*<<" % (objnum, gen)).match(text)
        end = text.find(b"endobj", head.end()) if head else -1
        close = text.rfind(b">>", head.end(), end) if head and end > 0 else -1
        if head is None or close < 0 or b"stream" in text[head.end() : end]:
            return None
        start, stop = offset + head.end(), offset + close
        original = text[head.end() : close]
        os.pwrite(handle.fileno(), b" " * len(original), start)
        if not _verified(path, objgen):
            os.pwrite(handle.fileno(), original, start)
            return None
    return start, stop


def _verified(path: str, objgen: tuple[int, int]) -> bool:
    """The patched file opens, and its information dictionary is that object, now empty."""
    try:
        with pikepdf.open(path) as pdf:
            info = pdf.trailer.get("/Info")
            return (
                isinstance(info, pikepdf.Dictionary)
                and info.objgen == objgen
                and len(info.keys()) == 0
            )
    except (pikepdf.PdfError, OSError, ValueError):
        return False
