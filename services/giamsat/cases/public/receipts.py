"""Receipt codes (mã tra cứu): 20 random digits shown once to a public sender, stored hashed.

The hash is a plain SHA-256 of the code with a fixed label, not an HMAC with the app's secret:
a code carries 66 bits from `secrets`, so unlike a password it cannot be guessed from its hash
offline, and the hash must not change when the secret key is rotated or (in development) is
random per process — every code already handed out on paper would stop working.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from giamsat.cases.models import Case, CaseReceipt
from giamsat.core.db import utcnow

#: Digits of a code; grouped by 4 for reading aloud and copying by hand.
CODE_DIGITS = 20
_GROUP = 4
#: Separators people type between the groups (spaces, dashes, dots).
_SEPARATORS = re.compile(r"[\s\-.]+")
_HASH_LABEL = b"giamsat-receipt-v1:"


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def format_code(code: str) -> str:
    """ "1234 5678 9012 3456 7890": easier to read, write down and type back."""
    return " ".join(code[i : i + _GROUP] for i in range(0, len(code), _GROUP))


def normalize_code(raw: str | None) -> str | None:
    """The digits of a typed code, or None when it cannot be one (wrong length, letters)."""
    digits = _SEPARATORS.sub("", raw or "")
    if len(digits) != CODE_DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    return digits


def hash_code(code: str) -> str:
    return hashlib.sha256(_HASH_LABEL + code.encode("ascii")).hexdigest()


def issue_receipt(session: Session, case: Case) -> str:
    """Create the case's receipt; return the code, which exists nowhere else from now on."""
    code = new_code()
    session.add(CaseReceipt(case_id=case.id, code_hash=hash_code(code)))
    session.flush()
    return code


def case_for_code(session: Session, raw: str | None) -> Case | None:
    """The case a typed code belongs to (in this tenant's schema only), or None."""
    code = normalize_code(raw)
    if code is None:
        return None
    receipt = session.scalar(select(CaseReceipt).where(CaseReceipt.code_hash == hash_code(code)))
    if receipt is None:
        return None
    receipt.last_seen_at = utcnow()
    return session.get(Case, receipt.case_id)
