"""Tenant rules as a domain declares them: key, check, default and where the default comes from."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RuleSpec:
    key: str
    #: Returns a problem sentence for a bad value, None for a good one.
    check: Callable[[Any], str | None]
    default: Any
    #: Where the default comes from, with its confidence marker (see DOMAIN.md).
    default_source: str
