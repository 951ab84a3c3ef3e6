"""Shared demo values."""

import datetime as dt

DEMO_PASSWORD = "TinCay@2026"  # noqa: S105 - demo accounts only; seed_demo refuses to run in production

# "Not applicable" in the demo: only where the criterion can plausibly not apply to that unit, never at random.
# Each entry: criterion code → {unit key: reason}; the key "*" means every unit of the demo (all in Hải Phòng).
NOT_APPLICABLE: dict[str, dict[str, str]] = {
    "3.3.3": {
        "*": "Địa bàn không thuộc vùng đồng bào dân tộc thiểu số và miền núi, không có chương trình phát triển vùng "
        "đồng bào dân tộc thiểu số để thực hiện (dữ liệu mẫu).",
    },
    "1.9.6": {
        "11320-2025": "Phường nội thành không có khu vực nguy cơ cao về ngập lụt, sạt lở trên bản đồ rủi ro thiên tai "
        "của thành phố (dữ liệu mẫu).",
        "11338-2025": "Phường nội thành không có khu vực nguy cơ cao về ngập lụt, sạt lở trên bản đồ rủi ro thiên tai "
        "của thành phố (dữ liệu mẫu).",
    },
    "2.5.6": {
        "11764-2025": "Xã không có điểm du lịch được công nhận, không có du khách để khảo sát (dữ liệu mẫu).",
        "11716-2025": "Xã không có điểm du lịch được công nhận, không có du khách để khảo sát (dữ liệu mẫu).",
    },
    "3.10.6": {
        "11413-2025": "Phường chưa có di tích được xếp hạng trên địa bàn (dữ liệu mẫu).",
        "11338-2025": "Phường chưa có di tích được xếp hạng trên địa bàn (dữ liệu mẫu).",
    },
    "4.4.6": {
        "11320-2025": "Trong năm không phát sinh vụ vi phạm về tài nguyên thiên nhiên nên không có tỷ lệ để tính (dữ "
        "liệu mẫu).",
    },
}


def not_applicable_reason(code: str, unit_key: str) -> str | None:
    """Why ``code`` does not apply to the unit in the demo, or None when it applies."""
    reasons = NOT_APPLICABLE.get(code) or {}
    return reasons.get(unit_key) or reasons.get("*")


# Populations (rounded demo figures) so that a trend shows the population rule: the predecessors of a successor
# ward are combined weighted by population when every population is known. Phường Đằng Lâm (11413-2025) is left
# without a figure on purpose, so that Phường Hải An's trend shows the other rule (predecessors side by side).
POPULATIONS: dict[str, int] = {
    # 2023 pilot units (as they stood before the 2025 reorganisation)
    "11320-2025": 11_800,  # Phường Hoàng Văn Thụ
    "11338-2025": 13_400,  # Phường Cầu Tre
    "11560-2024": 14_900,  # Xã Thuỷ Sơn
    "11764-2025": 7_600,  # Xã Tự Cường
    "11716-2025": 8_300,  # Xã Du Lễ
    "306-2025": 137_000,  # Quận Hải An
    "303-2025": 98_000,  # Quận Hồng Bàng
    "304-2025": 176_000,  # Quận Ngô Quyền
    "311-2024": 337_000,  # Huyện Thuỷ Nguyên
    "315-2025": 152_000,  # Huyện Tiên Lãng
    "314-2025": 146_000,  # Huyện Kiến Thuỵ
    # 2026 campaign units (today's wards and communes)
    "11413": 96_000,  # Phường Hải An
    "11311": 71_000,  # Phường Hồng Bàng
    "11329": 84_000,  # Phường Ngô Quyền
    "11560": 92_000,  # Phường Thủy Nguyên
    "11761": 38_000,  # Xã Quyết Thắng
}

BASE_VERSION = ("tcvn-iso-18091", "2020")  # the 2023 pilot was run on it and keeps it
REVISION = ("tcvn-iso-18091", "2020-sua-doi-1")  # revision 1 (2026): the demo's new campaigns and local draft

# The deadlines of the 2026 campaigns: the demo's current campaign and the load-test campaign.
DEADLINES_2026: dict[str, dt.date] = {
    "self_assessment_due": dt.date(2026, 12, 15),
    "scoring_due": dt.date(2027, 1, 31),
    "appraisal_due": dt.date(2027, 2, 28),
    "publication_due": dt.date(2027, 3, 31),
}
