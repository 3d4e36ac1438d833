"""More on a case page from the domains above cases, without cases importing them: each gives
`(case) -> Markup | None` to CASE_PAGE_PANELS (letters: the scanned pages and the OCR state)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from giamsat.core.domain import Hook, implementations

CASE_PAGE_PANELS: Hook[Callable[[Any], Any]] = Hook("case_page_panels")


def panels_for(case) -> list:
    """The panels the installed domains draw for this case (already rendered HTML)."""
    return [panel for draw in implementations(CASE_PAGE_PANELS) if (panel := draw(case))]
