"""Why an upload is refused: one plain Vietnamese sentence that names the file."""

from __future__ import annotations

from giamsat.core.errors import ValidationFailed


class Refusal(ValidationFailed):
    """A refused upload (422): `reason` alone, `message` with the file's name in front."""

    def __init__(self, name: str, reason: str, *, field: str = "file"):
        self.file_name, self.reason = name, reason
        super().__init__(f"Tệp “{name}”: {reason}", field=field)


def empty(name: str, field: str) -> Refusal:
    return Refusal(name, "tệp rỗng (0 byte); hãy chọn lại tệp.", field=field)


def too_large(name: str, field: str, label: str) -> Refusal:
    return Refusal(
        name,
        f"tệp quá lớn, mỗi tệp tối đa {label}. Hãy giảm độ phân giải (300 dpi là đủ) "
        "hoặc chia nhỏ tệp.",
        field=field,
    )


def executable(name: str, field: str) -> Refusal:
    return Refusal(
        name, "đây là tệp chương trình (tệp chạy được); không nhận, dù tên tệp là gì.", field=field
    )


def markup(name: str, field: str) -> Refusal:
    return Refusal(
        name,
        "tệp trang web (HTML, SVG, XML) không được nhận; hãy gửi PDF hoặc ảnh.",
        field=field,
    )


def archive(name: str, field: str) -> Refusal:
    return Refusal(
        name,
        "đây là tệp nén (ZIP, RAR, 7z…) mang tên của một tài liệu; không nhận. "
        "Hãy gửi chính tài liệu đó.",
        field=field,
    )


def not_accepted(name: str, field: str, accepted: str) -> Refusal:
    return Refusal(name, f"loại tệp này không được nhận. {accepted}", field=field)


def broken_image(name: str, field: str) -> Refusal:
    return Refusal(
        name,
        "ảnh bị hỏng hoặc không đầy đủ (có thể tải lên bị ngắt giữa chừng); "
        "hãy chụp hoặc quét lại.",
        field=field,
    )


def pixel_bomb(name: str, field: str) -> Refusal:
    return Refusal(
        name,
        "ảnh có kích thước điểm ảnh quá lớn (có thể là tệp độc hại); không nhận. "
        "Hãy quét lại ở 300 dpi.",
        field=field,
    )


def too_many_pages(name: str, field: str, pages: int, limit: int) -> Refusal:
    return Refusal(
        name,
        f"tệp có {pages} trang, quá giới hạn {limit} trang mỗi tệp; hãy chia thành nhiều tệp.",
        field=field,
    )


def broken_pdf(name: str, field: str) -> Refusal:
    return Refusal(name, "tệp PDF bị hỏng hoặc không đọc được; hãy quét lại.", field=field)


def pdf_password(name: str, field: str) -> Refusal:
    return Refusal(name, "tệp PDF có mật khẩu; hãy gửi bản không đặt mật khẩu.", field=field)


def pdf_no_pages(name: str, field: str) -> Refusal:
    return Refusal(name, "tệp PDF không có trang nào.", field=field)


def pdf_active(name: str, field: str) -> Refusal:
    return Refusal(
        name,
        "tệp PDF chứa mã lệnh (JavaScript hoặc lệnh mở chương trình) có thể gây hại; "
        "không nhận. Hãy in lại thành PDF hoặc quét lại văn bản.",
        field=field,
    )


def zip_bomb(name: str, field: str, limit_mb: int) -> Refusal:
    return Refusal(
        name,
        f"tệp khi giải nén lớn hơn {limit_mb} MB (có thể là tệp độc hại); không nhận. "
        "Hãy chia thành nhiều tệp nhỏ hơn.",
        field=field,
    )


def too_many_rows(name: str, field: str, limit: int) -> Refusal:
    return Refusal(name, f"danh sách dài quá {limit} dòng. Hãy chia thành nhiều tệp.", field=field)
