"""What the supervision domain tells the others."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from giamsat.core.events import Event


@dataclass(frozen=True)
class SupervisionRecordChanged(Event):
    """A register record (person, plan, activity, recommendation, dialogue…) was created or
    changed (`before`: its snapshot, None if new)."""

    obj: Any
    before: dict | None
    action: str
