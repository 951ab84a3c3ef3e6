"""The text rules of Decree 30/2020/NĐ-CP written once (``reports.decree30``): numbers below 10 and the days below
10 zero-padded, the months January and February zero-padded and the others not, the place without its type word
(except a unit named by a number), the issuing body in capitals with Vietnamese diacritics kept, the recipients'
list ending with the office's copy."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tincay.reports import decree30


@pytest.mark.parametrize(
    ("day", "line"),
    [
        (dt.date(2026, 1, 5), "Hải Phòng, ngày 05 tháng 01 năm 2026"),
        (dt.date(2026, 2, 28), "Hải Phòng, ngày 28 tháng 02 năm 2026"),
        (dt.date(2026, 3, 9), "Hải Phòng, ngày 09 tháng 3 năm 2026"),
        (dt.date(2026, 10, 10), "Hải Phòng, ngày 10 tháng 10 năm 2026"),
        (dt.date(2026, 12, 1), "Hải Phòng, ngày 01 tháng 12 năm 2026"),
    ],
)
def test_the_date_line_pads_days_below_10_and_the_first_two_months(day, line):
    assert decree30.date_line("Hải Phòng", day) == line


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_date_reads_back(day):
    line = decree30.date_line("Huế", day)
    _place, rest = line.split(", ")
    words = rest.split()
    assert words[0::2] == ["ngày", "tháng", "năm"]
    d, m, y = words[1], words[3], words[5]
    assert (int(d), int(m), int(y)) == (day.day, day.month, day.year)
    assert len(d) == 2
    assert len(m) == (2 if day.month <= 2 or day.month >= 10 else 1)


@pytest.mark.parametrize(
    ("number", "kind", "issuer", "line"),
    [
        (5, "QĐ", "UBND", "Số: 05/QĐ-UBND"),
        (10, "BC", "UBND", "Số: 10/BC-UBND"),
        (123, "CTr", "UBND", "Số: 123/CTr-UBND"),
        (12, "", "UBND-VP", "Số: 12/UBND-VP"),
        (None, "KH", "SKHCN", "Số:     /KH-SKHCN"),
    ],
)
def test_the_number_line(number, kind, issuer, line):
    assert decree30.number_line(number, kind, issuer) == line


def test_a_negative_number_is_refused():
    with pytest.raises(ValueError, match="negative"):
        decree30.padded(-1)


@pytest.mark.parametrize(
    ("unit", "place"),
    [
        ("Thành phố Hải Phòng", "Hải Phòng"),
        ("Phường Hải An", "Hải An"),
        ("Xã  Đông   Hòa", "Đông Hòa"),
        ("Tỉnh Thừa Thiên Huế", "Thừa Thiên Huế"),
        ("Đặc khu Bạch Long Vĩ", "Bạch Long Vĩ"),
        ("Phường 12", "Phường 12"),
        ("Quận 1", "Quận 1"),
    ],
)
def test_the_place_is_the_proper_name_of_the_unit(unit, place):
    assert decree30.place_name(unit) == place


def test_a_people_committee_is_written_in_capitals_on_two_lines():
    issuer = decree30.people_committee("Phường Đằng Lâm")
    assert issuer.parent_lines == []
    assert issuer.name_lines == ["ỦY BAN NHÂN DÂN", "PHƯỜNG ĐẰNG LÂM"]
    assert issuer.in_text == "Ủy ban nhân dân phường Đằng Lâm"
    assert decree30.people_committee("Thành phố Hải Phòng").in_text == "Ủy ban nhân dân thành phố Hải Phòng"
    office = decree30.Issuer(name="Sở Khoa học và Công nghệ", parent="Ủy ban nhân dân thành phố Hải Phòng")
    assert office.parent_lines == ["ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG"]
    assert office.name_lines == ["SỞ KHOA HỌC VÀ CÔNG NGHỆ"]


def test_the_recipients_end_with_the_office_copy():
    assert decree30.recipients(["UBND thành phố", " ", "Sở KH&CN;"], ["VP"]) == [
        "- UBND thành phố;",
        "- Sở KH&CN;",
        "- Lưu: VT, VP.",
    ]
    assert decree30.recipients([]) == ["- Lưu: VT."]
