"""PDFs through pikepdf (qpdf): count the pages, refuse active content, strip the rest.

Refused: JavaScript anywhere (document, page, annotation or form actions) and Launch actions —
a scan never needs them. Removed: automatic actions (/OpenAction, /AA), embedded and attached
files, XMP metadata streams and the document information dictionary (author, software, dates).
A PDF with none of that is stored byte for byte as sent (no rewrite: the common clean scan
costs one parse); one whose only metadata is a plain information dictionary has it blanked in
place (`pdf_info`); otherwise it is rewritten once, its streams copied without decoding."""

from __future__ import annotations

import os
import tempfile

import pikepdf

from giamsat.core.uploads import pdf_info, refusals

_NAME = pikepdf.Name
#: Keys of a dictionary that run something or carry a file or metadata; their presence anywhere
#: means the file is rewritten without them.
_STRIPPED_KEYS = ("/OpenAction", "/AA", "/EmbeddedFiles", "/Metadata", "/EmbeddedFile", "/AF")
_DANGEROUS_ACTIONS = ("/JavaScript", "/Launch", "/ImportData", "/Rendition", "/SubmitForm")


def _is_dangerous(obj) -> bool:
    """A dictionary that is (or holds) a script or program launch."""
    if "/JS" in obj or "/JavaScript" in obj:
        return True
    action = obj.get("/S")
    return isinstance(action, pikepdf.Name) and str(action) in _DANGEROUS_ACTIONS


def _walk(obj, depth: int = 0):
    """`obj` and the dictionaries held directly inside it (indirect ones are visited on their
    own by `_dictionaries`)."""
    if depth > 64:
        return
    if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
        yield obj
        children = [obj.get(key) for key in list(obj.keys())]
    elif isinstance(obj, pikepdf.Array):
        children = list(obj)
    else:
        return
    for child in children:
        if isinstance(child, (pikepdf.Dictionary, pikepdf.Array)) and not child.is_indirect:
            yield from _walk(child, depth + 1)


def _dictionaries(pdf: pikepdf.Pdf):
    """Every dictionary of the file (streams' dictionaries included), without their data."""
    for obj in pdf.objects:
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream, pikepdf.Array)):
            yield from _walk(obj)
    yield from _walk(pdf.trailer)


def _inspect(pdf: pikepdf.Pdf) -> tuple[bool, bool, bool]:
    """(dangerous, needs cleaning, only its information dictionary needs it)."""
    info = pdf.trailer.get("/Info")
    # An empty dictionary (one blanked in place, see `pdf_info`) says nothing.
    has_info = info is not None and not (isinstance(info, pikepdf.Dictionary) and not info.keys())
    other = False
    for obj in _dictionaries(pdf):
        if _is_dangerous(obj):
            return True, True, False
        if obj.get("/Type") == _NAME.XFA or "/XFA" in obj:
            return True, True, False
        if any(key in obj for key in _STRIPPED_KEYS) or obj.get("/Subtype") == _NAME.FileAttachment:
            other = True
    return False, has_info or other, has_info and not other


def _strip(pdf: pikepdf.Pdf) -> None:
    if "/Info" in pdf.trailer:
        del pdf.trailer["/Info"]
    for obj in _dictionaries(pdf):
        for key in _STRIPPED_KEYS:
            if key in obj:
                del obj[key]
    names = pdf.Root.get("/Names")
    if isinstance(names, pikepdf.Dictionary) and "/EmbeddedFiles" in names:
        del names["/EmbeddedFiles"]
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if isinstance(annots, pikepdf.Array):
            kept = [a for a in annots if a.get("/Subtype") != _NAME.FileAttachment]
            if len(kept) != len(annots):
                page.obj["/Annots"] = pikepdf.Array(kept)


def clean_pdf(
    path: str, *, name: str, field: str, max_pages: int
) -> tuple[str | None, int, tuple[int, int] | None]:
    """(path of a rewritten copy or None when the original is clean, page count, the byte
    range blanked in place in `path` when only a plain information dictionary had to go)."""
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        raise refusals.pdf_password(name, field) from None
    except (pikepdf.PdfError, OSError, ValueError):
        raise refusals.broken_pdf(name, field) from None
    with pdf:
        if pdf.is_encrypted:
            raise refusals.pdf_password(name, field)
        try:
            pages = len(pdf.pages)
            if pages == 0:
                raise refusals.pdf_no_pages(name, field)
            if pages > max_pages:
                raise refusals.too_many_pages(name, field, pages, max_pages)
            dangerous, dirty, only_info = _inspect(pdf)
            info = pdf_info.blankable_info(pdf) if only_info else None
        except pikepdf.PdfError:
            raise refusals.broken_pdf(name, field) from None
        if dangerous:
            raise refusals.pdf_active(name, field)
        if not dirty:
            return None, pages, None
    if info is not None:  # the file is closed: qpdf reads it lazily
        blanked = pdf_info.blank_info(path, info)
        if blanked is not None:
            return None, pages, blanked
    return _rewritten(path, name=name, field=field), pages, None


def _rewritten(path: str, *, name: str, field: str) -> str:
    try:
        pdf = pikepdf.open(path)
    except (pikepdf.PdfError, OSError, ValueError):
        raise refusals.broken_pdf(name, field) from None
    with pdf:
        handle, out_path = tempfile.mkstemp(prefix="giamsat-clean-")
        os.close(handle)
        try:
            _strip(pdf)
            pdf.save(
                out_path,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                object_stream_mode=pikepdf.ObjectStreamMode.preserve,
                compress_streams=False,
                fix_metadata_version=False,
            )
        except pikepdf.PdfError:
            os.unlink(out_path)
            raise refusals.broken_pdf(name, field) from None
        except BaseException:
            os.unlink(out_path)
            raise
    return out_path
