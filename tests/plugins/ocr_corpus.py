"""A small OCR test set made here: Vietnamese letters rendered with DejaVu fonts, then degraded
the way real inputs are (clean scan, fax, grey scan, multi-page PDF, phone photos), each with its
ground truth; plus the character error rate and the raw `tesseract -l vie` baseline.

Everything is generated from a seed, so a run is repeatable; the texts and fonts differ from
sample to sample so that no single rendering is what the product is tuned to.
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONTS = {
    "sans": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "serif": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "condensed": "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf",
}
SENTENCES = [
    "Tôi xin phản ánh việc đường làng bị hỏng nặng sau mùa mưa lũ vừa qua.",
    "Người dân đi lại rất khó khăn, nhất là học sinh và người già.",
    "Đề nghị chính quyền sớm sửa chữa con đường này trước Tết.",
    "Khu vực chợ cóc đầu thôn thường xuyên lấn chiếm lòng đường.",
    "Rác thải không được thu gom đúng giờ, gây mùi hôi ảnh hưởng sức khỏe.",
    "Gia đình tôi đã nhiều lần kiến nghị nhưng chưa nhận được trả lời.",
    "Trạm bơm nước của hợp tác xã hoạt động không ổn định suốt tháng qua.",
    "Việc bình xét hộ nghèo năm nay chưa công khai danh sách cho bà con.",
    "Xin Ủy ban Mặt trận xem xét và chuyển đến cơ quan có thẩm quyền.",
    "Đèn chiếu sáng ở ngã ba cầu Đông đã hỏng hơn hai tháng nay.",
    "Tiếng ồn từ xưởng mộc gần trường mẫu giáo kéo dài đến khuya.",
    "Chúng tôi mong sớm được giải quyết để bà con yên tâm sản xuất.",
]
OPENINGS = [
    ("ĐƠN PHẢN ÁNH", "Kính gửi: Ban Thường trực Ủy ban Mặt trận Tổ quốc xã"),
    ("ĐƠN KIẾN NGHỊ", "Kính gửi: Ban công tác Mặt trận khu dân cư thôn Đông"),
    ("THƯ GÓP Ý", "Kính gửi: Ủy ban Mặt trận Tổ quốc Việt Nam xã Hòa Bình"),
]
MASTER_DPI = 300
PAGE_INCHES = (5.83, 5.2)  # the upper part of an A5 page: enough text, small images


@dataclass(frozen=True)
class Sample:
    category: str
    name: str
    filename: str
    data: bytes
    truth: str  # the lines of every page, pages separated by a blank line


# --- rendering ---------------------------------------------------------------------------------


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and font.getlength(candidate) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def letter_lines(seed: int, sentences: int = 4) -> list[str]:
    rng = random.Random(seed)
    title, greeting = OPENINGS[seed % len(OPENINGS)]
    return [title, greeting, *rng.sample(SENTENCES, sentences)]


def render_page(paragraphs: list[str], font: str, *, dpi: int = MASTER_DPI) -> tuple:
    """(grayscale page, its lines as drawn) at `dpi`, 12 pt text, black on white."""
    width, height = (round(v * dpi) for v in PAGE_INCHES)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    face = ImageFont.truetype(FONTS[font], size=round(dpi * 12 / 72))
    margin, y, drawn = round(dpi * 0.6), round(dpi * 0.5), []
    for paragraph in paragraphs:
        for line in _wrap(paragraph, face, width - 2 * margin):
            draw.text((margin, y), line, font=face, fill=0)
            drawn.append(line)
            y += round(dpi * 0.27)
    return page, drawn


def _skew(image: Image.Image, degrees: float, fill=255) -> Image.Image:
    return image.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=fill)


def _scaled(image: Image.Image, dpi_x: float, dpi_y: float | None = None) -> Image.Image:
    dpi_y = dpi_y or dpi_x
    size = (round(image.width * dpi_x / MASTER_DPI), round(image.height * dpi_y / MASTER_DPI))
    return image.resize(size, Image.Resampling.LANCZOS)


def _noise(image: Image.Image, rng: random.Random, sigma: float) -> Image.Image:
    array = np.asarray(image, dtype=np.float32)
    noisy = array + np.random.default_rng(rng.randrange(1 << 30)).normal(0, sigma, array.shape)
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))


def _encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


# --- the degradations --------------------------------------------------------------------------


def clean_scan(page: Image.Image, rng: random.Random) -> bytes:
    return _encode(_skew(page, rng.uniform(-0.6, 0.6)), "PNG", dpi=(300, 300))


def fax(page: Image.Image, rng: random.Random) -> bytes:
    """Fine-mode fax: 204 × 196 dpi, one bit per pixel, specks and drop-outs."""
    low = _scaled(_skew(page, rng.uniform(-1.5, 1.5)), 204, 196)
    low = _noise(low, rng, 30)
    bits = low.point(lambda v: 255 if v > 140 else 0).convert("1")
    draw = ImageDraw.Draw(bits)
    for _ in range(bits.width * bits.height // 4000):
        draw.point((rng.randrange(bits.width), rng.randrange(bits.height)), fill=0)
    return _encode(bits, "TIFF", compression="group4", dpi=(204, 196))


def grey_scan(page: Image.Image, rng: random.Random, dpi: int = 200) -> Image.Image:
    """A faint grey scan: greyish paper, grey ink, a little blur and sensor noise."""
    paper, ink = rng.randrange(195, 220), rng.randrange(60, 95)
    toned = _skew(page, rng.uniform(-1.0, 1.0)).point(lambda v: ink + (paper - ink) * v // 255)
    toned = _scaled(toned.filter(ImageFilter.GaussianBlur(0.8)), dpi)
    return _noise(toned, rng, 6)


def grey_jpeg(page: Image.Image, rng: random.Random) -> bytes:
    return _encode(grey_scan(page, rng), "JPEG", quality=70, dpi=(200, 200))


def pdf(pages: list[Image.Image], rng: random.Random) -> bytes:
    scans = [grey_scan(p, rng, dpi=200) for p in pages]
    return _encode(scans[0], "PDF", save_all=True, append_images=scans[1:], resolution=200)


def _perspective_coefficients(corners, size) -> list[float]:
    """Coefficients for Image.transform(PERSPECTIVE): output pixel (x, y) → source pixel, where
    the source rectangle `size` lands on the output quadrilateral `corners`."""
    width, height = size
    source = [(0, 0), (width, 0), (width, height), (0, height)]
    rows, rhs = [], []
    for (x, y), (u, v) in zip(corners, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return list(np.linalg.solve(np.array(rows, float), np.array(rhs, float)))


def phone_photo(
    page: Image.Image,
    rng: random.Random,
    *,
    shadow: float = 0.45,
    tilt: float = 0.07,
    canvas: tuple[int, int] = (1000, 960),
) -> Image.Image:
    """The page photographed on a table under a lamp: tinted paper and grey ink, keystone
    perspective, uneven light, the soft-edged shadow of the hand holding the phone across the
    text, sensor noise and slight blur; the page fills most of the frame."""
    ink = rng.randrange(40, 80)
    tone = [page.point(lambda v, c=c: ink + (c - ink) * v // 255) for c in (236, 228, 210)]
    paper = Image.merge("RGB", tone)
    width, height = canvas
    table = Image.new("RGB", canvas, (112, 86, 62))
    table = Image.merge("RGB", [_noise(band, rng, 12) for band in table.split()])
    inner_w, inner_h = width * 0.88, width * 0.88 * page.height / page.width
    left, top = (width - inner_w) / 2, (height - inner_h) / 2

    def jitter(x: float, y: float) -> tuple[float, float]:
        return (x + rng.uniform(-tilt, tilt) * width, y + rng.uniform(-tilt, tilt) * height)

    corners = [
        jitter(left, top),
        jitter(left + inner_w, top),
        jitter(left + inner_w, top + inner_h),
        jitter(left, top + inner_h),
    ]
    coefficients = _perspective_coefficients(corners, paper.size)
    warped = paper.transform(
        canvas, Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BICUBIC
    )
    mask = Image.new("L", paper.size, 255).transform(
        canvas, Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BILINEAR
    )
    photo = Image.composite(warped, table, mask)
    # Light falling off towards one corner, and the hand's shadow over a part of the page.
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    cx, cy = rng.choice([(0, 0), (width, 0), (0, height), (width, height)])
    distance = np.hypot(xs - cx, ys - cy) / np.hypot(width, height)
    light = 1.0 - 0.35 * (1.0 - distance)
    hand = Image.new("L", canvas, 0)
    x0 = rng.uniform(0.45, 0.65) * width
    ImageDraw.Draw(hand).polygon(
        [(x0, height), (x0 + 0.25 * width, 0.35 * height), (width, 0.25 * height), (width, height)],
        fill=255,
    )
    hand_mask = np.asarray(hand.filter(ImageFilter.GaussianBlur(18)), np.float32) / 255
    light = light * (1.0 - shadow * hand_mask)
    shaded = np.asarray(photo, dtype=np.float32) * light[..., None]
    photo = Image.fromarray(np.clip(shaded, 0, 255).astype(np.uint8))
    photo = Image.merge("RGB", [_noise(band, rng, 7) for band in photo.split()])
    return photo.filter(ImageFilter.GaussianBlur(0.9))


def photo_jpeg(photo: Image.Image, *, quality: int, orientation: int | None = None) -> bytes:
    """As a phone saves it: JPEG with an EXIF block saying 72 dpi (what phones write, not the
    page's resolution) and, when given, the orientation tag."""
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Generic", "Phone"
    exif[0x011A], exif[0x011B], exif[0x0128] = 72.0, 72.0, 2
    if orientation is not None:
        exif[0x0112] = orientation
    return _encode(photo, "JPEG", quality=quality, exif=exif.tobytes())


def corpus(seed: int = 13) -> list[Sample]:
    """The samples, by category; each letter has its own text and font."""
    rng = random.Random(seed)
    samples: list[Sample] = []
    counter = iter(range(100))

    def page(font: str) -> tuple[Image.Image, str]:
        image, lines = render_page(letter_lines(seed * 100 + next(counter)), font)
        return image, "\n".join(lines)

    def add(category: str, name: str, ext: str, data: bytes, *truths: str) -> None:
        samples.append(Sample(category, name, f"{name}.{ext}", data, "\n\n".join(truths)))

    for font in ("sans", "serif"):
        image, truth = page(font)
        add("clean", f"clean-{font}", "png", clean_scan(image, rng), truth)
    for font in ("sans", "condensed"):
        image, truth = page(font)
        add("fax", f"fax-{font}", "tif", fax(image, rng), truth)
    for font in ("serif", "sans"):
        image, truth = page(font)
        add("grey", f"grey-{font}", "jpg", grey_jpeg(image, rng), truth)
    (first, one), (second, two) = page("sans"), page("serif")
    add("pdf", "pdf-two-pages", "pdf", pdf([first, second], rng), one, two)

    image, truth = page("sans")
    add("photo", "photo-perspective", "jpg", photo_jpeg(phone_photo(image, rng), quality=75), truth)
    image, truth = page("serif")
    shaded = phone_photo(image, rng, shadow=0.65, tilt=0.03)
    add("photo", "photo-shadow", "jpg", photo_jpeg(shaded, quality=75), truth)
    image, truth = page("condensed")
    add("photo", "photo-low-quality", "jpg", photo_jpeg(phone_photo(image, rng), quality=30), truth)

    image, truth = page("sans")
    sideways = phone_photo(image, rng).rotate(90, expand=True)  # the phone held sideways
    add(
        "photo_rotated",
        "photo-90-exif",
        "jpg",
        photo_jpeg(sideways, quality=70, orientation=6),
        truth,
    )
    image, truth = page("serif")
    upside_down = phone_photo(image, rng).rotate(180)
    add("photo_rotated", "photo-180", "jpg", photo_jpeg(upside_down, quality=70), truth)
    image, truth = page("condensed")
    sideways = phone_photo(image, rng).rotate(-90, expand=True)
    add("photo_rotated", "photo-90", "jpg", photo_jpeg(sideways, quality=70), truth)
    return samples


# --- measuring ---------------------------------------------------------------------------------


def normalised(text: str) -> str:
    """NFC, every run of whitespace one space: layout is not what is measured."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, start=1):
        current = [i]
        for j, other in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            )
        previous = current
    return previous[-1]


def cer(truth: str, text: str) -> float:
    """Character error rate: edits to turn the reading into the truth, per truth character."""
    truth, text = normalised(truth), normalised(text)
    return edit_distance(truth, text) / max(1, len(truth))


def raw_tesseract(sample: Sample) -> str:
    """What `tesseract FILE stdout -l vie` reads from the original file (a PDF, which tesseract
    cannot open, is rasterised page by page at its images' 200 dpi first)."""
    suffix = os.path.splitext(sample.filename)[1]
    if sample.filename.endswith(".pdf"):
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(sample.data)
        try:
            pages = []
            for index in range(len(document)):
                image = document[index].render(scale=200 / 72).to_pil().convert("L")
                pages.append(_tesseract(_encode(image, "PNG", dpi=(200, 200)), ".png"))
        finally:
            document.close()
        return "\n\n".join(pages)
    return _tesseract(sample.data, suffix)


def _tesseract(data: bytes, suffix: str) -> str:
    handle, path = tempfile.mkstemp(prefix="ocr-corpus-", suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        done = subprocess.run(
            ["tesseract", path, "stdout", "-l", "vie"],
            capture_output=True,
            check=True,
            env=os.environ | {"OMP_THREAD_LIMIT": "1"},
        )
        return done.stdout.decode("utf-8", "replace")
    finally:
        os.unlink(path)
