"""Framework documents as Excel workbooks, for people who do not edit YAML.

``workbook_bytes(doc)`` and ``document_from_workbook(data)`` are exact inverses on canonical documents
(tested as a round trip). Sheet and column names are Vietnamese with the English name in brackets.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from tincay.catalogue import library

SHEET_VERSION = "Phiên bản"
SHEET_CLASSES = "Xếp loại"
SHEET_PILLARS = "Trụ cột"
SHEET_INDICATORS = "Chỉ số"
SHEET_CRITERIA = "Tiêu chí"
SHEET_CHANGES = "Thay đổi"  # only in a revision's workbook: its change note

# (column key, header) — the key is what the importer reads; headers are for people.
CLASS_COLUMNS = [
    ("code", "Mã (code)"),
    ("label_vi", "Tên (vi)"),
    ("label_en", "Name (en)"),
    ("all_green", "Tất cả xanh (all_green)"),
    ("min", "Điểm tối thiểu (min)"),
]
PILLAR_COLUMNS = [("code", "Mã (code)"), ("title_vi", "Tên trụ cột (vi)"), ("title_en", "Pillar title (en)")]
INDICATOR_COLUMNS = [
    ("pillar", "Trụ cột (pillar)"),
    ("code", "Mã (code)"),
    ("title_vi", "Tên chỉ số (vi)"),
    ("title_en", "Indicator title (en)"),
    ("description_vi", "Mô tả (vi)"),
    ("description_en", "Description (en)"),
    ("sdgs", "SDG"),
    ("iso9001", "ISO 9001:2015"),
]
CRITERION_COLUMNS = [
    ("indicator", "Chỉ số (indicator)"),
    ("code", "Mã (code)"),
    ("title_vi", "Tên tiêu chí (vi)"),
    ("title_en", "Criterion title (en)"),
    ("description_vi", "Mô tả (vi)"),
    ("description_en", "Description (en)"),
    ("guidance_vi", "Tài liệu kiểm chứng (vi)"),
    ("guidance_en", "Evidence guidance (en)"),
    ("type", "Loại (type)"),
    ("weight", "Trọng số (weight)"),
    ("max_points", "Điểm tối đa (max_points)"),
    ("applies_to", "Áp dụng cho (applies_to)"),
    ("red_vi", "Mức đỏ (vi)"),
    ("red_en", "Red (en)"),
    ("yellow_vi", "Mức vàng (vi)"),
    ("yellow_en", "Yellow (en)"),
    ("green_vi", "Mức xanh (vi)"),
    ("green_en", "Green (en)"),
    ("unit_vi", "Đơn vị đo (vi)"),
    ("unit_en", "Unit (en)"),
    ("direction", "Chiều (direction)"),
    ("threshold_yellow", "Ngưỡng vàng (yellow)"),
    ("threshold_green", "Ngưỡng xanh (green)"),
]
CHANGE_COLUMNS = [
    ("code", "Mã (code)"),
    ("kind", "Loại thay đổi (kind)"),
    ("note_vi", "Nội dung thay đổi (vi)"),
    ("note_en", "What changed (en)"),
]
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _join(values: list[Any]) -> str:
    return ", ".join(str(v) for v in values)


def _version_rows(doc: dict[str, Any]) -> list[tuple[str, Any]]:
    fw, ver, sc = doc["framework"], doc["version"], doc["scoring"]
    return [
        ("format", doc["format"]),
        ("framework.code", fw["code"]),
        ("framework.title.vi", fw["title"]["vi"]),
        ("framework.title.en", fw["title"]["en"]),
        ("framework.publisher.vi", fw["publisher"]["vi"]),
        ("framework.publisher.en", fw["publisher"]["en"]),
        ("version.code", ver["code"]),
        ("version.title.vi", ver["title"]["vi"]),
        ("version.title.en", ver["title"]["en"]),
        ("version.status", ver["status"]),
        ("version.effective_date", ver["effective_date"] or ""),
        ("version.derived_from", ver["derived_from"] or ""),
        ("version.notes.vi", ver["notes"]["vi"]),
        ("version.notes.en", ver["notes"]["en"]),
        ("scoring.levels.red", sc["levels"]["red"]),
        ("scoring.levels.yellow", sc["levels"]["yellow"]),
        ("scoring.levels.green", sc["levels"]["green"]),
        ("scoring.rollup", sc["rollup"]),
        ("scoring.indicator_thresholds.yellow", sc["indicator_thresholds"]["yellow"]),
        ("scoring.indicator_thresholds.green", sc["indicator_thresholds"]["green"]),
        ("scoring.scale", sc["scale"]),
        ("scoring.na_policy", sc["na_policy"]),
        ("scoring.na_requires_reason", "yes" if sc["na_requires_reason"] else "no"),
    ]


def _sheet(wb: Workbook, title: str, columns: list[tuple[str, str]], rows: list[list[Any]], first: bool = False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append([header for _key, header in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append(["" if value is None else value for value in row])
    ws.freeze_panes = "A2"
    for index, (key, _header) in enumerate(columns, start=1):
        width = 14 if key in ("code", "pillar", "indicator", "type", "weight", "sdgs") else 40
        ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = width
    return ws


def workbook_bytes(doc: dict[str, Any]) -> bytes:
    wb = Workbook()
    _sheet(
        wb,
        SHEET_VERSION,
        [("key", "Khóa (key)"), ("value", "Giá trị (value)")],
        [list(row) for row in _version_rows(doc)],
        first=True,
    )
    _sheet(
        wb,
        SHEET_CLASSES,
        CLASS_COLUMNS,
        [
            [c["code"], c["label"]["vi"], c["label"]["en"], "yes" if c.get("all_green") else "", c.get("min")]
            for c in doc["scoring"]["classes"]
        ],
    )
    _sheet(
        wb,
        SHEET_PILLARS,
        PILLAR_COLUMNS,
        [[p["code"], p["title"]["vi"], p["title"]["en"]] for p in doc["pillars"]],
    )
    indicators, criteria = [], []
    for p in doc["pillars"]:
        for i in p["indicators"]:
            indicators.append(
                [
                    p["code"],
                    i["code"],
                    i["title"]["vi"],
                    i["title"]["en"],
                    i["description"]["vi"],
                    i["description"]["en"],
                    _join(i["sdgs"]),
                    _join(i["iso9001"]),
                ]
            )
            for c in i["criteria"]:
                m = c["measure"] or {
                    "unit": {"vi": "", "en": ""},
                    "direction": "",
                    "yellow": None,
                    "green": None,
                }
                criteria.append(
                    [
                        i["code"],
                        c["code"],
                        c["title"]["vi"],
                        c["title"]["en"],
                        c["description"]["vi"],
                        c["description"]["en"],
                        c["guidance"]["vi"],
                        c["guidance"]["en"],
                        c["type"],
                        c["weight"],
                        c["max_points"],
                        _join(c["applies_to"]),
                        c["levels"]["red"]["vi"],
                        c["levels"]["red"]["en"],
                        c["levels"]["yellow"]["vi"],
                        c["levels"]["yellow"]["en"],
                        c["levels"]["green"]["vi"],
                        c["levels"]["green"]["en"],
                        m["unit"]["vi"],
                        m["unit"]["en"],
                        m["direction"],
                        m["yellow"],
                        m["green"],
                    ]
                )
    _sheet(wb, SHEET_INDICATORS, INDICATOR_COLUMNS, indicators)
    _sheet(wb, SHEET_CRITERIA, CRITERION_COLUMNS, criteria)
    if changes := doc["version"].get("changes"):
        rows = [[c["code"], c["kind"], c["note"]["vi"], c["note"]["en"]] for c in changes]
        _sheet(wb, SHEET_CHANGES, CHANGE_COLUMNS, rows)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


def _records(ws, columns: list[tuple[str, str]]) -> list[dict[str, Any]]:
    keys = [key for key, _header in columns]
    rows = []
    for values in ws.iter_rows(min_row=2, values_only=True):
        if all(v in (None, "") for v in values):
            continue
        rows.append({key: _cell(values[n]) if n < len(values) else "" for n, key in enumerate(keys)})
    return rows


def _pair(row: dict[str, Any], prefix: str) -> dict[str, str]:
    return {"vi": str(row.get(f"{prefix}_vi", "")), "en": str(row.get(f"{prefix}_en", ""))}


def _opt(value: Any) -> Any:
    return None if value in ("", None) else value


def document_from_workbook(data: bytes) -> dict[str, Any]:
    """Read a workbook written by :func:`workbook_bytes` (possibly edited) back into a canonical document."""
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        problem = library.Problem("(file)", _("not an Excel .xlsx workbook: %(e)s") % {"e": exc})
        raise library.LibraryError([problem]) from None
    missing = [
        name
        for name in (SHEET_VERSION, SHEET_CLASSES, SHEET_PILLARS, SHEET_INDICATORS, SHEET_CRITERIA)
        if name not in wb.sheetnames
    ]
    if missing:
        raise library.LibraryError(
            [library.Problem("(file)", _("missing sheets: %(names)s") % {"names": ", ".join(missing)})]
        )
    kv = {str(k).strip(): _cell(v) for k, v, *_rest in wb[SHEET_VERSION].iter_rows(min_row=2, values_only=True) if k}
    raw: dict[str, Any] = {
        "format": kv.get("format"),
        "framework": {
            "code": kv.get("framework.code"),
            "title": {"vi": kv.get("framework.title.vi", ""), "en": kv.get("framework.title.en", "")},
            "publisher": {
                "vi": kv.get("framework.publisher.vi", ""),
                "en": kv.get("framework.publisher.en", ""),
            },
        },
        "version": {
            "code": str(kv.get("version.code", "")),
            "title": {"vi": kv.get("version.title.vi", ""), "en": kv.get("version.title.en", "")},
            "status": kv.get("version.status") or "draft",
            "effective_date": _opt(kv.get("version.effective_date")),
            "derived_from": _opt(kv.get("version.derived_from")),
            "notes": {"vi": kv.get("version.notes.vi", ""), "en": kv.get("version.notes.en", "")},
            "changes": [
                {"code": str(r["code"]), "kind": r["kind"], "note": _pair(r, "note")}
                for r in (_records(wb[SHEET_CHANGES], CHANGE_COLUMNS) if SHEET_CHANGES in wb.sheetnames else [])
            ],
        },
        "scoring": {
            "levels": {n: kv.get(f"scoring.levels.{n}") for n in ("red", "yellow", "green")},
            "rollup": kv.get("scoring.rollup"),
            "indicator_thresholds": {n: kv.get(f"scoring.indicator_thresholds.{n}") for n in ("yellow", "green")},
            "scale": kv.get("scoring.scale"),
            "na_policy": kv.get("scoring.na_policy"),
            "na_requires_reason": str(kv.get("scoring.na_requires_reason", "yes")).lower() in ("yes", "true", "1"),
            "classes": [
                {
                    "code": r["code"],
                    "label": _pair(r, "label"),
                    **(
                        {"all_green": True}
                        if str(r["all_green"]).lower() in ("yes", "true", "1")
                        else {"min": _opt(r["min"])}
                    ),
                }
                for r in _records(wb[SHEET_CLASSES], CLASS_COLUMNS)
            ],
        },
        "pillars": [],
    }
    pillars = {}
    for r in _records(wb[SHEET_PILLARS], PILLAR_COLUMNS):
        pillar = {"code": str(r["code"]), "title": _pair(r, "title"), "indicators": []}
        pillars[pillar["code"]] = pillar
        raw["pillars"].append(pillar)
    indicators = {}
    for r in _records(wb[SHEET_INDICATORS], INDICATOR_COLUMNS):
        indicator = {
            "code": str(r["code"]),
            "title": _pair(r, "title"),
            "description": _pair(r, "description"),
            "sdgs": str(r["sdgs"]),
            "iso9001": str(r["iso9001"]),
            "criteria": [],
        }
        owner = pillars.get(str(r["pillar"]))
        if owner is None:
            raise library.LibraryError(
                [
                    library.Problem(
                        f"{SHEET_INDICATORS}:{r['code']}",
                        _("pillar “%(code)s” is not in the pillar sheet") % {"code": r["pillar"]},
                    )
                ]
            )
        owner["indicators"].append(indicator)
        indicators[indicator["code"]] = indicator
    for r in _records(wb[SHEET_CRITERIA], CRITERION_COLUMNS):
        criterion = {
            "code": str(r["code"]),
            "title": _pair(r, "title"),
            "description": _pair(r, "description"),
            "guidance": _pair(r, "guidance"),
            "type": r["type"] or "management",
            "weight": _opt(r["weight"]),
            "max_points": _opt(r["max_points"]),
            "applies_to": str(r["applies_to"]),
            "levels": {n: _pair(r, n) for n in ("red", "yellow", "green")},
        }
        if criterion["type"] == "performance":
            criterion["measure"] = {
                "unit": _pair(r, "unit"),
                "direction": r["direction"],
                "yellow": _opt(r["threshold_yellow"]),
                "green": _opt(r["threshold_green"]),
            }
        owner = indicators.get(str(r["indicator"]))
        if owner is None:
            raise library.LibraryError(
                [
                    library.Problem(
                        f"{SHEET_CRITERIA}:{r['code']}",
                        _("indicator “%(code)s” is not in the indicator sheet") % {"code": r["indicator"]},
                    )
                ]
            )
        owner["criteria"].append(criterion)
    return library.normalise(raw)
