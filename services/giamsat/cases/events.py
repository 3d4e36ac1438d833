"""What the cases domain tells the others."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from giamsat.core.events import Event


@dataclass(frozen=True)
class CaseChanged(Event):
    """A step of a case's history was recorded (`action`: receive, forward, answer, close…)."""

    case: Any
    #: The CaseEvent row just added (its `details` say where a case came from).
    event: Any
    action: str
