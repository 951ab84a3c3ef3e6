"""Survey templates shipped as data (``feedback/data/*.yaml``, format ``tincay-survey/1``): read, check whole,
load idempotently.

- a template whose code and version are not stored yet is created (``"created"``);
- the same code and version with the same content changes nothing (``"unchanged"``);
- a different content under a stored code and version updates it only while no survey copies it (``"updated"``);
  a template in use is immutable, so the loader refuses: a change is a new ``version``.

Every problem of a file is reported at once, named by its place (``questions[3].options``). The migration that
ships the SIPAS template passes its historical ``apps``; commands pass nothing (today's models).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from tincay.common.errors import ErrorCollector, InvalidInput
from tincay.feedback.choices import Aspect, QuestionKind

FORMAT = "tincay-survey/1"
DATA_DIR = Path(__file__).resolve().parents[1] / "data"
SIPAS = DATA_DIR / "sipas-v2.yaml"
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MEASURES = re.compile(r"^\d+(?:\.\d+){1,2}$")  # an indicator (4.6) or a criterion (4.6.2)
TEXT_MAX, TITLE_MAX = 500, 300
OPTIONS_MAX, QUESTIONS_MAX = 20, 100


class SurveyTemplateError(InvalidInput):
    """The file breaks the format or would change a template in use; ``errors`` names each place."""


def _pair(errors: ErrorCollector, where: str, raw: Any, *, limit: int, required: bool = True) -> dict[str, str]:
    """``{vi, en}`` texts (a bare string is the Vietnamese); Vietnamese required, each within ``limit``."""
    if isinstance(raw, str):
        raw = {"vi": raw}
    if raw is None:
        raw = {}
    if not isinstance(raw, dict) or set(raw) - {"vi", "en"}:
        errors.add(where, "expected {vi, en} texts")
        return {"vi": "", "en": ""}
    pair = {lang: raw.get(lang) or "" for lang in ("vi", "en")}
    for lang, text in pair.items():
        if not isinstance(text, str):
            errors.add(where, f"{lang}: expected text")
            pair[lang] = ""
        elif len(text) > limit:
            errors.add(where, f"{lang}: at most {limit} characters ({len(text)})")
    if required and not pair["vi"].strip():
        errors.add(where, "vi: the Vietnamese text is required")
    return pair


def _slug(errors: ErrorCollector, where: str, raw: Any, seen: set[str]) -> str:
    if not isinstance(raw, str) or not _SLUG.match(raw) or len(raw) > 60:
        errors.add(where, "expected a key of lower-case letters, digits and dashes (at most 60)")
        return ""
    if raw in seen:
        errors.add(where, f"the key {raw!r} is used twice")
    seen.add(raw)
    return raw


def _scale(errors: ErrorCollector, raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not 2 <= len(raw) <= 11:
        errors.add("scale", "expected a list of 2 to 11 points, lowest first")
        return []
    scale = []
    for n, point in enumerate(raw):
        where = f"scale[{n}]"
        if not isinstance(point, dict) or not isinstance(point.get("value"), int) or isinstance(point["value"], bool):
            errors.add(where, "expected {value: a whole number, vi, en}")
            continue
        texts = _pair(errors, where, {k: point.get(k) for k in ("vi", "en")}, limit=100)
        scale.append({"value": point["value"], **texts})
    values = [p["value"] for p in scale]
    if values != sorted(set(values)):
        errors.add("scale", "the values must increase from the first point to the last")
    return scale


def _options(errors: ErrorCollector, where: str, kind: str, raw: Any) -> list[dict[str, str]]:
    if kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if raw:
            errors.add(where, f"a {kind} question has no options")
        return []
    if not isinstance(raw, list) or not 2 <= len(raw) <= OPTIONS_MAX:
        errors.add(where, f"expected 2 to {OPTIONS_MAX} options")
        return []
    seen: set[str] = set()
    options = []
    for n, option in enumerate(raw):
        place = f"{where}[{n}]"
        if not isinstance(option, dict):
            errors.add(place, "expected {key, vi, en}")
            continue
        key = _slug(errors, f"{place}.key", option.get("key"), seen)
        options.append({"key": key, **_pair(errors, place, {k: option.get(k) for k in ("vi", "en")}, limit=200)})
    return options


def _question(errors: ErrorCollector, n: int, raw: Any, factors: set[str], keys: set[str]) -> dict[str, Any]:
    where = f"questions[{n}]"
    if not isinstance(raw, dict):
        errors.add(where, "expected a mapping")
        return {}
    unknown = set(raw) - {"key", "factor", "kind", "aspect", "vi", "en", "options", "required", "measures"}
    if unknown:
        errors.add(where, f"unknown fields: {', '.join(sorted(unknown))}")
    kind = raw.get("kind")
    if kind not in QuestionKind.values:
        errors.add(f"{where}.kind", f"expected one of {', '.join(QuestionKind.values)}")
        kind = QuestionKind.TEXT
    aspect = raw.get("aspect", Aspect.OTHER)
    if aspect not in Aspect.values:
        errors.add(f"{where}.aspect", f"expected one of {', '.join(Aspect.values)}")
    factor = raw.get("factor")
    if factor is not None and factor not in factors:
        errors.add(f"{where}.factor", f"no factor with the key {factor!r}")
    required = raw.get("required", False)
    if not isinstance(required, bool):
        errors.add(f"{where}.required", "expected true or false")
    measures = raw.get("measures") or ""
    if measures and (not isinstance(measures, str) or not _MEASURES.match(measures)):
        errors.add(f"{where}.measures", "expected an indicator (4.6) or criterion (4.6.2) code")
    return {
        "key": _slug(errors, f"{where}.key", raw.get("key"), keys),
        "factor": factor,
        "kind": kind,
        "aspect": aspect,
        "text": _pair(errors, where, {k: raw.get(k) for k in ("vi", "en")}, limit=TEXT_MAX),
        "options": _options(errors, f"{where}.options", kind, raw.get("options")),
        "required": required is True,
        "measures": measures if isinstance(measures, str) else "",
    }


def template_read(path: Path) -> dict[str, Any]:
    """The file's template, checked whole; raises :class:`SurveyTemplateError` naming every problem."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SurveyTemplateError({"file": [f"not YAML: {exc}"]}) from None
    errors = ErrorCollector()
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise SurveyTemplateError({"format": [f"expected format: {FORMAT}"]})
    code = raw.get("code")
    if not isinstance(code, str) or not _SLUG.match(code):
        errors.add("code", "expected a key of lower-case letters, digits and dashes")
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        errors.add("version", "expected a whole number from 1")
    scale = _scale(errors, raw.get("scale"))
    satisfied = raw.get("satisfied_from")
    if not isinstance(satisfied, int) or satisfied not in [p["value"] for p in scale]:
        errors.add("satisfied_from", "expected one of the scale's values")
    seen: set[str] = set()
    factors = []
    for n, factor in enumerate(raw.get("factors") or []):
        where = f"factors[{n}]"
        if not isinstance(factor, dict):
            errors.add(where, "expected {key, vi, en}")
            continue
        key = _slug(errors, f"{where}.key", factor.get("key"), seen)
        factors.append({"key": key, **_pair(errors, where, {k: factor.get(k) for k in ("vi", "en")}, limit=TITLE_MAX)})
    questions_raw = raw.get("questions")
    if not isinstance(questions_raw, list) or not 1 <= len(questions_raw) <= QUESTIONS_MAX:
        errors.add("questions", f"expected 1 to {QUESTIONS_MAX} questions")
        questions_raw = []
    keys: set[str] = set()
    questions = [_question(errors, n, q, {f["key"] for f in factors}, keys) for n, q in enumerate(questions_raw)]
    template = {
        "code": code,
        "version": version,
        "title": _pair(errors, "title", raw.get("title"), limit=TITLE_MAX),
        "description": _pair(errors, "description", raw.get("description"), limit=5000, required=False),
        "source": raw.get("source") if isinstance(raw.get("source"), str) else "",
        "scale": scale,
        "satisfied_from": satisfied,
        "factors": factors,
        "questions": questions,
    }
    if errors:
        raise SurveyTemplateError(errors.errors)
    return template


def _fingerprint(template: dict[str, Any]) -> str:
    return json.dumps(template, sort_keys=True, ensure_ascii=False)


def _stored_fingerprint(stored: Any, apps: Any) -> str:
    factors = list(stored.factors.order_by("order"))
    by_pk = {f.pk: f.key for f in factors}
    return _fingerprint(
        {
            "code": stored.code,
            "version": stored.version,
            "title": {"vi": stored.title_vi, "en": stored.title_en},
            "description": {"vi": stored.description_vi, "en": stored.description_en},
            "source": stored.source,
            "scale": stored.scale,
            "satisfied_from": stored.satisfied_from,
            "factors": [{"key": f.key, "vi": f.title_vi, "en": f.title_en} for f in factors],
            "questions": [
                {
                    "key": q.key,
                    "factor": by_pk.get(q.factor_id),
                    "kind": q.kind,
                    "aspect": q.aspect,
                    "text": {"vi": q.text_vi, "en": q.text_en},
                    "options": q.options,
                    "required": q.required,
                    "measures": q.measures,
                }
                for q in stored.questions.order_by("order")
            ],
        }
    )


@transaction.atomic
def survey_template_load(path: Path = SIPAS, apps: Any = None) -> tuple[Any, str]:
    """Load the template of ``path``: returns (template, "created" | "updated" | "unchanged")."""
    if apps is None:
        from django.apps import apps  # today's models, or the migration's historical ones
    template_model = apps.get_model("feedback", "SurveyTemplate")
    factor_model = apps.get_model("feedback", "TemplateFactor")
    question_model = apps.get_model("feedback", "TemplateQuestion")
    survey_model = apps.get_model("feedback", "Survey")
    data = template_read(path)
    stored = template_model.objects.filter(code=data["code"], version=data["version"]).first()
    if stored is not None:
        if _stored_fingerprint(stored, apps) == _fingerprint(data):
            return stored, "unchanged"
        if survey_model.objects.filter(template=stored).exists():
            raise SurveyTemplateError(
                {"version": [f"{data['code']} v{data['version']} is used by surveys: give the change a new version"]}
            )
        stored.delete()
    template = template_model.objects.create(
        code=data["code"],
        version=data["version"],
        title_vi=data["title"]["vi"],
        title_en=data["title"]["en"],
        description_vi=data["description"]["vi"],
        description_en=data["description"]["en"],
        source=data["source"][:300],
        scale=data["scale"],
        satisfied_from=data["satisfied_from"],
    )
    factors = {
        f["key"]: factor_model.objects.create(
            template=template, key=f["key"], order=n, title_vi=f["vi"], title_en=f["en"]
        )
        for n, f in enumerate(data["factors"], start=1)
    }
    question_model.objects.bulk_create(
        question_model(
            template=template,
            factor=factors.get(q["factor"]) if q["factor"] else None,
            key=q["key"],
            order=n,
            kind=q["kind"],
            aspect=q["aspect"],
            text_vi=q["text"]["vi"],
            text_en=q["text"]["en"],
            options=q["options"],
            required=q["required"],
            measures=q["measures"],
        )
        for n, q in enumerate(data["questions"], start=1)
    )
    return template, "created" if stored is None else "updated"
