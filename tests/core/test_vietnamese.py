"""Vietnamese order, tidy spaces and accent-blind search of unit names."""

from __future__ import annotations

from giamsat.core.vietnamese import fold, matches, normalise_spaces, sort_key


def test_double_spaces_do_not_sort_first():
    names = ["Xã Yên Mô", "Xã  Xuân Giang", "Xã An Bình"]
    assert sorted(names, key=sort_key) == ["Xã An Bình", "Xã  Xuân Giang", "Xã Yên Mô"]
    assert normalise_spaces("  Xã \u00a0 Xuân  Giang ") == "Xã Xuân Giang"


def test_letters_of_their_own_follow_their_base_letter():
    names = ["Xã Đông Sơn", "Xã Duy Tiên", "Xã Dân Chủ", "Xã Ea Súp", "Xã Ân Thi", "Xã Ba Vì"]
    assert sorted(names, key=sort_key) == [
        "Xã Ân Thi",
        "Xã Ba Vì",
        "Xã Dân Chủ",
        "Xã Duy Tiên",
        "Xã Đông Sơn",
        "Xã Ea Súp",
    ]
    assert sorted(["ơ", "ô", "o", "ư", "u"], key=sort_key) == ["o", "ô", "ơ", "u", "ư"]


def test_tones_break_ties_in_dictionary_order():
    tones = ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert sorted(reversed(tones), key=sort_key) == tones
    # The tone is only a tie-break: the letters decide first.
    assert sorted(["mạc", "mab"], key=sort_key) == ["mab", "mạc"]


def test_precomposed_and_combining_spellings_are_one_name():
    combining = "Xa\u0303 Ho\u0302\u0300ng"
    assert normalise_spaces(combining) == "Xã Hồng"
    assert sort_key(combining) == sort_key("Xã Hồng")


def test_search_ignores_accents_case_and_spaces():
    assert fold("Xã  ĐÔNG Hưng") == "xa dong hung"
    assert matches("dong hung", "Xã Đông Hưng")
    assert matches("HƯNG  đông", "Xã Đông Hưng")
    assert not matches("dong son", "Xã Đông Hưng")
    assert matches("", "anything")
