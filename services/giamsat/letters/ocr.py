"""Vietnamese OCR with Tesseract (`-l vie`), one page in memory at a time.

Pages are rasterised (PDF, with pdfium) or decoded (images), converted to grayscale and
normalised to about 300 dpi before recognition. No tesseract on the machine → `unavailable`:
the letters are kept and viewable, just not read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image

from giamsat.letters.scans import MAX_PIXELS, PDF

TARGET_DPI = 300
#: An image without a resolution is taken to be an A4 page photographed or scanned whole.
A4_WIDTH_INCHES = 8.27
LANGUAGE = "vie"
TIMEOUT_SECONDS = 300


class OcrUnavailable(Exception):
    """Tesseract (or its Vietnamese data) is not installed."""


class OcrFailed(Exception):
    """Recognition failed; the message is the reason shown with the letter."""


@dataclass
class PageImage:
    number: int
    image: Image.Image  # grayscale, ~300 dpi
    dpi: int


def tesseract_command() -> str:
    found = shutil.which(os.environ.get("GIAMSAT_TESSERACT", "tesseract"))
    if not found:
        raise OcrUnavailable("chưa cài Tesseract trên máy chủ")
    return found


def _normalised(image: Image.Image, dpi: float | None) -> tuple[Image.Image, int]:
    gray = image.convert("L")
    source = dpi or gray.width / A4_WIDTH_INCHES
    factor = min(max(TARGET_DPI / source, 0.25), 3.0)
    if factor * factor * gray.width * gray.height > MAX_PIXELS:
        factor = (MAX_PIXELS / (gray.width * gray.height)) ** 0.5
    if abs(factor - 1) > 0.1:
        size = (max(1, round(gray.width * factor)), max(1, round(gray.height * factor)))
        gray = gray.resize(size, Image.Resampling.LANCZOS)
    return gray, round(source * factor)


def iter_pages(path: str, content_type: str) -> Iterator[PageImage]:
    """The pages of a stored file, one at a time (the previous is released before the next)."""
    if content_type == PDF:
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(path)
        try:
            for index in range(len(document)):
                page = document[index]
                try:
                    width_pt, height_pt = page.get_size()
                    scale = TARGET_DPI / 72
                    if width_pt * height_pt * scale * scale > MAX_PIXELS:
                        scale = (MAX_PIXELS / (width_pt * height_pt)) ** 0.5
                    bitmap = page.render(scale=scale, grayscale=True)
                    image = bitmap.to_pil().convert("L")
                    bitmap.close()
                finally:
                    page.close()
                yield PageImage(index + 1, image, round(72 * scale))
        finally:
            document.close()
        return
    with Image.open(path) as source:
        for index in range(getattr(source, "n_frames", 1)):
            source.seek(index)
            dpi = source.info.get("dpi")
            dpi_x = float(dpi[0]) if dpi and float(dpi[0]) >= 30 else None
            image, effective = _normalised(source, dpi_x)
            yield PageImage(index + 1, image, effective)


def recognize(
    image: Image.Image, *, language: str = LANGUAGE, timeout: int = TIMEOUT_SECONDS
) -> str:
    """The text of one page (stdout of tesseract on a temporary PNG)."""
    command = tesseract_command()
    handle, path = tempfile.mkstemp(prefix="giamsat-ocr-", suffix=".png")
    os.close(handle)
    try:
        image.save(path, format="PNG", dpi=(TARGET_DPI, TARGET_DPI))
        # One thread: the OCR queue runs beside the web process on small machines.
        env = os.environ | {"OMP_THREAD_LIMIT": "1"}
        try:
            done = subprocess.run(
                [command, path, "stdout", "-l", language, "--psm", "3"],
                capture_output=True,
                timeout=timeout,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise OcrFailed(f"nhận dạng một trang quá {timeout} giây") from None
        except OSError as exc:
            raise OcrFailed(f"không chạy được tesseract: {exc}") from None
        if done.returncode != 0:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise OcrFailed(
                "tesseract báo lỗi: " + (detail[-1] if detail else f"mã {done.returncode}")
            )
        return done.stdout.decode("utf-8", "replace").strip()
    finally:
        os.unlink(path)
