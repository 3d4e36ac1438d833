"""Every uploaded file through one safe door (`checked`), then to storage (`store_checked`).

    with checked(stream, filename, POLICY) as upload:   # refusals raise here, nothing stored
        sha256 = store_checked(storage, key, upload)

`spool` makes the request's own spooled part the pipeline's single copy on disk (`overlap`
writes a big one to storage while it arrives, completed by `store_checked`); `sniff`,
`images`, `pdfs` and `sheets` are the checks by type; `refusals` the sentences."""

from giamsat.core.uploads.overlap import OverlapTarget
from giamsat.core.uploads.pipeline import (
    CheckedFile,
    Policy,
    checked,
    clean_filename,
    store_checked,
)
from giamsat.core.uploads.refusals import Refusal
from giamsat.core.uploads.sniff import (
    DOC,
    DOCX,
    GIF,
    IMAGES,
    JPEG,
    ODS,
    ODT,
    PDF,
    PNG,
    PPTX,
    TEXT,
    TIFF,
    WEBP,
    XLS,
    XLSX,
    ZIP,
)
from giamsat.core.uploads.spool import (
    SpoolFile,
    downloaded,
    overlap_request_body,
    request_file_stream,
    reserved_key,
)

__all__ = [
    "DOC",
    "DOCX",
    "GIF",
    "IMAGES",
    "JPEG",
    "ODS",
    "ODT",
    "PDF",
    "PNG",
    "PPTX",
    "TEXT",
    "TIFF",
    "WEBP",
    "XLS",
    "XLSX",
    "ZIP",
    "CheckedFile",
    "OverlapTarget",
    "Policy",
    "Refusal",
    "SpoolFile",
    "checked",
    "clean_filename",
    "downloaded",
    "overlap_request_body",
    "request_file_stream",
    "reserved_key",
    "store_checked",
]
