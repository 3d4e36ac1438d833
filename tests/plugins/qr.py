"""Reading a printed QR label back: the label's inline SVG (segno's path of horizontal module
runs) drawn as pixels and decoded by OpenCV, as a phone camera would; and the `public_address`
fixture that configures the deployment's public address for one test."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest

MODULE_PX = 8


def _modules(svg: str) -> np.ndarray:
    size = int(re.search(r'<path fill="#fff" d="M0 0h(\d+)v', svg).group(1))
    path = re.search(r'class="qrline"[^>]*d="([^"]+)"', svg).group(1)
    dark = np.zeros((size, size), dtype=bool)
    x = y = 0.0
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?:\s(-?[\d.]+))?", path):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:  # h: a run of dark modules along the row whose centre line is y
            length = float(a)
            dark[int(y), int(x) : int(x + length)] = True
            x += length
    return dark


def decode_label_qr(html: str) -> str:
    """The text a QR reader gets from the first segno SVG of the page."""
    import cv2

    svg = re.search(r'<svg viewBox="[^"]+" class="segno">.*?</svg>', html, re.S).group(0)
    pixels = np.where(_modules(svg), 0, 255).astype(np.uint8)
    image = np.kron(pixels, np.ones((MODULE_PX, MODULE_PX), dtype=np.uint8))
    text, _points, _code = cv2.QRCodeDetector().detectAndDecode(image)
    assert text, "the label's QR code does not decode"
    return text


@pytest.fixture()
def public_address(app):
    """`public_address("https://…")` — the deployment's GIAMSAT_PUBLIC_BASE_URL for this test
    (`dev=True` too when asked: loopback addresses are accepted only there)."""

    def set_(url: str, *, dev: bool = False) -> None:
        app.config["GIAMSAT"] = dataclasses.replace(
            app.config["GIAMSAT"], public_base_url=url, dev=dev
        )

    return set_
