"""Images: refuse before decoding what is too big, decode every frame (a truncated file fails
here), and re-encode the pixels alone — no EXIF (GPS), XMP, ICC profile or comment survives.

The resolution is kept only when the file's own header states one (JFIF density in dots per
inch or cm, PNG pHYs in metres, TIFF resolution tags); a dpi that Pillow derives from EXIF
(phones write a meaningless 72) is not carried over, and none is ever invented, so OCR can tell
"unknown" from "known"."""

from __future__ import annotations

import os
import tempfile
import warnings
from collections.abc import Iterator

from PIL import Image, ImageOps, UnidentifiedImageError

from giamsat.core.uploads import refusals

PIL_FORMAT = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/tiff": "TIFF",
    "image/gif": "GIF",
    "image/webp": "WEBP",
}
_BROKEN = (OSError, SyntaxError, ValueError, EOFError, UnidentifiedImageError)
_MODES = ("1", "L", "P", "RGB", "RGBA", "I;16", "CMYK", "LA")


def _open(path: str, name: str, field: str, max_pixels: int) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(path)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise refusals.pixel_bomb(name, field) from None
        except _BROKEN:
            raise refusals.broken_image(name, field) from None
    width, height = image.size
    if width <= 0 or height <= 0 or width * height > max_pixels:
        image.close()
        raise refusals.pixel_bomb(name, field)
    return image


def header_dpi(image: Image.Image) -> tuple[int, int] | None:
    """The resolution the file's header states, or None (never EXIF's, never a default)."""
    info = image.info
    if image.format == "JPEG":
        unit, density = info.get("jfif_unit"), info.get("jfif_density")
        if unit not in (1, 2) or not density:
            return None
        raw = tuple(v * 2.54 if unit == 2 else v for v in density)
    elif image.format in ("PNG", "TIFF") and info.get("dpi"):
        raw = tuple(info["dpi"])
    else:
        return None
    try:
        x, y = (round(float(v)) for v in raw)
    except (TypeError, ValueError):
        return None
    return (x, y) if 30 <= x <= 2400 and 30 <= y <= 2400 else None


def _frames(image: Image.Image) -> Iterator[Image.Image]:
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        yield image


def _pixels_only(frame: Image.Image) -> Image.Image:
    """A new image with the pixels only (empty info), turned upright per its EXIF first."""
    upright = ImageOps.exif_transpose(frame) or frame
    upright.load()  # raises on truncated data
    if upright.mode == "P":
        upright = upright.convert("RGBA" if "transparency" in upright.info else "RGB")
    elif upright.mode not in _MODES:
        upright = upright.convert("RGB")
    fresh = Image.new(upright.mode, upright.size)
    fresh.paste(upright)
    return fresh


def clean_image(
    path: str, content_type: str, *, name: str, field: str, max_pixels: int, max_pages: int
) -> tuple[str, int]:
    """Re-encode into a new temporary file: (its path, frame count). Refusals name the file."""
    image = _open(path, name, field, max_pixels)
    pages = getattr(image, "n_frames", 1)
    if pages > max_pages:
        image.close()
        raise refusals.too_many_pages(name, field, pages, max_pages)
    handle, out_path = tempfile.mkstemp(prefix="giamsat-clean-")
    os.close(handle)
    try:
        with image, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            dpi = header_dpi(image)
            clean = [_pixels_only(frame) for frame in _frames(image)]
            fmt = PIL_FORMAT[content_type]
            options: dict = {"dpi": dpi} if dpi else {}
            if fmt == "JPEG":
                clean = [c if c.mode in ("L", "RGB", "CMYK") else c.convert("RGB") for c in clean]
                options |= {"quality": 92, "optimize": True}
            elif fmt == "TIFF":
                options |= {"compression": "tiff_deflate"}
            if len(clean) > 1:
                options |= {"save_all": True, "append_images": clean[1:]}
            clean[0].save(out_path, format=fmt, **options)
    except refusals.Refusal:
        os.unlink(out_path)
        raise
    except (*_BROKEN, Image.DecompressionBombError, Image.DecompressionBombWarning):
        os.unlink(out_path)
        raise refusals.broken_image(name, field) from None
    except BaseException:
        os.unlink(out_path)
        raise
    return out_path, pages
