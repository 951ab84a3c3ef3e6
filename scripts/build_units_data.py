"""Build TinCậy's administrative-units data files from the public datasets on PyPI.

Writes two committed data files (and checks a third, hand-written one):

* ``tincay/orgunits/data/vn-units-2025.json``   - the two-tier tree in force from 2025-07-01
  (34 provinces, 3,321 communes/wards/special zones);
* ``tincay/orgunits/data/vn-units-legacy.json`` - the three-tier tree before 2025-07-01 with the
  mapping of legacy provinces and communes onto today's units;
* ``tincay/orgunits/data/haiphong-pilot-2023.yaml`` is written by hand; this script only checks that every
  code, key and merge/abolish event in it agrees with the two JSON files.

Sources (build-time only, never dependencies of the shipped code):

* ``vietnam-provinces==2026.9.0`` (GPL-3.0-or-later): NSO (National Statistics Office) names and codes,
  the pre-2025 list and the NSO old→new conversion table. Because of its licence it is installed only in a
  throwaway virtualenv; the product ships the JSON this script writes, not the package.
* ``vietnamadminunits==1.0.4`` (MIT): cross-checks, names of the ten units created between the package's
  pre-2025 list (2025-01-04) and 2025-06-30, and the successors of the five island districts that had no
  communes.

Usage (from the project root)::

    PYENV_VERSION=3.12.1 python -m venv /tmp/unitsvenv
    /tmp/unitsvenv/bin/pip install vietnam-provinces==2026.9.0 vietnamadminunits==1.0.4 pyyaml==6.0.3
    /tmp/unitsvenv/bin/python scripts/build_units_data.py              # rebuild + validate
    /tmp/unitsvenv/bin/python scripts/build_units_data.py --built 2026-11-21   # reproduce a given build date

Without PyYAML the check of the pilot YAML is skipped (with a message). See docs/units-data.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

import vietnam_provinces
import vietnamadminunits
from vietnam_provinces import Province, Ward
from vietnam_provinces import legacy as vp_legacy
from vietnam_provinces._province_conversion_2025 import OLD_TO_NEW as PROVINCE_OLD_TO_NEW
from vietnam_provinces._ward_conversion_2025 import NEW_TO_OLD as WARD_NEW_TO_OLD
from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW as WARD_OLD_TO_NEW
from vietnam_provinces._ward_conversion_2025 import SOURCE as WARD_CONVERSION_SOURCE

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "tincay" / "orgunits" / "data"
CURRENT_PATH = DATA_DIR / "vn-units-2025.json"
LEGACY_PATH = DATA_DIR / "vn-units-legacy.json"
PILOT_PATH = DATA_DIR / "haiphong-pilot-2023.yaml"

VP_VERSION = "2026.9.0"
VAU_VERSION = "1.0.4"
VAU_DIR = Path(vietnamadminunits.__file__).parent / "data"

EFFECTIVE_DATE = "2025-07-01"
EFFECTIVE_UNTIL = "2025-06-30"
LIST_DATE = "2025-01-04"  # the NSO pre-2025 list the legacy units come from (Xa_2025-01-04.csv)

PROVINCE_KINDS = {"tỉnh": "province", "thành phố trung ương": "central_city"}
COMMUNE_KINDS = {"phường": "ward", "xã": "commune", "đặc khu": "special_zone"}
LEGACY_DISTRICT_KINDS = {
    "quận": "urban_district",
    "huyện": "rural_district",
    "thị xã": "town",
    "thành phố": "provincial_city",
}
LEGACY_COMMUNE_KINDS = {"phường": "ward", "xã": "commune", "thị trấn": "township"}

# The official type word that starts every name, in its canonical spelling.
TYPE_WORDS = {
    "province": "Tỉnh",
    "central_city": "Thành phố",
    "ward": "Phường",
    "commune": "Xã",
    "special_zone": "Đặc khu",
    "township": "Thị trấn",
    "urban_district": "Quận",
    "rural_district": "Huyện",
    "town": "Thị xã",
    "provincial_city": "Thành phố",
}

Unit = dict[str, str]

_UPGRADE_NOTE = (
    "vietnam-provinces changelog 2026.9.0: 'Upgrade Quảng Ninh and Bắc Ninh'. Date and legal basis are "
    "not in the source; not applied to this 2025-07-01 tree."
)
LATER_CHANGE_NOTES = {
    "22": _UPGRADE_NOTE,
    "24": _UPGRADE_NOTE,
    "*": "Shown by the vietnam-provinces 2026.9.0 Python lookup (data 2026-09-20), no changelog entry. "
    "Date and legal basis are not in the source; not applied to this 2025-07-01 tree.",
}

# Two rows of the NSO conversion table carry the code of a neighbouring commune next to the name of the
# commune actually merged (seen in the upstream CSV BangChuyendoiĐVHCmoi_cu_khong_merge.csv):
#   "Xã Phục Hòa,01648,Xã Mỹ Hưng,01615"      (01615 is Xã Hồng Quang; Mỹ Hưng is 01651)
#   "Xã Thái Bình,02494,Xã Phú Thịnh,02485"   (02485 is Xã Công Đa; Phú Thịnh is 02482)
# vietnamadminunits maps 01651→01648 and 02482→02494 and not the erroneous pairs. Each correction is applied
# only while all of that still holds, so an upstream fix makes the build fail instead of double-correcting.
PAIR_CORRECTIONS: list[dict[str, str]] = [
    {"successor": "01648", "wrong_legacy": "01615", "legacy": "01651", "row": "Xã Phục Hòa ← Xã Mỹ Hưng"},
    {"successor": "02494", "wrong_legacy": "02485", "legacy": "02482", "row": "Xã Thái Bình ← Xã Phú Thịnh"},
]


# --------------------------------------------------------------------------------------------- helpers
def fail(message: str) -> None:
    """Stop the build with a message (used for every failed check)."""
    raise SystemExit(f"build_units_data: {message}")


def check(condition: bool, message: str) -> None:
    if not condition:
        fail(message)


def p2(code: int) -> str:
    return f"{code:02d}"


def d3(code: int) -> str:
    return f"{code:03d}"


def c5(code: int) -> str:
    return f"{code:05d}"


class NameFixes:
    """Normalises names to NFC with the type word in its canonical case, and remembers every fix."""

    def __init__(self) -> None:
        self.fixed: list[tuple[str, str, str]] = []

    def __call__(self, code: str, name: str, kind: str) -> str:
        clean = unicodedata.normalize("NFC", " ".join(name.split()))
        word = TYPE_WORDS[kind]
        check(clean.lower().startswith(word.lower() + " "), f"{code} {name!r} does not start with {word!r}")
        clean = word + clean[len(word) :]
        if clean != name:
            self.fixed.append((code, name, clean))
        return clean


def vau_query(sql: str) -> list[sqlite3.Row]:
    with sqlite3.connect(VAU_DIR / "dataset.db") as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql).fetchall()


def same_name(a: str, b: str) -> bool:
    """Equal after NFC, with ’ and ' treated alike and case ignored (spelling-variant check)."""

    def norm(s: str) -> str:
        return unicodedata.normalize("NFC", s).replace("\u2019", "'").casefold()

    return norm(a) == norm(b)


def sorted_codes(codes: Iterable[str]) -> list[str]:
    return sorted(set(codes), key=lambda c: (len(c), c))


# --------------------------------------------------------------------------------------------- versions
def check_versions() -> None:
    check(metadata.version("vietnam-provinces") == VP_VERSION, f"need vietnam-provinces=={VP_VERSION}")
    check(metadata.version("vietnamadminunits") == VAU_VERSION, f"need vietnamadminunits=={VAU_VERSION}")
    check(vietnam_provinces.__version__ == VP_VERSION, "vietnam_provinces.__version__ mismatch")


# --------------------------------------------------------------------------------------------- 2025 tree
def current_source(built: str, later_changes: list[dict[str, Any]]) -> dict[str, Any]:
    """The ``source`` block of vn-units-2025.json."""
    return {
        "package": "vietnam-provinces",
        "version": VP_VERSION,
        "licence": "GPL-3.0-or-later (build-time source only; see docs/units-data.md)",
        "data_version": vietnam_provinces.__data_version__,
        "upstream": "National Statistics Office of Viet Nam (danhmuchanhchinh.nso.gov.vn), via the package",
        "built": built,
        "built_by": "scripts/build_units_data.py",
        "effective_date": EFFECTIVE_DATE,
        "cross_checked_with": {"package": "vietnamadminunits", "version": VAU_VERSION, "licence": "MIT"},
        "notes": "Two-tier tree in force from 2025-07-01 (Nghị quyết 202/2025/QH15). Provinces as in the "
        "package's nested-divisions.json (the 2025-07-01 state: 28 tỉnh + 6 thành phố trực thuộc trung "
        "ương); communes from the package's Python lookup (ASCII apostrophes, e.g. \"Xã Ea H'Leo\"). "
        "Names are NSO names, NFC, type word in canonical case. Later province upgrades reported by the "
        "package are listed in later_changes and not applied.",
        "later_changes": later_changes,
    }


def build_current(fix: NameFixes, built: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The tree in force from 2025-07-01.

    Provinces come from the package's nested JSON file, which still shows the 2025-07-01 state (6
    centrally-run cities). The package's Python lookup (data 2026-09-20) already shows three later upgrades;
    those are reported in ``source.later_changes`` rather than applied. Communes come from the Python lookup,
    whose names use the ASCII apostrophe like the legacy list and vietnamadminunits (the JSON file has ’ in 7
    names); the JSON file must agree with it on every code, type and province.
    """
    nested = json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
    lookup_provinces = {p.code.value: p for p in Province.iter_all()}
    lookup_wards = {w.code.value: w for w in Ward.iter_all()}
    check(len(nested) == 34 and len(lookup_provinces) == 34, "expected 34 provinces")

    provinces: list[Unit] = []
    later_changes: list[dict[str, Any]] = []
    json_wards: dict[int, tuple[str, str, int]] = {}
    for p in nested:
        kind = PROVINCE_KINDS[p["division_type"]]
        code = p2(p["code"])
        provinces.append({"code": code, "name": fix(code, p["name"], kind), "kind": kind})
        now = lookup_provinces[p["code"]]
        now_kind = PROVINCE_KINDS[now.division_type.value]
        if now.name != p["name"] or now_kind != kind:
            later_changes.append(
                {
                    "code": code,
                    "name": now.name,
                    "kind": now_kind,
                    "date": None,
                    "legal_basis": None,
                    "note": LATER_CHANGE_NOTES.get(code, LATER_CHANGE_NOTES["*"]),
                }
            )
        for w in p["wards"]:
            json_wards[w["code"]] = (w["name"], w["division_type"], p["code"])

    communes: list[Unit] = []
    apostrophe_only = 0
    for code_int, w in lookup_wards.items():
        j_name, j_type, j_province = json_wards[code_int]
        check(j_type == w.division_type.value, f"type mismatch JSON/lookup for {code_int}")
        check(j_province == w.province_code.value, f"province mismatch JSON/lookup for {code_int}")
        if j_name != w.name:
            check(same_name(j_name, w.name), f"name mismatch JSON/lookup for {code_int}")
            apostrophe_only += 1
        kind = COMMUNE_KINDS[w.division_type.value]
        code = c5(code_int)
        communes.append({"code": code, "name": fix(code, w.name, kind), "kind": kind, "province": p2(j_province)})
    check(set(json_wards) == set(lookup_wards), "JSON and lookup disagree on the set of commune codes")

    provinces.sort(key=lambda u: u["code"])
    communes.sort(key=lambda u: u["code"])
    stats = {
        "provinces": len(provinces),
        "communes": len(communes),
        "province_kinds": Counter(u["kind"] for u in provinces),
        "commune_kinds": Counter(u["kind"] for u in communes),
        "apostrophe_only_differences_json_vs_lookup": apostrophe_only,
        "later_changes": [(c["code"], c["name"]) for c in later_changes],
    }
    doc = {"source": current_source(built, later_changes), "provinces": provinces, "communes": communes}
    return doc, stats


def cross_check_current(doc: dict[str, Any]) -> dict[str, Any]:
    """Compare the 2025 tree with vietnamadminunits (codes, names, types)."""
    rows = vau_query("SELECT DISTINCT provinceCode, province, wardCode, ward, wardType FROM admin_units")
    vau = {r["wardCode"]: r for r in rows}
    ours = {u["code"]: u for u in doc["communes"]}
    vau_provinces = {r["provinceCode"]: r["province"] for r in rows}
    type_to_kind = {"Phường": "ward", "Xã": "commune", "Đặc khu": "special_zone"}
    return {
        "vau_communes": len(vau),
        "vau_provinces": len(vau_provinces),
        "same_codes": set(vau) == set(ours),
        "same_province": sum(vau[c]["provinceCode"] == u["province"] for c, u in ours.items() if c in vau),
        "name_spelling_differences": sorted(
            (c, u["name"], vau[c]["ward"]) for c, u in ours.items() if c in vau and u["name"] != vau[c]["ward"]
        ),
        "kind_differences": sorted(
            (c, u["kind"], vau[c]["wardType"])
            for c, u in ours.items()
            if c in vau and type_to_kind.get(vau[c]["wardType"]) != u["kind"]
        ),
        "province_name_differences": sorted(
            (p["code"], p["name"], vau_provinces.get(p["code"]))
            for p in doc["provinces"]
            if vau_provinces.get(p["code"]) != p["name"]
        ),
    }


# --------------------------------------------------------------------------------------------- legacy tree
def vau_interim_units() -> dict[int, sqlite3.Row]:
    rows = vau_query(
        "SELECT provinceCode, districtCode, district, wardCode, ward, wardType FROM admin_units_legacy "
        "WHERE wardCode IS NOT NULL"
    )
    return {int(r["wardCode"]): r for r in rows}


LEGACY_NOTES = (
    "Provinces, districts and communes are the package's pre-2025 NSO list dated 2025-01-04, plus "
    "interim_communes (units created between 2025-01-04 and 2025-06-30 that the NSO conversion table maps). "
    "superseded_communes were in the 2025-01-04 list but no longer existed on 2025-06-30 (absent from the "
    "conversion table and from vietnamadminunits' pre-reform list); they have no successors here. "
    "commune_successors lists every successor in the NSO conversion table; commune_successors_partial lists, "
    "per legacy commune, the successors that received only part of it (conversion-table note without 'toàn "
    "bộ', e.g. 'Nhập một phần'; rows 'Nhập một phần diện tích, toàn bộ dân số' count as whole; one-to-one "
    "'Giữ nguyên' rows are never partial). commune_successor_corrections lists the two conversion-table rows "
    "whose legacy code was corrected (evidence given). Names are NSO spellings (e.g. 'Hoà', 'Thuỷ'), NFC, "
    "type word in canonical case. District kind provincial_city also covers the two cities inside "
    "centrally-run cities (Thủ Đức, Thuỷ Nguyên)."
)


def legacy_tree(fix: NameFixes) -> tuple[list[Unit], list[Unit], list[Unit]]:
    """Provinces, districts and communes of the package's pre-2025 NSO list (2025-01-04)."""
    provinces: list[Unit] = []
    for p in vp_legacy.Province.iter_all():
        kind = PROVINCE_KINDS[p.division_type.value]
        code = p2(p.code.value)
        provinces.append({"code": code, "name": fix(code, p.name, kind), "kind": kind})
    districts: list[Unit] = []
    for d in vp_legacy.District.iter_all():
        kind = LEGACY_DISTRICT_KINDS[d.division_type.value]
        code = d3(d.code.value)
        province = p2(d.province_code.value)
        districts.append({"code": code, "name": fix(code, d.name, kind), "kind": kind, "province": province})
    communes: list[Unit] = []
    for w in vp_legacy.Ward.iter_all():
        kind = LEGACY_COMMUNE_KINDS[w.division_type.value]
        code = c5(w.code.value)
        district = d3(w.district_code.value)
        communes.append({"code": code, "name": fix(code, w.name, kind), "kind": kind, "district": district})
    return provinces, districts, communes


def interim_communes(fix: NameFixes, listed: set[str], vau_legacy: dict[int, sqlite3.Row]) -> list[Unit]:
    """Units the NSO conversion table maps but the 2025-01-04 list lacks (created before 2025-06-30).

    Names come from vietnamadminunits' pre-reform list, the district from the conversion table (both agree).
    The kind follows the name's type word (vietnamadminunits' own type column has errors).
    """
    units: list[Unit] = []
    for old_code, entry in WARD_OLD_TO_NEW.items():
        if c5(old_code) in listed:
            continue
        row = vau_legacy.get(old_code)
        check(row is not None, f"conversion-table code {old_code} is in neither pre-2025 list")
        check(int(row["districtCode"]) == entry.old_ward.district_code, f"district mismatch for {old_code}")
        name = unicodedata.normalize("NFC", row["ward"])
        kind = next(k for t, k in LEGACY_COMMUNE_KINDS.items() if name.lower().startswith(t + " "))
        code = c5(old_code)
        district = d3(entry.old_ward.district_code)
        units.append({"code": code, "name": fix(code, name, kind), "kind": kind, "district": district})
    return units


def commune_mapping(vau_legacy: dict[int, sqlite3.Row]) -> dict[str, Any]:
    """Successors, partial successors and corrections from the NSO conversion table."""
    # The package's per-row flag is "the NSO note does not contain 'toàn bộ'". That wrongly flags rows noted
    # "Giữ nguyên" (unchanged): a legacy commune that is the only predecessor of its only successor. Such
    # one-to-one rows are not partial and are dropped from the partial list.
    predecessor_count = {new_code: len(entry.old_wards) for new_code, entry in WARD_NEW_TO_OLD.items()}

    def one_to_one(old_code: int, new_code: int) -> bool:
        return len(WARD_OLD_TO_NEW[old_code].new_wards) == 1 and predecessor_count[new_code] == 1

    flagged = {
        (old.code, new_code)
        for new_code, entry in WARD_NEW_TO_OLD.items()
        for old in entry.old_wards
        if old.is_partly_merged
    }
    partial_pairs = {(c5(old), c5(new)) for old, new in flagged if not one_to_one(old, new)}
    successors = {c5(old_code): [c5(n.code) for n in entry.new_wards] for old_code, entry in WARD_OLD_TO_NEW.items()}
    corrections = apply_pair_corrections(successors, partial_pairs, vau_legacy)
    successors = {k: successors[k] for k in sorted_codes(successors)}
    partial = {
        old: [n for n in news if (old, n) in partial_pairs]
        for old, news in successors.items()
        if any((old, n) in partial_pairs for n in news)
    }
    return {
        "successors": successors,
        "partial": partial,
        "corrections": corrections,
        "unchanged_flagged": sum(1 for old, new in flagged if one_to_one(old, new)),
    }


def legacy_stats(doc: dict[str, Any], listed: int, unchanged_flagged: int) -> dict[str, Any]:
    successors, partial = doc["commune_successors"], doc["commune_successors_partial"]
    return {
        "provinces": len(doc["provinces"]),
        "districts": len(doc["districts"]),
        "communes": len(doc["communes"]),
        "communes_from_package_list": listed,
        "interim": doc["interim_communes"],
        "province_kinds": Counter(u["kind"] for u in doc["provinces"]),
        "district_kinds": Counter(u["kind"] for u in doc["districts"]),
        "commune_kinds": Counter(u["kind"] for u in doc["communes"]),
        "successor_counts": Counter(len(v) for v in successors.values()),
        "mapped": len(successors),
        "unmapped": sorted_codes(c["code"] for c in doc["communes"] if c["code"] not in successors),
        "superseded": doc["superseded_communes"],
        "corrections": doc["commune_successor_corrections"],
        "unchanged_rows_flagged_partial_by_package": unchanged_flagged,
        "with_partial": len(partial),
        "partial_pairs": sum(len(v) for v in partial.values()),
        "single_successor_partial": sorted(k for k in partial if len(successors[k]) == 1),
        "multi_successor_with_a_whole_row": sum(
            1 for k, v in successors.items() if len(v) > 1 and len(partial.get(k, [])) < len(v)
        ),
        "district_successors": doc["district_successors_without_communes"],
        "districts_without_communes": sorted(
            {d["code"] for d in doc["districts"]} - {c["district"] for c in doc["communes"]}
        ),
    }


def build_legacy(fix: NameFixes, built: str, current_codes: set[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The three-tier tree before 2025-07-01 and the mapping onto the 2025 units."""
    provinces, districts, communes = legacy_tree(fix)
    listed = {c["code"] for c in communes}
    vau_legacy = vau_interim_units()
    interim = interim_communes(fix, listed, vau_legacy)
    communes += interim
    mapping = commune_mapping(vau_legacy)
    successors = mapping["successors"]
    check(all(n in current_codes for v in successors.values() for n in v), "unknown successor code")
    vau_codes = {c5(code) for code in vau_legacy}
    unmapped = sorted_codes(c["code"] for c in communes if c["code"] not in successors)
    check(all(c not in vau_codes for c in unmapped), "a unit of the 2025-06-30 tree has no successor")

    doc = {
        "source": {
            "package": "vietnam-provinces",
            "version": VP_VERSION,
            "licence": "GPL-3.0-or-later (build-time source only; see docs/units-data.md)",
            "upstream": "National Statistics Office of Viet Nam; pre-2025 list Xa_2025-01-04.csv and the NSO "
            f"conversion table {WARD_CONVERSION_SOURCE}, both via the package",
            "built": built,
            "built_by": "scripts/build_units_data.py",
            "effective_until": EFFECTIVE_UNTIL,
            "list_date": LIST_DATE,
            "also_used": {
                "package": "vietnamadminunits",
                "version": VAU_VERSION,
                "licence": "MIT",
                "for": "names of interim_communes; district_successors_without_communes; cross-checks",
            },
            "notes": LEGACY_NOTES,
        },
        "provinces": sorted(provinces, key=lambda u: u["code"]),
        "districts": sorted(districts, key=lambda u: u["code"]),
        "communes": sorted(communes, key=lambda u: u["code"]),
        "province_successors": {
            p2(old): [p2(n.code) for n in entry.new_provinces] for old, entry in sorted(PROVINCE_OLD_TO_NEW.items())
        },
        "commune_successors": successors,
        "commune_successors_partial": mapping["partial"],
        "district_successors_without_communes": vau_commune_less_district_successors(),
        "interim_communes": sorted_codes(u["code"] for u in interim),
        "superseded_communes": unmapped,
        "commune_successor_corrections": mapping["corrections"],
    }
    return doc, legacy_stats(doc, len(listed), mapping["unchanged_flagged"])


def apply_pair_corrections(
    successors: dict[str, list[str]], partial_pairs: set[tuple[str, str]], vau_legacy: dict[int, sqlite3.Row]
) -> list[dict[str, str]]:
    """Apply PAIR_CORRECTIONS in place (see there); every precondition is checked, never assumed."""
    vau_pairs = vau_pair_set()
    applied: list[dict[str, str]] = []
    for fix in PAIR_CORRECTIONS:
        new, wrong, right = fix["successor"], fix["wrong_legacy"], fix["legacy"]
        check(new in successors.get(wrong, []), f"correction {fix}: NSO no longer maps {wrong}→{new}")
        check(right not in successors, f"correction {fix}: NSO now maps {right} itself")
        check(int(right) in vau_legacy, f"correction {fix}: {right} is not a pre-reform commune")
        check((right, new) in vau_pairs and (wrong, new) not in vau_pairs, f"correction {fix}: no support")
        check((wrong, new) not in partial_pairs, f"correction {fix}: the row is a partial transfer")
        successors[wrong] = [n for n in successors[wrong] if n != new]
        successors[right] = [new]
        applied.append(
            {
                "legacy": right,
                "successor": new,
                "replaces_legacy": wrong,
                "evidence": f"NSO conversion-table row '{fix['row']}' carries code {wrong} "
                f"(another commune); "
                f"vietnamadminunits {VAU_VERSION} maps {right}→{new}",
            }
        )
    return applied


def vau_commune_less_district_successors() -> dict[str, list[str]]:
    """Island districts without communes map onto a special zone (vietnamadminunits converter)."""
    converter = json.loads((VAU_DIR / "converter_2025.json").read_text(encoding="utf-8"))
    district_keys = {
        f"{r['provinceKey']}_{r['districtKey']}_": r["districtCode"]
        for r in vau_query(
            "SELECT provinceKey, districtKey, districtCode FROM admin_units_legacy WHERE wardCode IS NULL"
        )
    }
    new_keys = {
        (r["provinceKey"], r["wardKey"]): r["wardCode"]
        for r in vau_query("SELECT provinceKey, wardKey, wardCode FROM admin_units")
    }
    result: dict[str, list[str]] = defaultdict(list)
    for new_province_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward_key, old_keys in wards.items():
            for old_key in old_keys:
                if old_key in district_keys:
                    result[district_keys[old_key]].append(new_keys[(new_province_key, new_ward_key)])
    return {k: sorted(v) for k, v in sorted(result.items())}


def vau_pair_set() -> set[tuple[str, str]]:
    """vietnamadminunits' name-keyed converter as (legacy commune code, 2025 commune code) pairs."""
    converter = json.loads((VAU_DIR / "converter_2025.json").read_text(encoding="utf-8"))
    old_keys = {
        f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}": c5(int(r["wardCode"]))
        for r in vau_query(
            "SELECT provinceKey, districtKey, wardKey, wardCode FROM admin_units_legacy WHERE wardCode IS NOT NULL"
        )
    }
    new_keys = {
        (r["provinceKey"], r["wardKey"]): r["wardCode"]
        for r in vau_query("SELECT provinceKey, wardKey, wardCode FROM admin_units")
    }
    vau_pairs: set[tuple[str, str]] = set()
    for new_province_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward_key, olds in wards.items():
            for old_key in olds:
                if old_key in old_keys:
                    vau_pairs.add((old_keys[old_key], new_keys[(new_province_key, new_ward_key)]))
    for new_province_key, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, options in divided.items():
            for option in options:
                vau_pairs.add((old_keys[old_key], new_keys[(new_province_key, option["newWardKey"])]))
    return vau_pairs


def cross_check_mapping(legacy_doc: dict[str, Any]) -> dict[str, Any]:
    """Compare the (corrected) NSO commune mapping with vietnamadminunits' converter, as code pairs."""
    vau_pairs = vau_pair_set()
    ours = {(old, new) for old, news in legacy_doc["commune_successors"].items() for new in news}
    return {
        "nso_pairs": len(ours),
        "vau_pairs": len(vau_pairs),
        "agreeing_pairs": len(ours & vau_pairs),
        "only_nso": sorted(ours - vau_pairs),
        "only_vau": sorted(vau_pairs - ours),
    }


# --------------------------------------------------------------------------------------------- output
def dump(path: Path, doc: dict[str, Any]) -> None:
    """UTF-8 JSON, one unit or one mapping entry per line (diff-friendly)."""

    def enc(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    parts: list[str] = []
    for key, value in doc.items():
        if key == "source":
            body = json.dumps(value, ensure_ascii=False, indent=1)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            body = "[\n" + ",\n".join(enc(item) for item in value) + "\n]"
        elif isinstance(value, dict):
            body = "{\n" + ",\n".join(f"{enc(k)}: {enc(v)}" for k, v in value.items()) + "\n}"
        else:
            body = enc(value)
        parts.append(f"{enc(key)}: {body}")
    text = "{\n" + ",\n".join(parts) + "\n}\n"
    json.loads(text)  # must round-trip
    path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------------------------- validation
def unique(units: list[Unit], label: str) -> dict[str, Unit]:
    by_code = {u["code"]: u for u in units}
    check(len(by_code) == len(units), f"duplicate codes in {label}")
    return by_code


def validate(current_path: Path, legacy_path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Re-read the written files and check every invariant the loader relies on."""
    current = json.loads(current_path.read_text(encoding="utf-8"))
    legacy = json.loads(legacy_path.read_text(encoding="utf-8"))
    check(current_path.stat().st_size < 3_000_000 and legacy_path.stat().st_size < 3_000_000, "file too large")

    provinces = unique(current["provinces"], "2025 provinces")
    communes = unique(current["communes"], "2025 communes")
    check(len(provinces) == 34, "2025 tree must have 34 provinces")
    check(len(communes) == 3321, "2025 tree must have 3,321 communes")
    check(all(c["province"] in provinces for c in communes.values()), "2025 commune with unknown province")
    check({u["kind"] for u in provinces.values()} <= {"central_city", "province"}, "bad province kind")
    check({u["kind"] for u in communes.values()} <= {"ward", "commune", "special_zone"}, "bad commune kind")
    check(all(len(c) == 2 for c in provinces) and all(len(c) == 5 for c in communes), "bad code width")

    l_provinces = unique(legacy["provinces"], "legacy provinces")
    l_districts = unique(legacy["districts"], "legacy districts")
    l_communes = unique(legacy["communes"], "legacy communes")
    check(all(d["province"] in l_provinces for d in l_districts.values()), "legacy district, unknown province")
    check(all(c["district"] in l_districts for c in l_communes.values()), "legacy commune, unknown district")
    check(set(legacy["province_successors"]) == set(l_provinces), "province_successors must cover 63 provinces")
    check(
        all(n in provinces for v in legacy["province_successors"].values() for n in v),
        "bad province successor",
    )
    check(all(k in l_communes for k in legacy["commune_successors"]), "successor key not a legacy commune")
    check(all(n in communes for v in legacy["commune_successors"].values() for n in v), "bad commune successor")
    for key, partial in legacy["commune_successors_partial"].items():
        check(set(partial) <= set(legacy["commune_successors"][key]), f"partial successors of {key} not listed")
    for key, news in legacy["district_successors_without_communes"].items():
        check(key in l_districts and all(n in communes for n in news), f"bad district successor {key}")
    for key in legacy["interim_communes"] + legacy["superseded_communes"]:
        check(key in l_communes, f"{key} listed but not a legacy commune")
    # Every commune's province successor must be the province of its commune successors.
    for old, news in legacy["commune_successors"].items():
        old_province = l_districts[l_communes[old]["district"]]["province"]
        for new in news:
            check(
                communes[new]["province"] in legacy["province_successors"][old_province],
                f"{old}→{new} crosses into a province that is not a successor of {old_province}",
            )
    return current, legacy


def check_pilot_unit(u: dict[str, Any], keys: dict[str, dict[str, Any]], legacy: dict[str, Any]) -> str | None:
    """Check one historical unit of the pilot file; returns a report line when it cannot be checked."""
    check(u["key"].startswith(u["code"] + "-"), f"pilot: key {u['key']} does not start with its code")
    check(u["key"].endswith("-" + (u["valid_to"] or "")[:4]), f"pilot: key {u['key']} != valid_to year")
    check(u["parent"] is None or u["parent"] in keys, f"pilot: unknown parent {u['parent']}")
    if u["valid_to"] != EFFECTIVE_UNTIL:
        return f"pilot: {u['key']} ({u['name']}) ends {u['valid_to']}: not checkable against the JSON data"
    level_list = {"province": "provinces", "district": "districts", "commune": "communes"}[u["level"]]
    ref = next((x for x in legacy[level_list] if x["code"] == u["code"]), None)
    check(ref is not None, f"pilot: {u['key']} is not in the legacy data")
    check(ref["name"] == u["name"] and ref["kind"] == u["kind"], f"pilot: {u['key']} name/kind differ")
    parent_field = {"district": "province", "commune": "district"}.get(u["level"])
    if parent_field:
        check(keys[u["parent"]]["code"] == ref[parent_field], f"pilot: parent of {u['key']}")
    return None


def check_pilot_event(e: dict[str, Any], keys: dict[str, dict[str, Any]], legacy: dict[str, Any]) -> None:
    """A 2025-07-01 event must list exactly what the data says (predecessors, partial ones, successors)."""
    if e["date"] != EFFECTIVE_DATE:
        return
    successors = legacy["commune_successors"]
    pred_codes = {keys[p]["code"] for p in e["predecessors"]}
    levels = {keys[p]["level"] for p in e["predecessors"]}
    if e["kind"] == "merge" and levels == {"commune"}:
        (new,) = e["successors"]
        expected = {old for old, news in successors.items() if new in news}
        check(pred_codes == expected, f"pilot: merge into {new}: {sorted(pred_codes)} vs {sorted(expected)}")
        partial = {old for old in expected if new in legacy["commune_successors_partial"].get(old, [])}
        given = {keys[p]["code"] for p in e.get("partial_predecessors", [])}
        check(given == partial, f"pilot: partial predecessors of {new}: {sorted(given)} vs {sorted(partial)}")
    elif e["kind"] == "merge" and levels == {"province"}:
        (new,) = e["successors"]
        expected = {old for old, news in legacy["province_successors"].items() if new in news}
        check(pred_codes == expected, f"pilot: province merge into {new}")
    elif e["kind"] == "abolish":
        (district,) = pred_codes
        communes = [c["code"] for c in legacy["communes"] if c["district"] == district]
        expected = {n for c in communes for n in successors.get(c, [])}
        check(set(e["successors"]) == expected, f"pilot: abolish {district} successors differ from data")


def check_pilot(current: dict[str, Any], legacy: dict[str, Any]) -> list[str]:
    """Check the hand-written Hải Phòng pilot file against the JSON files. Returns report lines."""
    try:
        import yaml
    except ImportError:
        return ["pilot YAML not checked: PyYAML is not installed in this environment"]
    if not PILOT_PATH.exists():
        return [f"pilot YAML not checked: {PILOT_PATH} does not exist"]
    pilot = yaml.safe_load(PILOT_PATH.read_text(encoding="utf-8"))
    units = pilot["units"]
    keys = {u["key"]: u for u in units}
    check(len(keys) == len(units), "pilot: duplicate keys")
    report = [line for u in units if (line := check_pilot_unit(u, keys, legacy))]
    pilots = [u for u in units if u.get("pilot")]
    check(len(pilots) == 12, f"pilot: expected 12 pilot units, found {len(pilots)}")
    current_codes = {u["code"] for u in current["provinces"] + current["communes"]}
    for e in pilot["events"]:
        refs = e["predecessors"] + e["successors"] + e.get("partial_predecessors", [])
        for ref in refs:
            check(ref in keys or ref in current_codes, f"pilot: {ref!r} is neither a key nor a current code")
        check(
            set(e.get("partial_predecessors", [])) <= set(e["predecessors"]),
            "pilot: partial not a predecessor",
        )
        check_pilot_event(e, keys, legacy)
    report.append(f"pilot: {len(units)} historical units, {len(pilot['events'])} events, all checks passed")
    return report


# --------------------------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--built", default=dt.date.today().isoformat(), help="build date to record (YYYY-MM-DD)")
    args = parser.parse_args(argv)
    check_versions()

    fix = NameFixes()
    current_doc, current_stats = build_current(fix, args.built)
    current_codes = {u["code"] for u in current_doc["communes"]}
    legacy_doc, legacy_stats = build_legacy(fix, args.built, current_codes)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    dump(CURRENT_PATH, current_doc)
    dump(LEGACY_PATH, legacy_doc)
    current, legacy = validate(CURRENT_PATH, LEGACY_PATH)

    report: dict[str, Any] = {
        "2025": current_stats,
        "2025_vs_vietnamadminunits": cross_check_current(current_doc),
        "legacy": legacy_stats,
        "mapping_vs_vietnamadminunits": cross_check_mapping(legacy_doc),
        "name_fixes": fix.fixed,
        "sizes": {p.name: p.stat().st_size for p in (CURRENT_PATH, LEGACY_PATH)},
    }
    json.dump(report, sys.stdout, ensure_ascii=False, indent=1, default=dict)
    print()
    for line in check_pilot(current, legacy):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
