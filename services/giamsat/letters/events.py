"""What the letters domain tells the others."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from giamsat.core.events import Event


@dataclass(frozen=True)
class LetterRecordChanged(Event):
    """A box, opening or letter was created or changed (`before`: its snapshot, None if new)."""

    obj: Any
    before: dict | None
    action: str


@dataclass(frozen=True)
class LetterOcrDone(Event):
    """OCR of a scanned letter finished: the text is there to read and search."""

    letter: Any


@dataclass(frozen=True)
class LetterOcrFailed(Event):
    """OCR of a scanned letter failed for good; someone has to read it by hand."""

    letter: Any
