"""The password policy, the same wherever a password is set (pages, API, `giamsat users create`).

Offline: zxcvbn's bundled lists of common and leaked passwords, plus a few Vietnamese ones
and the person's own names. A refused password gets a message that says why."""

from __future__ import annotations

from collections.abc import Iterable

from zxcvbn import zxcvbn

from giamsat.core.errors import ValidationFailed

MIN_LENGTH = 10
#: zxcvbn's score 0–4; 3 is "safely unguessable: moderate protection from offline attacks".
MIN_SCORE = 3
#: zxcvbn's time grows with length; the first characters decide anyway.
_ANALYSED = 100

#: Common Vietnamese passwords and words zxcvbn's English lists lack (lowercase, no accents).
VIETNAMESE_COMMON = (
    "matkhau",
    "mat-khau",
    "matkhau123",
    "anhyeuem",
    "emyeuanh",
    "yeuem",
    "iloveyou",
    "vietnam",
    "hanoi",
    "saigon",
    "hochiminh",
    "matran",
    "mattran",
    "mttq",
    "giamsat",
    "quantri",
    "admin",
    "nguyen",
    "tran",
    "hoang",
    "xinchao",
    "conga",
)

TOO_SHORT = "Mật khẩu cần ít nhất {n} ký tự."
#: Why a password is easy to guess, by zxcvbn pattern, most telling first.
_REASONS = (
    ("user_inputs", "Mật khẩu chứa tên đăng nhập, họ tên hoặc tên của đơn vị: dễ đoán."),
    ("passwords", "Đây là mật khẩu phổ biến, kẻ gian thường thử trước tiên."),
    ("vietnamese", "Mật khẩu dựa trên một từ hoặc mật khẩu tiếng Việt rất thông dụng."),
    ("repeat", "Mật khẩu lặp lại một ký tự hoặc một cụm ký tự (như “aaaa”, “abcabc”)."),
    ("sequence", "Mật khẩu là một dãy liên tiếp (như “abcd”, “1234”)."),
    ("spatial", "Mật khẩu là các phím liền nhau trên bàn phím (như “qwerty”)."),
    ("date", "Mật khẩu giống một ngày tháng, như ngày sinh."),
    ("dictionary", "Mật khẩu chủ yếu là một từ hoặc một tên thông dụng."),
)
ADVICE = "Hãy dùng một câu dài gồm vài từ mà chỉ bạn biết, ví dụ “mua-phun ngo-nho 7 cay-bang”."


def _reason(result: dict) -> str:
    found: set[str] = set()
    for match in result.get("sequence", []):
        pattern = match.get("pattern", "")
        if pattern == "dictionary":
            name = match.get("dictionary_name", "")
            if name == "user_inputs" and match.get("matched_word") in VIETNAMESE_COMMON:
                found.add("vietnamese")
            elif name in ("user_inputs", "passwords"):
                found.add(name)
        found.add(pattern)
    for key, text in _REASONS:
        if key in found:
            return text
    return "Mật khẩu này dễ đoán."


def password_problem(password: str, personal: Iterable[str | None] = ()) -> str | None:
    """Why `password` is refused (a Vietnamese sentence), or None if it is good enough.

    `personal` are the person's username, name, email: a password made of them is refused."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT.format(n=MIN_LENGTH) + " " + ADVICE
    inputs = [*VIETNAMESE_COMMON]
    for value in personal:
        for part in (value or "").lower().replace("@", " ").replace(".", " ").split():
            inputs.append(part)
        if value:
            inputs.append(value.lower())
    result = zxcvbn(password[:_ANALYSED], user_inputs=inputs)
    if result["score"] >= MIN_SCORE:
        return None
    return f"{_reason(result)} {ADVICE}"


def check_password(password: str, personal: Iterable[str | None] = (), *, field="password") -> None:
    """Raise ValidationFailed on `field` when the policy refuses `password`."""
    problem = password_problem(password, personal)
    if problem:
        raise ValidationFailed(problem, field=field)
