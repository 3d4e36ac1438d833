"""Master keys and the protected person of the reporter-protection tests."""

from __future__ import annotations

import base64


def master_entry(key_id: str, fill: int) -> str:
    return f"{key_id}:{base64.b64encode(bytes([fill]) * 32).decode()}"


K1 = master_entry("k1", 1)
K2 = master_entry("k2", 2)
#: The protected person: every test looks for these exact strings (and their folded forms).
IDENTITY = {
    "name": "Trần Thị Bảo Mật",
    "contact": "0912 345 678",
    "address": "Số 7 ngõ Kín, thôn Một",
}
NEEDLES = (
    *IDENTITY.values(),
    "tran thi bao mat",
    "Tran Thi Bao Mat",
    "0912345678",
    "ngõ Kín",
    "ngo Kin",
)
