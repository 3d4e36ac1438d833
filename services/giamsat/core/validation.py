"""One validation vocabulary for operations in every domain: collect field errors, then raise
one ValidationFailed (a 422 naming every bad field, or messages next to a page's fields).

    errors = Errors()
    title = errors.text(values.get("title"), "title", label="Tiêu đề", required=True,
                        max_length=300)
    kind = errors.choice(CaseKind, values.get("kind"), "kind", labels=KIND_LABELS)
    errors.raise_if_any()

Each check returns the cleaned value, or None after recording the problem on its field.
Messages are plain Vietnamese sentences that say what to type.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import Any, TypeVar

from giamsat.core.errors import ValidationFailed

E = TypeVar("E", bound=enum.Enum)

#: Said when several fields are wrong at once (the fields carry their own messages).
SEVERAL_PROBLEMS = "Thông tin chưa hợp lệ; hãy sửa các ô được đánh dấu."


def one_line(value: Any) -> str:
    """Text with runs of white space (newlines included) folded to single spaces."""
    return " ".join(str(value or "").split())


class Errors:
    """Collects field errors so one ValidationFailed names every bad field."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def __bool__(self) -> bool:
        return bool(self.errors)

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self, message: str | None = None) -> None:
        if self.errors:
            first = next(iter(self.errors.values()))[0]
            raise ValidationFailed(
                message or (first if len(self.errors) == 1 else SEVERAL_PROBLEMS),
                errors=self.errors,
            )

    # --- the common checks ---------------------------------------------------------------

    def text(
        self,
        value: Any,
        field: str,
        *,
        label: str,
        required: bool = False,
        max_length: int | None = None,
        single_line: bool = True,
    ) -> str | None:
        """Text typed by a person: trimmed (folded to one line unless `single_line=False`)."""
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.add(field, f"{label} phải là chữ.")
            return None
        value = one_line(value) if single_line else value.strip()
        if required and not value:
            self.add(field, f"Hãy nhập {label[:1].lower() + label[1:]}.")
            return None
        if max_length and len(value) > max_length:
            self.add(field, f"{label} dài quá {max_length} ký tự.")
            return None
        return value

    def choice(
        self,
        cls: type[E],
        value: Any,
        field: str,
        *,
        labels: Mapping[Any, Any] | None = None,
        required: bool = True,
        message: str | None = None,
    ) -> E | None:
        """One member of the enum `cls`, given as the member or its value."""
        if value in (None, "") and not required:
            return None
        if isinstance(value, cls):
            return value
        try:
            return cls(value)
        except ValueError:
            allowed = ", ".join(str(labels[m]) if labels else str(m.value) for m in cls)
            self.add(field, message or f"Giá trị không hợp lệ. Chọn một trong: {allowed}.")
            return None

    def count(
        self, value: Any, field: str, *, label: str = "Số lượng", required: bool = False
    ) -> int | None:
        """A whole number, 0 or more; None stays None unless required."""
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.add(field, f"{label} phải là số nguyên, không âm.")
            return None
        return value

    def date(
        self,
        value: Any,
        field: str,
        *,
        label: str = "Ngày",
        required: bool = False,
        not_after: dt.date | None = None,
        not_before: dt.date | None = None,
    ) -> dt.date | None:
        """A calendar date, optionally within bounds (e.g. not after today in Vietnam)."""
        if value is None:
            if required:
                self.add(field, f"Hãy nhập {label[:1].lower() + label[1:]}.")
            return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            self.add(field, f"{label} không hợp lệ. Hãy nhập theo dạng ngày/tháng/năm.")
            return None
        if not_after is not None and value > not_after:
            self.add(field, f"{label} không được sau ngày {not_after:%d/%m/%Y}.")
            return None
        if not_before is not None and value < not_before:
            self.add(field, f"{label} không được trước ngày {not_before:%d/%m/%Y}.")
            return None
        return value


def check(value: Any, field: str, method: str, /, **kwargs: Any) -> Any:
    """One check raising at once: `check(v, "title", "text", label="Tiêu đề", required=True)`."""
    errors = Errors()
    result = getattr(errors, method)(value, field, **kwargs)
    errors.raise_if_any()
    return result
