"""Hostile and tricky files for the upload door, made here (nothing downloaded): a PDF with
JavaScript, a pixel bomb, a truncated JPEG, a ZIP named .pdf, an XLSX that inflates to ~400 MB,
a phone photo with GPS EXIF; and the checks that a stored file carries no metadata."""

from __future__ import annotations

import functools
import io
import zipfile

import pikepdf
from PIL import Image, ImageDraw

GPS_MARKERS = (b"PhoneMaker", b"Model X", b"secret comment", b"fake-icc-profile")


def _page(size=(600, 800)) -> Image.Image:
    page = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(page)
    for y in range(60, size[1] - 60, 40):
        draw.line((50, y, size[0] - 50, y), fill="black", width=3)
    return page


def clean_pdf(pages: int = 1) -> bytes:
    """A PDF with nothing to strip (no information dictionary, no XMP): stored as sent."""
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    out = io.BytesIO()
    pdf.save(out, fix_metadata_version=False, deterministic_id=True)
    return out.getvalue()


def pdf_with_javascript() -> bytes:
    pdf = pikepdf.open(io.BytesIO(clean_pdf()))
    pdf.Root.OpenAction = pikepdf.Dictionary(
        S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('xin chao')")
    )
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def pdf_with_metadata() -> bytes:
    """Author and software in the information dictionary and XMP, an attached file, an
    automatic (non-script) open action: all of it is stripped, the page kept."""
    pdf = pikepdf.open(io.BytesIO(clean_pdf()))
    pdf.docinfo["/Author"] = "Nguyen Van Bao Mat"
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = ["Nguyen Van Bao Mat"]
    pdf.attachments["ghi-chu.txt"] = pikepdf.AttachedFileSpec(pdf, b"noi dung an giau")
    pdf.Root.OpenAction = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


PDF_SECRETS = (b"Nguyen Van Bao Mat", b"noi dung an giau", b"/OpenAction", b"/Metadata")


def pixel_bomb() -> bytes:
    """A tiny PNG declaring 20000 × 20000 pixels (400 Mpx)."""
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def truncated_jpeg() -> bytes:
    out = io.BytesIO()
    _page().save(out, format="JPEG", quality=90)
    data = out.getvalue()
    return data[: len(data) // 2]


def zip_named_pdf() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hoa-don.pdf", b"%PDF-1.4 not really")
        archive.writestr("run.exe", b"MZ" + b"\x00" * 64)
    return out.getvalue()


@functools.cache
def xlsx_bomb(uncompressed_mb: int = 400) -> bytes:
    """An .xlsx of ~400 KB whose first sheet inflates to `uncompressed_mb` MB (deflate's
    ~1000:1 on repeated rows), laid out as a workbook so that it sniffs as XLSX."""
    out = io.BytesIO()
    chunk = b"<row/>" * ((1 << 20) // 6)  # empty rows: what a spreadsheet program would parse
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as xlsx:
        xlsx.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        xlsx.writestr(
            "xl/workbook.xml",
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheets><sheet name="Danh sách" sheetId="1"/></sheets></workbook>',
        )
        with xlsx.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b"<worksheet><sheetData>")
            for _ in range(uncompressed_mb):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def gps_photo(size=(640, 480)) -> bytes:
    """A phone-style JPEG: EXIF with make, model and GPS position, an ICC profile, a comment,
    EXIF orientation 6 (shown turned 90°), 72 dpi only in EXIF (none in the JFIF header)."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Model X"
    exif[0x0112] = 6
    exif[0x011A] = 72.0
    exif[0x011B] = 72.0
    exif[0x0128] = 2
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 50.0, 10.0)})
    out = io.BytesIO()
    _page(size).save(
        out,
        format="JPEG",
        exif=exif,
        icc_profile=b"fake-icc-profile" * 4,
        comment=b"secret comment",
        quality=90,
    )
    return out.getvalue()


def assert_no_metadata(data: bytes, *, upright_size: tuple[int, int] | None = None) -> None:
    """The stored image: no EXIF/GPS, ICC, XMP or comment; no dpi it never had."""
    for marker in GPS_MARKERS:
        assert marker not in data, marker
    image = Image.open(io.BytesIO(data))
    assert not image.getexif(), dict(image.getexif())
    assert "icc_profile" not in image.info and "exif" not in image.info
    assert "comment" not in image.info and "xmp" not in image.info
    assert "dpi" not in image.info, image.info.get("dpi")
    if upright_size is not None:
        assert image.size == upright_size


def big_pdf(
    megabytes: int, *, javascript: bool = False, info: bool = False, xmp: bool = False
) -> bytes:
    """A one-page PDF of at least `megabytes` MB (an incompressible image as a scanner's), big
    enough to be written to storage while it arrives; optionally with JavaScript (refused),
    an information dictionary (blanked in place) or XMP metadata (rewritten)."""
    import random

    side = int((megabytes * 1024 * 1024) ** 0.5) + 1
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    image = pikepdf.Stream(pdf, random.Random(megabytes).randbytes(side * side))
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width = image.Height = side
    image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceGray, 8
    page = pdf.pages[0]
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    page.Contents = pdf.make_stream(b"q 595 0 0 842 0 0 cm /Im0 Do Q")
    if javascript:
        pdf.Root.OpenAction = pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('xin chao')")
        )
    if info:
        pdf.docinfo["/Author"] = "Nguyen Van Bao Mat"
    if xmp:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:creator"] = ["Nguyen Van Bao Mat"]
    out = io.BytesIO()
    pdf.save(out, fix_metadata_version=False, deterministic_id=True)
    return out.getvalue()


def big_zip_named_pdf(megabytes: int) -> bytes:
    """An archive of incompressible data posing as a big PDF."""
    import random

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("hoa-don.exe", random.Random(7).randbytes(megabytes * 1024 * 1024))
    return out.getvalue()


#: (name, bytes maker, words of the expected refusal) for every document endpoint.
HOSTILE_DOCUMENTS = [
    ("thu-js.pdf", pdf_with_javascript, "JavaScript"),
    ("bom.png", pixel_bomb, "điểm ảnh quá lớn"),
    ("dut.jpg", truncated_jpeg, "bị hỏng hoặc không đầy đủ"),
    ("hoa-don.pdf", zip_named_pdf, "tệp nén"),
]


def bucket_objects(settings, slug: str) -> set[str]:
    """Every object key in a tenant's bucket right now."""
    from giamsat.core.storage import S3Config
    from giamsat.core.storage.minio import _client
    from giamsat.tenancy.names import bucket_for

    client = _client(S3Config.from_settings(settings))
    return {o.object_name for o in client.list_objects(bucket_for(slug), recursive=True)}


def row_counts(session, *models) -> tuple[int, ...]:
    from sqlalchemy import func, select

    session.expire_all()
    return tuple(session.scalar(select(func.count()).select_from(m)) for m in models)


def read_object(settings, slug: str, key: str) -> bytes:
    from giamsat.core.storage import storage_for
    from giamsat.tenancy.names import bucket_for

    with storage_for(bucket_for(slug), settings).open(key) as reader:
        return reader.read()
