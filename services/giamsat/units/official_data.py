"""The official administrative units (QĐ 19/2025/QĐ-TTg) as shipped by `vietnam-provinces`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

#: Codes are written the official way, zero-padded: province "01", commune/ward "00004".
PROVINCE_CODE_WIDTH = 2
WARD_CODE_WIDTH = 5


@dataclass(frozen=True)
class OfficialUnit:
    code: str
    #: Full official name with its type, e.g. "Tỉnh Ninh Bình", "Xã Gia Viễn".
    name: str
    #: The division type: "tỉnh", "thành phố trung ương", "xã", "phường", "đặc khu".
    kind: str


@dataclass(frozen=True)
class OfficialProvince:
    unit: OfficialUnit
    #: Its communes, wards and special zones (xã, phường, đặc khu), ordered by code.
    communes: tuple[OfficialUnit, ...]


def province_code_text(code: int) -> str:
    return f"{int(code):0{PROVINCE_CODE_WIDTH}d}"


def ward_code_text(code: int) -> str:
    return f"{int(code):0{WARD_CODE_WIDTH}d}"


def data_version() -> str:
    import vietnam_provinces

    return (
        f"vietnam-provinces {vietnam_provinces.__version__} ({vietnam_provinces.__data_version__})"
    )


def _full_province_name(name: str, kind: str) -> str:
    # The package names provinces "Ninh Bình" but cities "Thành phố Hà Nội".
    if name.lower().startswith(("tỉnh ", "thành phố ")):
        return name
    return f"Tỉnh {name}" if kind == "tỉnh" else f"Thành phố {name}"


@lru_cache(maxsize=64)  # all 34: validation fills it, forked apply workers reuse it
def get_province(code: int) -> OfficialProvince | None:
    """The province with this official code and its communes; None for an unknown code."""
    from vietnam_provinces import Province, ProvinceCode, Ward

    try:
        province = Province.from_code(ProvinceCode(int(code)))
    except ValueError:
        return None
    kind = province.division_type.value
    communes = sorted(Ward.iter_by_province(province.code), key=lambda w: int(w.code))
    return OfficialProvince(
        unit=OfficialUnit(
            province_code_text(province.code), _full_province_name(province.name, kind), kind
        ),
        communes=tuple(
            OfficialUnit(ward_code_text(w.code), w.name, w.division_type.value) for w in communes
        ),
    )


def province_codes() -> list[int]:
    """The official codes of the current provinces, ascending."""
    from vietnam_provinces import Province

    return sorted(int(p.code) for p in Province.iter_all())


def province_codename(code: int) -> str | None:
    """The package's ASCII name of the province, e.g. "ho_chi_minh", "hue"; None if unknown."""
    from vietnam_provinces import Province, ProvinceCode

    try:
        return str(Province.from_code(ProvinceCode(int(code))).codename)
    except ValueError:
        return None
