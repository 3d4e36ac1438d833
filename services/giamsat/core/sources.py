"""Where rule defaults come from, quoted once (see DOMAIN.md for each source's confidence)."""

#: The province's coordination program the product grew from.
PROVINCE_PROGRAM = (
    "[UNCONFIRMED] mặc định theo Chương trình phối hợp UBMTTQ tỉnh Ninh Bình – các tổ "
    "chức CT-XH thực hiện QĐ 124-QĐ/TW; cần đối chiếu chương trình của tỉnh"
)
#: Regulation 124's article on time limits, as summarised by thuvienphapluat.vn.
QD124_ART8 = "QĐ 124-QĐ/TW (02/02/2018) Điều 8, theo tóm tắt của thuvienphapluat.vn [PARTIAL]"
