"""Letters test helpers: generated scans (Vietnamese text rendered with DejaVu Sans, noise,
slight skew) and posting batches of them like a person with a browser."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFont

from giamsat.letters.scans import IncomingFile
from tests.plugins.pages import Pages

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LETTER_LINES = [
    "Kính gửi Ban công tác Mặt trận khu dân cư",
    "Tôi xin phản ánh việc đường làng bị hỏng nặng",
    "sau mùa mưa lũ, người dân đi lại rất khó khăn.",
    "Đề nghị chính quyền sớm sửa chữa con đường này.",
]


def letter_page(lines=LETTER_LINES, *, dpi=300, skew=1.2, noise=0.02, seed=7) -> Image.Image:
    """An A4 page at `dpi` with the lines in DejaVu Sans, speckle noise and a slight skew."""
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, size=int(dpi * 0.2))
    y = int(dpi * 1.2)
    for line in lines:
        draw.text((int(dpi * 0.9), y), line, font=font, fill=0)
        y += int(dpi * 0.4)
    rng = random.Random(seed)
    for _ in range(int(width * height * noise / 50)):
        x, yy = rng.randrange(width), rng.randrange(height)
        draw.point((x, yy), fill=rng.randrange(0, 160))
    return page.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255, expand=False)


def as_bytes(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def incoming(data: bytes, name: str) -> IncomingFile:
    return IncomingFile(io.BytesIO(data), name)


def upload_batch(
    pages: Pages, opening_id: int, letters: list[list[tuple[bytes, str]]], slug: str = "alpha"
):
    """Post the batch upload form: letter n's files go in the slot `letter_n`."""
    data = {"slots": str(len(letters))}
    for number, files in enumerate(letters, start=1):
        data[f"letter_{number}"] = [(io.BytesIO(body), name) for body, name in files]
    response = pages.post(
        f"/t/{slug}/letters/openings/{opening_id}/upload", data, content_type="multipart/form-data"
    )
    close_body(response)
    return response


def close_body(response) -> None:
    """The test client encodes a big multipart body into a temporary file it never closes."""
    body = response.request.environ.get("wsgi.input")
    if body is not None and not body.closed:
        body.close()
