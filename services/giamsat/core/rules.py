"""Tenant rules as a domain declares them, and the checks their values are held to.

A domain lists its `RuleSpec`s in its `Domain(rules=...)`; the manifest parser receives them all
from the registry and validates `[rules]` against them. A check returns a problem sentence
(completing "<key> …") for a bad value, None for a good one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Check = Callable[[Any], str | None]


@dataclass(frozen=True)
class RuleSpec:
    key: str
    check: Check
    default: Any
    #: Where the default comes from, with its confidence marker (see DOMAIN.md).
    default_source: str
    #: `(value, all rule values) -> problem`, for rules bound to another (run after `check`).
    check_with: Callable[[Any, Mapping[str, Any]], str | None] | None = None
    #: What the rules page calls it and says about it (lazily translated texts).
    label: Any = None
    help: Any = None
    #: Labels of the allowed values of a choice rule (`one_of`), in display order.
    choices: Mapping[str, Any] | None = None
    #: The page's group the rule is shown in ("boxes", "reports", "deadlines"…).
    group: str = "other"


#: Confidence markers of a rule's source (DOMAIN.md): "[CONFIRMED]", "[PARTIAL …]"…
CONFIDENCE_LEVELS = ("CONFIRMED", "PARTIAL", "UNCONFIRMED")
_MARKER = re.compile(r"\[(CONFIRMED|PARTIAL|UNCONFIRMED)\b[^\]]*\]")


def confidence_of(source: str) -> str:
    """The marker a source carries; a source without one is unconfirmed."""
    found = _MARKER.search(source or "")
    return found.group(1) if found else "UNCONFIRMED"


def with_confidence(source: str, confidence: str) -> str:
    """`source` with its markers replaced by `confidence`'s (one marker, at the end)."""
    text = " ".join(_MARKER.sub(" ", source or "").split())
    return f"{text} [{confidence}]".strip()


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def positive_int(value: Any) -> str | None:
    return None if _whole(value) and value >= 1 else "must be a positive integer"


def non_negative_int(value: Any) -> str | None:
    return None if _whole(value) and value >= 0 else "must be a whole number, 0 or more"


def boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def short_text(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        return "must be a non-empty text of at most 200 characters"
    return None


def one_of(*choices: str) -> Check:
    def check(value: Any) -> str | None:
        if value not in choices:
            return "must be one of: " + ", ".join(f'"{c}"' for c in choices)
        return None

    return check


def in_range(low: int, high: int, message: str) -> Check:
    def check(value: Any) -> str | None:
        return None if _whole(value) and low <= value <= high else message

    return check


#: Up to 28 so that the day exists in every month.
day_of_month = in_range(1, 28, "must be a day of the month from 1 to 28")
any_day = in_range(1, 31, "must be a day of the month from 1 to 31")
month = in_range(1, 12, "must be a month from 1 to 12")
month_of_quarter = in_range(1, 3, "must be 1, 2 or 3 (month within the quarter)")


def table(keys: dict[str, Check], extra: Check | None = None) -> Check:
    """A TOML table with exactly these keys, each held to its check, then `extra` on the whole."""

    def check(value: Any) -> str | None:
        if not isinstance(value, dict) or set(value) != set(keys):
            return "must be a table with exactly the keys " + ", ".join(keys)
        for key, inner in keys.items():
            problem = inner(value[key])
            if problem:
                return f"{key} {problem}"
        return extra(value) if extra else None

    return check


def day_of_year(month_key: str, day_key: str) -> Check:
    """The table's month and day name a day of a common year (no 29 February)."""

    def check(value: dict) -> str | None:
        try:
            dt.date(2001, value[month_key], value[day_key])
        except ValueError:
            return "is not a day of the year"
        return None

    return check


def not_shorter_than(other: str) -> Callable[[Any, Mapping[str, Any]], str | None]:
    def check(value: Any, values: Mapping[str, Any]) -> str | None:
        return (
            f"must not be shorter than {other}"
            if other in values and value < values[other]
            else None
        )

    return check
