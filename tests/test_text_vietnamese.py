"""Vietnamese text helpers: diacritic-insensitive search keys and alphabetical order."""

from tincay.common.text import fold, strip_unit_prefix, vi_sort_key


def test_fold_removes_diacritics_and_d_stroke():
    assert fold("Phường Đằng Lâm") == "phuong dang lam"
    assert fold("  Thủy   Nguyên ") == fold("Thuỷ Nguyên") == "thuy nguyen"


def test_sort_key_follows_vietnamese_alphabet():
    words = ["Đông", "Dương", "Ân", "Ăn", "An", "Bình", "Ơn", "Ôn", "On", "Ưu", "Uy"]
    ordered = sorted(words, key=vi_sort_key)
    assert ordered == ["An", "Ăn", "Ân", "Bình", "Dương", "Đông", "On", "Ôn", "Ơn", "Uy", "Ưu"]


def test_sort_key_orders_tones_after_letters():
    # same letters: level < grave < hook < tilde < acute < dot below
    assert sorted(["má", "mạ", "mà", "ma", "mã", "mả"], key=vi_sort_key) == [
        "ma",
        "mà",
        "mả",
        "mã",
        "má",
        "mạ",
    ]
    # letters decide before tones
    assert vi_sort_key("mạ") < vi_sort_key("mai")


def test_sort_key_is_plain_ascii_for_database_ordering():
    assert vi_sort_key("Đằng Lâm").isascii()


def test_unit_type_word_is_stripped_for_sorting():
    assert strip_unit_prefix("Phường Đằng Lâm") == "Đằng Lâm"
    assert strip_unit_prefix("Đặc khu Cát Hải") == "Cát Hải"
    assert strip_unit_prefix("Thành phố Hải Phòng") == "Hải Phòng"
