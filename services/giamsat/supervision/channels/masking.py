"""The contact of a respected person as lists show it: personal data, so never in full."""

from __future__ import annotations

#: What a list shows for a contact with too few digits to keep a tail (an address).
HIDDEN = "(đã ẩn)"


def masked_contact(contact: str | None) -> str:
    """ "0912 345 678" → "•••••••678" (enough to tell two numbers apart); any other text
    (an address) → "(đã ẩn)"; nothing → ""."""
    text = (contact or "").strip()
    if not text:
        return ""
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) >= 8:
        return "•" * (len(digits) - 3) + digits[-3:]
    return HIDDEN
