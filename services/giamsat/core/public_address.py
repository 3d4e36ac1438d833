"""The deployment's public address (`public_base_url`): what printed labels, emails and public
links start with — and why it is not usable yet, in words an admin can act on.

A printed QR label lives for years on a suggestion box: it must never point at an address only
the server itself can reach (127.0.0.1, localhost), nor at whatever address a page happened to
be asked on. Outside development those count as unset."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

SETTING = "GIAMSAT_PUBLIC_BASE_URL"
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "0.0.0.0"}


def _is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host in _LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def problem(settings) -> str | None:
    """Why the public address cannot be printed (a plain Vietnamese sentence), None if it can."""
    raw = (settings.public_base_url or "").strip()
    if not raw:
        return (
            f"Chưa đặt địa chỉ công khai của hệ thống. Quản trị viên máy chủ cần đặt biến môi "
            f"trường {SETTING} thành địa chỉ mọi người dùng để mở phần mềm (bắt đầu bằng "
            f"https và tên miền của tỉnh, ví dụ giamsat.tinh.gov.vn) rồi khởi động lại."
        )
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return (
            f"Địa chỉ công khai {SETTING} = “{raw}” không hợp lệ: phải bắt đầu bằng https "
            f"và có tên miền, ví dụ giamsat.tinh.gov.vn."
        )
    if _is_loopback(parts.hostname) and not settings.dev:
        return (
            f"Địa chỉ công khai {SETTING} = “{raw}” chỉ dùng được trên chính máy chủ, người dân "
            f"không mở được. Hãy đặt địa chỉ mà mọi người truy cập, ví dụ giamsat.tinh.gov.vn."
        )
    return None


def base_url(settings) -> str | None:
    """The public address without a trailing slash, None while `problem(settings)` says why."""
    if problem(settings) is not None:
        return None
    return settings.public_base_url.strip().rstrip("/")


def absolute(settings, path: str) -> str | None:
    """`path` ("/t/…") under the public address, None while it is not set."""
    base = base_url(settings)
    return None if base is None else base + path
