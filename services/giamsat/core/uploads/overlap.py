"""Storing a big upload while it still arrives: the parts of the growing spool go to an S3
multipart upload under the file's final key, so after the body ends only the last part is left.

The write overlaps the receive; it never replaces a check. The multipart upload is completed
only by `store_checked`, after every check passed, and only when the bytes to store are the
spooled ones (not rewritten), the type sniffed at the end is the one it was begun with and the
caller stores under its key, in its bucket. Anything else — a refusal, a rewrite, another key,
the end of the request — aborts it: S3 keeps no object of an aborted upload, and its parts go.
A web worker killed mid-upload leaves an incomplete upload (never an object) that
`Storage.abort_stale_multipart` removes later.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass

from giamsat.core.storage import MultipartWrite, Storage, StorageError, new_key
from giamsat.core.uploads import sniff

log = logging.getLogger(__name__)

#: Bytes per part: S3's minimum for every part but the last. Small parts start going up early
#: and leave little to send once the body has ended; each is one PUT (5 MiB beat 8 MiB in the
#: same runs: bench/README.md). Files smaller than one part are not overlapped: they go up in
#: one put after the checks, as before.
PART_SIZE = 5 * 1024 * 1024
#: Parts in flight at once, as the SDK's own parallel put: each part's PUT mostly waits for the
#: server to store it, so three keep the link and the server's cores busy (S3 servers take
#: parts in any order).
SENDERS = 3
#: Types stored byte for byte when clean; images are always re-encoded, so never overlapped.
_BY_EXTENSION = {
    ".pdf": sniff.PDF,
    ".docx": sniff.DOCX,
    ".xlsx": sniff.XLSX,
    ".pptx": sniff.PPTX,
    ".odt": sniff.ODT,
    ".ods": sniff.ODS,
    ".doc": sniff.DOC,
    ".xls": sniff.XLS,
}


@dataclass(frozen=True)
class OverlapTarget:
    """Where an endpoint's uploads may go while they arrive: the tenant's storage and the
    prefix of the keys the endpoint stores under (`new_key(prefix)`)."""

    storage: Storage
    prefix: str


def expected_type(filename: str | None) -> str | None:
    """The stored type a file named so will have if it passes unchanged; None: don't overlap."""
    return _BY_EXTENSION.get(os.path.splitext(filename or "")[1].lower())


class OverlappedUpload:
    """Feeds the completed parts of one spool file (`path`) to storage from a thread.

    The writer (the form parser, through `SpoolFile.write`) calls `grown(size)` after flushing;
    the thread starts at the first complete part. `finish` or `cancel` end it, once."""

    def __init__(
        self, target: OverlapTarget, path: str, content_type: str, part_size: int | None = None
    ):
        self.key = new_key(target.prefix)
        self.storage = target.storage
        self.content_type = content_type
        self.part_size = part_size or PART_SIZE
        self._path = path
        self._state = threading.Condition()
        self._ready = 0
        self._claimed = 0
        self._number = 0
        #: (number, offset, length) of the parts handed to the senders so far.
        self._sent: list[tuple[int, int, int]] = []
        #: Parts to send again after the file was changed in place (`changed`).
        self._again: list[tuple[int, int, int]] = []
        self._final: int | None = None
        self._cancelled = False
        self._ended = False
        self._error: BaseException | None = None
        self._write: MultipartWrite | None = None
        self._thread: threading.Thread | None = None

    def grown(self, size: int) -> None:
        with self._state:
            if self._ended:
                return
            self._ready = size
            self._state.notify_all()
            if self._thread is None and size >= self.part_size:
                self._thread = threading.Thread(
                    target=self._run, name=f"upload-{self.key[-8:]}", daemon=True
                )
                self._thread.start()

    def arrived(self, size: int) -> None:
        """The whole file is spooled (`size` bytes): its last part goes now, while the checks
        run, rather than after them; completing still waits for `finish`."""
        with self._state:
            if self._thread is not None and not self._ended and self._final is None:
                self._final = self._ready = size
                self._state.notify_all()

    def _next(self) -> tuple[int, int, int]:
        """(part number, offset, length) of the next part to send; length 0: done."""
        with self._state:
            while True:
                if self._cancelled:
                    return 0, 0, 0
                offset = self._claimed
                if self._ready - offset >= self.part_size:
                    length = self.part_size
                elif self._final is not None:
                    length = self._final - offset
                else:
                    self._state.wait()
                    continue
                self._claimed += length
                self._number += 1
                self._sent.append((self._number, offset, length))
                return self._number, offset, length

    def _run(self) -> None:
        try:
            write = self.storage.begin_multipart(self.key, self.content_type)
            with self._state:
                self._write = write
            if write is None:
                return
            helpers = [
                threading.Thread(target=self._send, args=(write,), daemon=True)
                for _ in range(SENDERS - 1)
            ]
            for helper in helpers:
                helper.start()
            self._send(write)
            for helper in helpers:
                helper.join()
        except BaseException as exc:  # noqa: BLE001 — reported by finish(), which falls back
            self._error = exc

    def _send(self, write: MultipartWrite) -> None:
        try:
            with open(self._path, "rb") as handle:
                while True:
                    number, offset, length = self._next()
                    if length <= 0:
                        return
                    handle.seek(offset)
                    write.put_part(number, handle, length)
        except BaseException as exc:  # noqa: BLE001 — reported by finish(), which falls back
            with self._state:
                self._error = exc
                self._cancelled = True  # the others stop too: this upload will not complete
                self._state.notify_all()

    def changed(self, start: int, end: int) -> None:
        """Bytes [start, end) of the file were rewritten in place: the parts already handed
        out that hold them go again before completing (the later ones read the new bytes)."""
        with self._state:
            self._again += [p for p in self._sent if p[1] < end and start < p[1] + p[2]]

    def finish(self, storage: Storage, key: str, size: int, content_type: str) -> bool:
        """Send what is left and complete the object, when the caller stores exactly this file
        under our key in our bucket. False (aborted; the caller then puts the file itself) when
        it was never begun or does not fit; StorageError only when completing failed."""
        fits = (
            key == self.key
            and content_type == self.content_type
            and (storage is self.storage or storage.is_same_bucket(self.storage))
        )
        with self._state:
            begun = self._thread is not None and not self._ended
            if fits and begun:
                self._final = self._ready = size
                self._state.notify_all()
        if not (fits and begun):
            self.cancel()
            return False
        assert self._thread is not None
        self._thread.join()
        with self._state:
            self._ended = True
        if self._write is None or self._error is not None:
            if self._error is not None:
                log.warning(
                    "overlapped upload of %s failed, storing it again", key, exc_info=self._error
                )
            self._abort()
            return False
        try:
            if self._again:
                with open(self._path, "rb") as handle:
                    for number, offset, length in self._again:
                        handle.seek(offset)
                        self._write.put_part(number, handle, length)
            self._write.complete()
        except StorageError:
            self._abort()
            raise
        return True

    def cancel(self) -> None:
        """Stop and abort (no object, no parts left); harmless after `finish`."""
        with self._state:
            if self._ended:
                return
            self._ended = self._cancelled = True
            self._state.notify_all()
        if self._thread is not None:
            self._thread.join()
        self._abort()

    def _abort(self) -> None:
        if self._write is None:
            return
        try:
            self._write.abort()
        except StorageError:  # the stale-upload cleanup aborts it later; no object exists
            log.warning("could not abort the upload of %s", self.key, exc_info=True)
        self._write = None
