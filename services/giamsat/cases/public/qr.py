"""QR codes drawn on the server as inline SVG (segno): no script, no image request."""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(data: str, *, scale: int = 6) -> Markup:
    """An <svg> element of `data` with medium error correction (survives a scuffed label)."""
    code = segno.make(data, error="m", micro=False)
    # Sized by a viewBox (omitsize) so the label CSS sets its printed size. segno writes only its
    # own markup around the drawn path; `data` is not embedded as text.
    return Markup(
        code.svg_inline(scale=scale, border=4, omitsize=True, title="QR", dark="#000", light="#fff")
    )
