"""The text rules of Decree 30/2020/NĐ-CP (Appendix I) for administrative documents, as pure functions: the number
and symbol line, the place and date line, the place name, the issuing body's lines and the recipients' list. The
layout (page, margins, fonts, blocks) is the DOCX builder's; what is written in each block is decided here, once.

    >>> number_line(5, "QĐ", "UBND")
    'Số: 05/QĐ-UBND'
    >>> date_line("Hải Phòng", dt.date(2026, 1, 5))
    'Hải Phòng, ngày 05 tháng 01 năm 2026'
    >>> date_line("Hải Phòng", dt.date(2026, 11, 30))
    'Hải Phòng, ngày 30 tháng 11 năm 2026'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tincay.common.text import UNIT_TYPE_WORDS, strip_unit_prefix

# Document kinds and the abbreviations of their names in the symbol (Appendix III).
KIND_SYMBOLS = {
    "quyết định": "QĐ",
    "báo cáo": "BC",
    "kế hoạch": "KH",
    "chương trình": "CTr",
    "tờ trình": "TTr",
    "thông báo": "TB",
    "công văn": "",  # an official letter carries no kind in its symbol
}
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
FILING = "Lưu: VT"  # the last line of "Nơi nhận": kept by the office (văn thư)


def padded(number: int) -> str:
    """A number below 10 with a leading zero (the document number, a day), others as they are."""
    if number < 0:
        raise ValueError(f"no negative number in a document line: {number}")
    return f"{number:02d}" if number < 10 else str(number)


def number_line(number: int | None, kind_symbol: str, issuer_symbol: str) -> str:
    """ "Số: 05/QĐ-UBND"; without a number yet (a draft) "Số: …/QĐ-UBND", the office writes it at issue. An
    official letter has no kind in its symbol: "Số: 12/UBND-VP"."""
    shown = "    " if number is None else padded(number)
    symbol = f"{kind_symbol}-{issuer_symbol}" if kind_symbol else issuer_symbol
    return f"Số: {shown}/{symbol}"


def date_line(place: str, day: dt.date) -> str:
    """ "Hải Phòng, ngày 05 tháng 01 năm 2026": days below 10 and the months January and February with a leading
    zero, the other months without ("tháng 3", "tháng 12")."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {padded(day.day)} tháng {month} năm {day.year}"


_TYPE_WORD_INSIDE = re.compile(rf"(?<=\s)({'|'.join(UNIT_TYPE_WORDS)})(?=\s)", re.IGNORECASE)
_NUMBERED = re.compile(r"^(phường|quận|xã|thị trấn)\s+\d+\b", re.IGNORECASE)


def place_name(unit_name: str) -> str:
    """The place written before the date: the proper name of the administrative unit where the body sits, without
    its type word ("Thành phố Hải Phòng" → "Hải Phòng", "Phường Hải An" → "Hải An"); a unit named by a number keeps
    its type word ("Phường 12")."""
    name = " ".join(unit_name.split())
    if _NUMBERED.match(name):
        return name
    return strip_unit_prefix(name)


@dataclass(frozen=True)
class Issuer:
    """The issuing body block (top left): the parent body above, not bold (none for a People's Committee), and the
    body itself in bold capitals, with a short rule under it. ``name`` may hold a line break where the body's name
    is set on two lines."""

    name: str
    parent: str = ""

    @property
    def parent_lines(self) -> list[str]:
        return [line.strip().upper() for line in self.parent.splitlines() if line.strip()]

    @property
    def name_lines(self) -> list[str]:
        return [line.strip().upper() for line in self.name.splitlines() if line.strip()]

    @property
    def in_text(self) -> str:
        """The body's name in a sentence: "Ủy ban nhân dân phường Hải An" (a unit's type word in lower case)."""
        name = " ".join(self.name.split())
        return _TYPE_WORD_INSIDE.sub(lambda m: m.group(0).lower(), name)


def people_committee(unit_name: str) -> Issuer:
    """The People's Committee of a unit, its name on two lines with no parent body above:
    "ỦY BAN NHÂN DÂN" / "PHƯỜNG HẢI AN"."""
    return Issuer(name=f"Ủy ban nhân dân\n{' '.join(unit_name.split())}")


def recipients(names: Iterable[str], filing_extra: Sequence[str] = ()) -> list[str]:
    """The list under "Nơi nhận:": each recipient on its line after a dash and ending with a semicolon, the last
    line "- Lưu: VT, …." (the office, then the drafting unit's abbreviation)."""
    lines = [f"- {name.strip().rstrip(';.')};" for name in names if name.strip()]
    filing = ", ".join([FILING, *[x.strip() for x in filing_extra if x.strip()]])
    return [*lines, f"- {filing}."]
