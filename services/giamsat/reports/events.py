"""What the reports domain tells the others."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from giamsat.core.events import Event


@dataclass(frozen=True)
class ReportChanged(Event):
    """A report moved in its workflow (`action`: submit, return, accept…)."""

    report: Any
    action: str
    reason: str | None = None


@dataclass(frozen=True)
class ReportRequested(Event):
    """A unit asked the units below it for an ad hoc report (a new period)."""

    period: Any
    unit: Any


@dataclass(frozen=True)
class ReportExportFinished(Event):
    """A consolidation export built by a job is ready (`ok`) or could not be built."""

    export: Any
    ok: bool
