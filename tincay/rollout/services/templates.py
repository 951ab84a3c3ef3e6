"""Phase templates shipped as data (``rollout/data/*.yaml``): parse, check, load idempotently.

File format ``tincay-phases/1``: ``code``, ``version``, ``title: {vi, en}``, ``stuck_after_days`` and ``phases``,
each with ``key`` (a PhaseKey), ``order``, ``title``, ``description`` and ``gates`` (``[{key: GateKey, ...}]``;
``actions_done`` takes ``min_percent`` 0–100). Loading is idempotent:

- a template whose code and version are not stored yet is created (``"created"``);
- the same code and version with the same content changes nothing (``"unchanged"``);
- a different content under a stored code and version updates it only while no rollout uses it (``"updated"``);
  a template in use is immutable, so the loader refuses: a change is a new ``version``.

The migration that ships the five phases passes its historical ``apps``; commands pass nothing (today's models).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from tincay.common.errors import InvalidInput
from tincay.rollout.choices import GateKey, PhaseKey

FORMAT = "tincay-phases/1"
DATA_DIR = Path(__file__).resolve().parents[1] / "data"
FIVE_PHASES = DATA_DIR / "five-phases-v1.yaml"
GATE_PARAMETERS = {GateKey.ACTIONS_DONE: {"min_percent"}}


class TemplateError(InvalidInput):
    """The file breaks the format or would change a template in use; ``errors`` names each place."""


def _pair(raw: Any, path: str, problems: dict[str, list[str]], *, required: bool = True) -> dict[str, str]:
    if isinstance(raw, str):
        raw = {"vi": raw}
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        problems.setdefault(path, []).append("must be a pair {vi: ..., en: ...}")
        return {"vi": "", "en": ""}
    pair = {"vi": str(raw.get("vi") or "").strip(), "en": str(raw.get("en") or "").strip()}
    if required and not pair["vi"]:
        problems.setdefault(path, []).append("the Vietnamese text is required")
    return pair


def _int(raw: Any, path: str, problems: dict[str, list[str]], *, low: int, high: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        problems.setdefault(path, []).append(f"must be a whole number from {low} to {high}")
        return low
    return raw


def _gates(raw: Any, path: str, problems: dict[str, list[str]]) -> list[dict[str, Any]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.setdefault(path, []).append("must be a list of gates")
        return []
    gates, seen = [], set()
    for i, item in enumerate(raw):
        where = f"{path}[{i}]"
        item = {"key": item} if isinstance(item, str) else item
        if not isinstance(item, dict) or item.get("key") not in GateKey.values:
            problems.setdefault(where, []).append(f"key must be one of {', '.join(GateKey.values)}")
            continue
        key = item["key"]
        if key in seen:
            problems.setdefault(where, []).append(f"gate {key} is listed twice")
        seen.add(key)
        extra = set(item) - {"key"} - GATE_PARAMETERS.get(key, set())
        if extra:
            problems.setdefault(where, []).append(f"unknown parameters: {', '.join(sorted(extra))}")
        gate: dict[str, Any] = {"key": key}
        if key == GateKey.ACTIONS_DONE:
            gate["min_percent"] = _int(item.get("min_percent", 100), f"{where}.min_percent", problems, low=0, high=100)
        gates.append(gate)
    return gates


def parse_document(text: str) -> dict[str, Any]:
    """The canonical plain form of a template file; raises TemplateError listing every broken rule."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TemplateError({"file": [f"not valid YAML: {exc}"]}) from None
    if not isinstance(raw, dict):
        raise TemplateError({"file": ["must be a mapping with code, version, title and phases"]})
    problems: dict[str, list[str]] = {}
    if raw.get("format") != FORMAT:
        problems.setdefault("format", []).append(f"must be {FORMAT}")
    code = str(raw.get("code") or "").strip()
    if not code or not all(c.isalnum() or c in "-_" for c in code) or len(code) > 60:
        problems.setdefault("code", []).append("a slug of letters, digits and dashes (at most 60) is required")
    doc: dict[str, Any] = {
        "code": code,
        "version": _int(raw.get("version"), "version", problems, low=1, high=10_000),
        "title": _pair(raw.get("title"), "title", problems),
        "stuck_after_days": _int(raw.get("stuck_after_days", 45), "stuck_after_days", problems, low=1, high=3650),
        "phases": [],
    }
    phases = raw.get("phases")
    if not isinstance(phases, list) or not phases:
        problems.setdefault("phases", []).append("at least one phase is required")
        phases = []
    keys, orders = set(), set()
    for i, item in enumerate(phases):
        where = f"phases[{i}]"
        if not isinstance(item, dict):
            problems.setdefault(where, []).append("must be a mapping")
            continue
        key = item.get("key")
        if key not in PhaseKey.values:
            problems.setdefault(f"{where}.key", []).append(f"must be one of {', '.join(PhaseKey.values)}")
        elif key in keys:
            problems.setdefault(f"{where}.key", []).append(f"phase {key} is listed twice")
        keys.add(key)
        order = _int(item.get("order"), f"{where}.order", problems, low=1, high=100)
        if order in orders:
            problems.setdefault(f"{where}.order", []).append(f"order {order} is used twice")
        orders.add(order)
        doc["phases"].append(
            {
                "key": key,
                "order": order,
                "title": _pair(item.get("title"), f"{where}.title", problems),
                "description": _pair(item.get("description"), f"{where}.description", problems, required=False),
                "gates": _gates(item.get("gates"), f"{where}.gates", problems),
            }
        )
    if problems:
        raise TemplateError(problems)
    doc["phases"].sort(key=lambda p: p["order"])
    return doc


def _stored_document(template: Any, phase_model: Any) -> dict[str, Any]:
    phases = phase_model.objects.filter(template_id=template.pk).order_by("order")
    return {
        "code": template.code,
        "version": template.version,
        "title": {"vi": template.title_vi, "en": template.title_en},
        "stuck_after_days": template.stuck_after_days,
        "phases": [
            {
                "key": p.key,
                "order": p.order,
                "title": {"vi": p.title_vi, "en": p.title_en},
                "description": {"vi": p.description_vi, "en": p.description_en},
                "gates": p.gates,
            }
            for p in phases
        ],
    }


def _canonical(doc: dict[str, Any]) -> str:
    return json.dumps(doc, sort_keys=True, ensure_ascii=False)


def _models(apps: Any) -> tuple[Any, Any, Any]:
    if apps is None:
        from tincay.rollout.models import PhaseDefinition, PhaseTemplate, Rollout

        return PhaseTemplate, PhaseDefinition, Rollout
    return (
        apps.get_model("rollout", "PhaseTemplate"),
        apps.get_model("rollout", "PhaseDefinition"),
        apps.get_model("rollout", "Rollout"),
    )


@transaction.atomic
def phase_template_load_document(doc: dict[str, Any], *, apps: Any = None) -> tuple[Any, str]:
    """Store a parsed document (see ``parse_document``); returns the template and "created", "unchanged" or
    "updated"."""
    template_model, phase_model, rollout_model = _models(apps)
    fields = {
        "title_vi": doc["title"]["vi"],
        "title_en": doc["title"]["en"],
        "stuck_after_days": doc["stuck_after_days"],
    }
    template = template_model.objects.filter(code=doc["code"], version=doc["version"]).first()
    if template is not None:
        if _canonical(_stored_document(template, phase_model)) == _canonical(doc):
            return template, "unchanged"
        if rollout_model.objects.filter(template_id=template.pk).exists():
            raise TemplateError(
                {
                    "version": [
                        f"template {doc['code']} version {doc['version']} is used by a rollout and cannot change: "
                        "give the changed file a new version"
                    ]
                }
            )
        for name, value in fields.items():
            setattr(template, name, value)
        template.save()
        phase_model.objects.filter(template_id=template.pk).delete()
        outcome = "updated"
    else:
        template = template_model.objects.create(code=doc["code"], version=doc["version"], **fields)
        outcome = "created"
    phase_model.objects.bulk_create(
        [
            phase_model(
                template_id=template.pk,
                key=p["key"],
                order=p["order"],
                title_vi=p["title"]["vi"],
                title_en=p["title"]["en"],
                description_vi=p["description"]["vi"],
                description_en=p["description"]["en"],
                gates=p["gates"],
            )
            for p in doc["phases"]
        ]
    )
    return template, outcome


def phase_template_load(path: str | Path = FIVE_PHASES, *, apps: Any = None) -> tuple[Any, str]:
    """Load one template file; idempotent (see the module's docstring). Raises TemplateError on a bad file."""
    text = Path(path).read_text(encoding="utf-8")
    return phase_template_load_document(parse_document(text), apps=apps)
