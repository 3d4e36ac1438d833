"""Image preparation for OCR (numpy and OpenCV): how big the text is, where the page lies in a
photo, how the light falls on it, how far the lines are tilted.

Each function takes and returns a grayscale `numpy.uint8` array and never raises on a page it
cannot make sense of: it then leaves the page as it is (or says None), and the caller keeps the
plain reading.
"""

from __future__ import annotations

import cv2
import numpy as np

#: The median height (px) of the letters' connected components of 12 pt text at 300 dpi, the
#: size tesseract reads best; what a page of unknown resolution is scaled to.
TEXT_HEIGHT_AT_300 = 30.0
#: Longest side of the small copy used to find the page and the skew (speed, not precision).
WORK_SIDE = 1000
MAX_SKEW_DEGREES = 8.0


def text_height(gray: np.ndarray) -> float | None:
    """Median height of the letter-sized dark blobs (None when there are too few to tell)."""
    if min(gray.shape) < 32:
        return None
    block = max(15, (min(gray.shape) // 40) | 1)
    ink = cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY_INV, block, 15
    )
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    heights = stats[1:, cv2.CC_STAT_HEIGHT].astype(np.float32)
    widths = stats[1:, cv2.CC_STAT_WIDTH].astype(np.float32)
    areas = stats[1:, cv2.CC_STAT_AREA].astype(np.float32)
    letters = (
        (heights >= 6)
        & (heights <= gray.shape[0] / 8)
        & (widths <= heights * 3)
        & (areas >= heights * widths * 0.1)
    )
    if count < 40 or letters.sum() < 30:
        return None
    tall = heights[letters]
    # Accents and dots are separate small blobs: the letters are the upper half of sizes.
    tall = tall[tall >= np.percentile(tall, 30)]
    return float(np.median(tall))


def flattened(gray: np.ndarray, letter_height: float | None) -> np.ndarray:
    """Contrast normalised: the page divided by an estimate of its own background (closing
    wider than the strokes), so shadows and falling light become white paper; then the ink
    stretched to black."""
    size = int(max(15, (letter_height or 30) * 1.5)) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    background = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, kernel)
    background = cv2.GaussianBlur(background, (0, 0), size / 3)
    # 8-bit all the way (a 12 MP photo stays ~12 MB a copy): paper ≈ 255 after the division.
    ratio = cv2.divide(gray, np.maximum(background, 1), scale=255)
    counts = np.cumsum(np.bincount(ratio.ravel(), minlength=256))
    low = int(np.searchsorted(counts, counts[-1] * 0.005))
    high = 250 if low < 240 else 255
    levels = (np.arange(256, dtype=np.float32) - low) * 255 / max(high - low, 1)
    return cv2.LUT(ratio, np.clip(levels, 0, 255).astype(np.uint8))


def _ordered(points: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    total, diff = points.sum(axis=1), np.diff(points, axis=1).ravel()
    return np.array(
        [
            points[total.argmin()],
            points[diff.argmin()],
            points[total.argmax()],
            points[diff.argmax()],
        ],
        dtype=np.float32,
    )


def page_corners(gray: np.ndarray) -> np.ndarray | None:
    """The four corners of a sheet of paper lying on a darker ground, or None (a scan, a
    page filling the frame, or nothing quadrilateral enough)."""
    scale = WORK_SIDE / max(gray.shape)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    _, bright = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # Text and shadows leave holes in the sheet: close them before looking at its outline.
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((25, 25), np.uint8))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    outline = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(outline) / (small.shape[0] * small.shape[1])
    if not 0.2 <= area <= 0.93:
        return None
    hull = cv2.convexHull(outline)
    quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
    if len(quad) != 4:
        return None
    return _ordered(quad.reshape(4, 2).astype(np.float32) / scale)


def unwarped(gray: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """The sheet inside `corners` as a straight rectangle (its sides' mean lengths)."""
    tl, tr, br, bl = corners
    width = int(round((np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2))
    height = int(round((np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2))
    target = np.array(
        [[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32
    )
    matrix = cv2.getPerspectiveTransform(corners, target)
    return cv2.warpPerspective(
        gray, matrix, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )


def skew_angle(gray: np.ndarray) -> float:
    """Degrees the text lines are tilted (counter-clockwise positive), by the rotation whose
    row profile is sharpest; 0 when nothing stands out."""
    scale = min(1.0, WORK_SIDE / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if ink.mean() < 1:
        return 0.0
    centre = (ink.shape[1] / 2, ink.shape[0] / 2)

    def sharpness(angle: float) -> float:
        matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
        turned = cv2.warpAffine(ink, matrix, (ink.shape[1], ink.shape[0]), flags=cv2.INTER_NEAREST)
        return float(np.var(turned.sum(axis=1, dtype=np.float64)))

    coarse = np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 0.01, 1.0)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.9, best + 0.91, 0.3)
    best = max(fine, key=sharpness)
    flat = sharpness(0.0)
    return float(best) if sharpness(best) > flat * 1.05 else 0.0


def rotated(gray: np.ndarray, angle: float) -> np.ndarray:
    """Turned by `angle` degrees about its centre, the new corners filled with white."""
    centre = (gray.shape[1] / 2, gray.shape[0] / 2)
    matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
    return cv2.warpAffine(
        gray,
        matrix,
        (gray.shape[1], gray.shape[0]),
        flags=cv2.INTER_CUBIC,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=255,
    )
