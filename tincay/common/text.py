"""Vietnamese text helpers: diacritic-insensitive search keys and Vietnamese alphabetical order."""

from __future__ import annotations

import re
import unicodedata

from django.utils.formats import number_format

# Vietnamese alphabet order (letters with shape marks are letters of their own).
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_SHAPE_MARKS = {"\u0306": "breve", "\u0302": "circumflex", "\u031b": "horn"}
# Tone order used by Vietnamese dictionaries: level, grave, hook, tilde, acute, dot below.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_SYMBOLS = " 0123456789" + _ALPHABET
_CODE = {ch: chr(97 + i // 26) + chr(97 + i % 26) for i, ch in enumerate(_SYMBOLS)}
UNIT_TYPE_WORDS = ("thành phố", "tỉnh", "quận", "huyện", "thị xã", "thị trấn", "phường", "xã", "đặc khu")
_UNIT_PREFIX = re.compile(rf"^({'|'.join(UNIT_TYPE_WORDS)})\s+", re.IGNORECASE)


def printable(text: str) -> str:
    """``text`` with control characters (NUL, escapes…) turned into spaces: what a search may send to the
    database (PostgreSQL refuses NUL in text, and no name holds a control character)."""
    return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)


def fold(text: str) -> str:
    """Lower-case text without diacritics, for search: "Đằng Lâm" -> "dang lam"."""
    decomposed = unicodedata.normalize("NFD", printable(text).casefold().replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


def _letters(text: str) -> list[tuple[str, int]]:
    """Split text into (Vietnamese letter, tone) pairs; unknown characters become spaces."""
    result: list[tuple[str, int]] = []
    for ch in unicodedata.normalize("NFC", text.casefold()):
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        tone = 0
        for mark in marks:
            if mark in _TONES:
                tone = _TONES[mark]
        shaped = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in _SHAPE_MARKS))
        result.append((shaped if shaped in _CODE else " ", tone))
    return result


def vi_sort_key(text: str) -> str:
    """A plain ASCII string whose byte order is Vietnamese alphabetical order.

    Letters compare first (a < ă < â < b ... d < đ ...), tones break ties (level < grave < hook < tilde <
    acute < dot). Stored in a column, it gives the same order on SQLite and PostgreSQL.
    """
    pairs = _letters(" ".join(text.split()))
    primary = "".join(_CODE[letter] for letter, _ in pairs)
    tones = "".join(str(tone) for _, tone in pairs)
    return f"{primary}0{tones}"


def strip_unit_prefix(name: str) -> str:
    """ "Phường Đằng Lâm" -> "Đằng Lâm"; names without a type word are returned unchanged."""
    return _UNIT_PREFIX.sub("", name.strip(), count=1)


def grouped(number: int) -> str:
    """A whole number with the active language's thousands separator, for messages: 10.000 (vi), 10,000 (en)."""
    return number_format(number, force_grouping=True)
