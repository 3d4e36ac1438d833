"""Small JPEG previews of letter pages for the viewer."""

from __future__ import annotations

import io

from PIL import Image

THUMBNAIL_WIDTH = 300
CONTENT_TYPE = "image/jpeg"


def thumbnail_key(file_key: str, page_number: int) -> str:
    """Derived from the file's key: a re-run overwrites instead of leaving orphans."""
    return f"{file_key}-p{page_number:03d}-thumb"


def thumbnail_jpeg(page: Image.Image, width: int = THUMBNAIL_WIDTH) -> bytes:
    height = max(1, round(page.height * width / page.width))
    small = page.convert("L").resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    small.save(out, format="JPEG", quality=80, optimize=True)
    return out.getvalue()
