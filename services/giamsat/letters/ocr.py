"""Vietnamese OCR with Tesseract (`-l vie`), one page in memory at a time.

Pages are rasterised (PDF, with pdfium) or decoded (images) here; `ocr_reading` prepares each
page (resolution, orientation, photo clean-up) and keeps the reading tesseract is most confident
in. No tesseract on the machine → `unavailable`: the letters are kept and viewable, just not read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from PIL import Image

from giamsat.letters.scans import MAX_PIXELS, PDF

TARGET_DPI = 300
#: Below this a stated resolution is a screen or camera default (72, 96), not a scan's.
MIN_SCAN_DPI = 100
MAX_SCAN_DPI = 1200
LANGUAGE = "vie"
TIMEOUT_SECONDS = 300


class OcrUnavailable(Exception):
    """Tesseract (or its Vietnamese data) is not installed."""


class OcrFailed(Exception):
    """Recognition failed; the message is the reason shown with the letter."""


@dataclass
class PageImage:
    number: int
    image: Image.Image  # as decoded: grayscale or RGB, upright as stored
    #: The resolution the file states when it is a plausible scan resolution, else None.
    dpi: float | None


@dataclass
class Reading:
    text: str
    #: (confidence 0–100, word) of every word tesseract recognised.
    words: list[tuple[float, str]] = field(default_factory=list)

    @property
    def score(self) -> float:
        """Characters tesseract expects to be right: a fuller reading wins over a short one
        of equal confidence, and noise read as low-confidence marks adds little."""
        return sum(conf / 100 * len(word) for conf, word in self.words)

    @property
    def confidence(self) -> float:
        chars = sum(len(word) for _, word in self.words)
        return self.score * 100 / chars if chars else 0.0


def tesseract_command() -> str:
    found = shutil.which(os.environ.get("GIAMSAT_TESSERACT", "tesseract"))
    if not found:
        raise OcrUnavailable("chưa cài Tesseract trên máy chủ")
    return found


def trusted_dpi(value) -> float | None:
    """The stated horizontal resolution when it can be a scanner's; None otherwise."""
    try:
        dpi = float(value[0] if isinstance(value, tuple | list) else value)
    except (TypeError, ValueError, IndexError):
        return None
    return dpi if MIN_SCAN_DPI <= dpi <= MAX_SCAN_DPI else None


def scaled(image: Image.Image, source_dpi: float, target_dpi: float) -> tuple[Image.Image, int]:
    """Resampled from `source_dpi` towards `target_dpi` (3× up at most, within MAX_PIXELS);
    the resolution it then has."""
    factor = min(max(target_dpi / source_dpi, 0.25), 3.0)
    if factor * factor * image.width * image.height > MAX_PIXELS:
        factor = (MAX_PIXELS / (image.width * image.height)) ** 0.5
    if abs(factor - 1) <= 0.1:
        return image, round(source_dpi)
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    return image.resize(size, Image.Resampling.LANCZOS), round(source_dpi * factor)


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
                yield PageImage(index + 1, image, 72 * scale)
        finally:
            document.close()
        return
    with Image.open(path) as source:
        for index in range(getattr(source, "n_frames", 1)):
            source.seek(index)
            dpi = trusted_dpi(source.info.get("dpi"))
            image = source.convert("RGB" if source.mode in ("RGB", "RGBA", "CMYK", "P") else "L")
            yield PageImage(index + 1, image, dpi)


def tesseract(
    image: Image.Image, *args: str, dpi: int | None, timeout: int = TIMEOUT_SECONDS
) -> tuple[str, str]:
    """Run tesseract on `image` (a temporary PNG) with `args`: (stdout, stderr)."""
    command = tesseract_command()
    handle, path = tempfile.mkstemp(prefix="giamsat-ocr-", suffix=".png")
    os.close(handle)
    try:
        image.save(path, format="PNG")
        # One thread: the OCR queue runs beside the web process on small machines.
        env = os.environ | {"OMP_THREAD_LIMIT": "1"}
        resolution = ["--dpi", str(dpi)] if dpi else []
        try:
            done = subprocess.run(
                [command, path, "stdout", *resolution, *args],
                capture_output=True,
                timeout=timeout,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise OcrFailed(f"nhận dạng một trang quá {timeout} giây") from None
        except OSError as exc:
            raise OcrFailed(f"không chạy được tesseract: {exc}") from None
        stderr = done.stderr.decode("utf-8", "replace")
        if done.returncode != 0:
            detail = stderr.strip().splitlines()
            raise OcrFailed(
                "tesseract báo lỗi: " + (detail[-1] if detail else f"mã {done.returncode}")
            )
        return done.stdout.decode("utf-8", "replace"), stderr
    finally:
        os.unlink(path)


def read(image: Image.Image, *, dpi: int | None, language: str = LANGUAGE, psm: int = 3) -> Reading:
    """Text and word confidences of one page, from one run of tesseract (TSV output)."""
    out, _ = tesseract(image, "-l", language, "--psm", str(psm), "tsv", dpi=dpi)
    return reading_from_tsv(out)


def reading_from_tsv(tsv: str) -> Reading:
    """Lines rebuilt from the words of tesseract's TSV; paragraphs separated by a blank line."""
    words: list[tuple[float, str]] = []
    lines: list[str] = []
    current_key, current, last_paragraph = None, [], None
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        paragraph, key = tuple(cells[1:4]), tuple(cells[1:5])
        if key != current_key:
            if current:
                lines.append(" ".join(current))
            if last_paragraph is not None and paragraph != last_paragraph:
                lines.append("")
            current_key, current, last_paragraph = key, [], paragraph
        word = cells[11].strip()
        current.append(word)
        words.append((max(0.0, float(cells[10])), word))
    if current:
        lines.append(" ".join(current))
    return Reading("\n".join(lines).strip(), words)
