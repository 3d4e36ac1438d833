"""Reading one page: the right resolution, upright, and for photos a cleaned-up copy; of the
candidate readings, the one tesseract is most confident in is kept.

- Resolution: a scanner's stated dpi is used as it is (and the page brought to about 300 dpi);
  a missing or screen-default one (72, 96 — what phones write) is estimated from the height of
  the letters, and tesseract is told the resolution the page then really has.
- Orientation: tesseract's OSD (`-l osd --psm 0`) says how far the page is turned (90°, 180°).
- Photos (no scan resolution) and pages read with little confidence get a second candidate:
  the sheet cut out of the photo and straightened (perspective), the light evened out
  (contrast normalisation) and the small skew removed.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from giamsat.letters import ocr, ocr_image
from giamsat.letters.ocr import TARGET_DPI, OcrFailed, PageImage, Reading

log = logging.getLogger(__name__)
#: Below this mean confidence a plain reading is doubted, and the cleaned copy tried too.
CONFIDENT = 85.0
#: OSD turns a page only when it is at least this sure (its scale: ~1 guess, 5+ clear).
OSD_CONFIDENCE = 1.5
MIN_SKEW_DEGREES = 0.4
#: Resolutions tesseract reads well as they are.
MIN_NATIVE_DPI, MAX_NATIVE_DPI = 200, 600


@dataclass
class PageReading:
    reading: Reading
    image: Image.Image  # the page as read: upright, at `dpi`
    dpi: int
    candidate: str  # "plain" or "cleaned", for the record


def estimated_dpi(gray: np.ndarray) -> float | None:
    """The resolution at which the letters would be 12 pt, from their measured height."""
    height = ocr_image.text_height(gray)
    return TARGET_DPI * height / ocr_image.TEXT_HEIGHT_AT_300 if height else None


def orientation(image: Image.Image, dpi: int | None) -> int:
    """Degrees to turn the page clockwise to make it upright (0, 90, 180, 270)."""
    try:
        out, _ = ocr.tesseract(image, "-l", "osd", "--psm", "0", dpi=dpi)
    except OcrFailed:  # too little text to tell: leave the page as it is
        return 0
    rotate = re.search(r"Rotate:\s*(\d+)", out)
    sure = re.search(r"Orientation confidence:\s*([\d.]+)", out)
    if not rotate or not sure or float(sure.group(1)) < OSD_CONFIDENCE:
        return 0
    return int(rotate.group(1)) % 360


def _turned(image: Image.Image, clockwise: int) -> Image.Image:
    if not clockwise:
        return image
    return image.rotate(-clockwise, expand=True, fillcolor=255)


def _at_working_size(gray: Image.Image, dpi: float | None) -> tuple[Image.Image, int | None]:
    """Resampled only when the text is too small or needlessly large for tesseract: resampling
    a fax or a 200 dpi scan smears its specks into marks tesseract then reads."""
    if dpi is None:  # nothing to go by: as it is, and tesseract estimates
        return gray, None
    if MIN_NATIVE_DPI <= dpi <= MAX_NATIVE_DPI:
        return gray, round(dpi)
    return ocr.scaled(gray, dpi, TARGET_DPI)


def cleaned(gray: np.ndarray, dpi: float | None) -> tuple[np.ndarray, float | None]:
    """The photo clean-up: straightened sheet, even light, no skew; and its resolution."""
    corners = ocr_image.page_corners(gray)
    if corners is not None:
        gray = ocr_image.unwarped(gray, corners)
        dpi = estimated_dpi(gray) or dpi
    height = dpi * ocr_image.TEXT_HEIGHT_AT_300 / TARGET_DPI if dpi else None
    gray = ocr_image.flattened(gray, height)
    angle = ocr_image.skew_angle(gray)
    if abs(angle) >= MIN_SKEW_DEGREES:
        gray = ocr_image.rotated(gray, angle)
    return gray, dpi


def read_page(page: PageImage) -> PageReading:
    """The best reading of one page (see the module's doc)."""
    gray = page.image.convert("L")
    photo = page.dpi is None
    plain, plain_dpi = _at_working_size(gray, page.dpi or estimated_dpi(np.asarray(gray)))
    # The clean-up works on the page at its working size: a large photo is cleaned already
    # brought down to ~300 dpi, which bounds the memory it takes.
    pixels = np.asarray(plain)
    fixed: tuple[Image.Image, int | None] | None = None
    if photo:  # the clean copy tells the orientation of a photo better than the photo
        fixed = _at_working_size(*_cleaned_image(pixels, plain_dpi))
    turn = orientation(*(fixed or (plain, plain_dpi)))
    plain = _turned(plain, turn)
    best = PageReading(ocr.read(plain, dpi=plain_dpi), plain, plain_dpi or TARGET_DPI, "plain")
    if fixed is None and best.reading.confidence < CONFIDENT:
        fixed = _at_working_size(*_cleaned_image(pixels, plain_dpi))
    if fixed is not None:
        image, image_dpi = _turned(fixed[0], turn), fixed[1]
        other = PageReading(
            ocr.read(image, dpi=image_dpi), image, image_dpi or TARGET_DPI, "cleaned"
        )
        if other.reading.score > best.reading.score:
            best = other
    return best


def _cleaned_image(pixels: np.ndarray, dpi: float | None) -> tuple[Image.Image, float | None]:
    try:
        fixed, fixed_dpi = cleaned(pixels, dpi)
    except cv2.error:  # an image OpenCV cannot work on: the plain copy again, not a failure
        log.warning("OCR clean-up skipped", exc_info=True)
        return Image.fromarray(pixels), dpi
    return Image.fromarray(fixed), fixed_dpi
