"""Typed request bodies of the API's writes: a first check for comfort, and the truth of the OpenAPI schema.

The services remain the guard (they validate the whole input against the domain and check permission); these
serializers only make sure that what reaches them has the documented shape, so a client learns early, field by
field, what is wrong: unknown fields are named, a JSON body must be an object, types are strict (``"3"`` is not a
revision, ``1`` is not a boolean, ``123`` is not a text), numbers and texts stay within the columns' bounds.
Form and multipart bodies carry only strings, so there numbers and booleans are read from their text.

The schema of every serializer here says ``additionalProperties: false``, so schema and behaviour agree.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.validators import URLValidator
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from tincay.assessments import rules, workflow
from tincay.assessments.choices import DocumentKind, Level, Visibility
from tincay.common.errors import NON_FIELD
from tincay.common.text import grouped

PK_MAX = 2**63 - 1  # the largest id the database can hold; a larger one is a 400, not an overflow
REVISION_MAX = 2_147_483_647
REASON_MAX = 2_000


def _json_body(field: serializers.Field) -> bool:
    """True for a JSON body (typed values), False for a form or multipart body (every value is text)."""
    return not isinstance(getattr(field.root, "initial_data", None), QueryDict)


def _well_formed(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a JSON "\ud800" escape: no database can store it
        return False
    return True


class Text(serializers.CharField):
    """A text: a JSON string (never a number or a list turned into one), within a length limit."""

    default_error_messages = {
        "invalid": gettext_lazy("Enter text."),
        "blank": gettext_lazy("This field cannot be empty."),
        "max_length": gettext_lazy("Shorten this text to at most {max_length} characters."),
        "null": gettext_lazy("This field cannot be null: send an empty text instead."),
        "required": gettext_lazy("This field is required."),
        "malformed": gettext_lazy("This text contains characters that cannot be stored: remove them."),
    }

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        if "\x00" in data or not _well_formed(data):
            self.fail("malformed")
        return super().to_internal_value(data)


@extend_schema_field({"type": "string", "format": "uri"})
class Link(Text):
    """A web address starting with http:// or https://."""

    default_error_messages = {"invalid_url": gettext_lazy("Enter a web address starting with http:// or https://.")}

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.validators.append(URLValidator(schemes=["http", "https"], message=self.error_messages["invalid_url"]))


@extend_schema_field(
    {
        "oneOf": [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 0}],
        "nullable": True,
        "description": "YYYY-MM-DD; null or empty: none",
    }
)
class Day(serializers.DateField):
    """A date as YYYY-MM-DD; null or an empty string (what a form sends for an empty date) means none."""

    default_error_messages = {
        "invalid": gettext_lazy("Write the date as YYYY-MM-DD."),
        "datetime": gettext_lazy("Write the date as YYYY-MM-DD."),
    }

    def __init__(self, **kwargs: Any):
        super().__init__(required=False, allow_null=True, **kwargs)

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data == "":
            return True, None
        return super().validate_empty_values(data)

    def to_internal_value(self, value: Any) -> Any:
        if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            self.fail("invalid")
        return super().to_internal_value(value)


class Choice(serializers.ChoiceField):
    """One of fixed values, named in the message when the value is not one of them."""

    default_error_messages = {
        "invalid_choice": gettext_lazy("“{input}” is not allowed here: choose one of {choices}."),
        "null": gettext_lazy("This field cannot be null."),
        "required": gettext_lazy("This field is required."),
    }

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid_choice", input=str(data)[:40], choices=self._listed())
        if data == "" and self.allow_blank:
            return ""
        if data not in self.choice_strings_to_values:
            self.fail("invalid_choice", input=data[:40], choices=self._listed())
        return self.choice_strings_to_values[data]

    def _listed(self) -> str:
        return ", ".join(str(c) for c in self.choices if c != "") + (_(" (or empty)") if self.allow_blank else "")


class WholeNumber(serializers.IntegerField):
    """A whole number within bounds: a JSON integer (not ``"3"``, ``3.0`` or ``true``); in a form, digits."""

    default_error_messages = {
        "invalid": gettext_lazy("Send a whole number, for example 3."),
        "max_value": gettext_lazy("Give a number of at most {max_value}."),
        "min_value": gettext_lazy("Give a number of at least {min_value}."),
        "max_string_length": gettext_lazy("This number is too long."),
        "null": gettext_lazy("This field cannot be null."),
        "required": gettext_lazy("This field is required."),
    }

    def to_internal_value(self, data: Any) -> int:
        if _json_body(self):
            if isinstance(data, bool) or not isinstance(data, int):
                self.fail("invalid")
            return data
        if not isinstance(data, str) or not re.fullmatch(r"[0-9]{1,19}", data.strip()):
            self.fail("invalid")
        return int(data.strip())


class YesNo(serializers.BooleanField):
    """A boolean: JSON ``true``/``false``; in a form, true/false (also on/off, 1/0)."""

    default_error_messages = {
        "invalid": gettext_lazy("Say yes or no (true or false)."),
        "null": gettext_lazy("This field cannot be null."),
        "required": gettext_lazy("This field is required."),
    }

    def to_internal_value(self, data: Any) -> bool:
        if _json_body(self):
            if not isinstance(data, bool):
                self.fail("invalid")
            return data
        if isinstance(data, str) and data.strip().lower() in {"true", "on", "1", "yes"}:
            return True
        if isinstance(data, str) and data.strip().lower() in {"false", "off", "0", "no", ""}:
            return False
        self.fail("invalid")


def _decimal_schema(digits: int, places: int) -> dict[str, Any]:
    whole = digits - places
    top = float(Decimal(10) ** whole - Decimal(1).scaleb(-places))
    return {
        "oneOf": [
            {"type": "string", "pattern": rf"^(?:[0-9]{{1,{whole}}}(?:\.[0-9]{{1,{places}}})?)?$"},
            {"type": "number", "minimum": 0, "maximum": top},
        ],
        "nullable": True,
        "description": f"0 or more, at most {whole} digits before the decimal point and {places} after "
        '(a string such as "12.5" or a number); null or "" clears it',
    }


class Amount(serializers.Field):
    """A non-negative decimal for a DECIMAL(digits, places) column: a string of digits or a JSON number; null or
    an empty string clears it. More decimals than the column holds are refused, never rounded."""

    default_error_messages = {
        "invalid": gettext_lazy("Enter a number with a dot for decimals, for example 12.5."),
        "range": gettext_lazy("Enter a number of at least 0 and below %(top)s."),
        "places": gettext_lazy("Enter at most %(places)s decimals."),
        "required": gettext_lazy("This field is required."),
    }

    def __init__(self, *, digits: int, places: int, **kwargs: Any):
        self.digits, self.places = digits, places
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data == "":
            return True, None
        return super().validate_empty_values(data)

    def to_internal_value(self, data: Any) -> Decimal:
        if isinstance(data, str) and re.fullmatch(r"-?[0-9]{1,40}(?:\.[0-9]{1,40})?", data):
            value = Decimal(data)
        elif _json_body(self) and isinstance(data, int | float) and not isinstance(data, bool):
            if isinstance(data, float) and not math.isfinite(data):
                self.fail("invalid")
            try:
                value = Decimal(repr(data)) if isinstance(data, float) else Decimal(data)
            except InvalidOperation:  # pragma: no cover - repr of a finite float is always a number
                self.fail("invalid")
        else:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        top = Decimal(10) ** (self.digits - self.places)
        if not Decimal(0) <= value < top:
            raise ValidationError(self.error_messages["range"] % {"top": grouped(top)}, code="range")
        if isinstance(data, str) and len(data.split(".")[0]) > self.digits - self.places:
            self.fail("invalid")  # leading zeros beyond the column's digits
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.places:
            raise ValidationError(self.error_messages["places"] % {"places": self.places}, code="places")
        return value

    def to_representation(self, value: Any) -> Any:  # pragma: no cover - input only
        return None if value is None else str(value)


class InputSerializer(serializers.Serializer):
    """A request body: a JSON object (or a form) whose every key is a field of the operation."""

    default_error_messages = {
        "invalid": gettext_lazy("Send the body as a JSON object of field names and values, not {datatype}."),
    }

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, Mapping):
            raise ValidationError({NON_FIELD: [self._shape_message(data)]})
        unknown = sorted(str(k) for k in data if k not in self.fields)
        if unknown:
            allowed = ", ".join(self.fields)
            message = _("Unknown field: remove it (this request accepts %(fields)s).") % {"fields": allowed}
            errors = {name: [message] for name in unknown}
            try:
                super().to_internal_value(data)
            except ValidationError as invalid:
                errors = {**invalid.detail, **errors}
            raise ValidationError(errors)
        return super().to_internal_value(data)

    def _shape_message(self, data: Any) -> str:
        kind = (
            _("null")
            if data is None
            else _("a list")
            if isinstance(data, list)
            else _("a text")
            if isinstance(data, str)
            else _("a number")
            if isinstance(data, int | float)
            else type(data).__name__
        )
        return self.error_messages["invalid"].format(datatype=kind)

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data is None:  # a JSON body of ``null``
            raise ValidationError({NON_FIELD: [self._shape_message(None)]})
        return super().validate_empty_values(data)


class StrictInputExtension(OpenApiSerializerExtension):
    """Every input serializer's schema refuses unknown properties, as the serializer does."""

    target_class = InputSerializer
    match_subclasses = True

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema = auto_schema._map_basic_serializer(self.target, direction)
        schema["additionalProperties"] = False
        # a PATCH body is documented as "patched" (nothing required); these bodies require what they require
        required = [name for name, field in self.target.fields.items() if field.required and not field.read_only]
        if required:
            schema["required"] = sorted(required)
        return schema


# ---- criterion results ----------------------------------------------------------------------------------------


def _level(**kwargs: Any) -> Choice:
    return Choice(choices=Level.choices, allow_blank=True, required=False, **kwargs)


def _text(name: str) -> Text:
    return Text(max_length=rules.TEXT_LIMITS[name], allow_blank=True, required=False, trim_whitespace=False)


VALUE = extend_schema_field(_decimal_schema(*rules.VALUE_DIGITS))
POINTS = extend_schema_field(_decimal_schema(*rules.POINTS_DIGITS))


@VALUE
class Value(Amount):
    def __init__(self, **kwargs: Any):
        super().__init__(digits=rules.VALUE_DIGITS[0], places=rules.VALUE_DIGITS[1], **kwargs)


@POINTS
class Points(Amount):
    def __init__(self, **kwargs: Any):
        super().__init__(digits=rules.POINTS_DIGITS[0], places=rules.POINTS_DIGITS[1], **kwargs)


def _track_field(track: str) -> serializers.Field:
    field = extend_schema_field({"type": "string", "pattern": f"^{track}$", "description": f'always "{track}"'})(
        type(f"{track.title()}Track", (Choice,), {})
    )
    return field(choices=[track])


class _ResultWrite(InputSerializer):
    revision = WholeNumber(
        min_value=0, max_value=REVISION_MAX, help_text="the revision the client loaded (409 when someone saved since)"
    )


class SelfResultWrite(_ResultWrite):
    """The unit's own result: level or measured value or points, N/A with a reason, narrative."""

    track = _track_field("self")
    self_level = _level()
    self_value = Value(help_text="measured value (performance criteria only)")
    self_points = Points(help_text="points (points scoring only)")
    na = YesNo(required=False, help_text="not applicable (needs a reason)")
    na_reason = _text("na_reason")
    narrative = _text("narrative")
    no_evidence_reason = _text("no_evidence_reason")


class ScorerResultWrite(_ResultWrite):
    """The scorer's result and comment."""

    track = _track_field("scorer")
    scorer_level = _level()
    scorer_value = Value()
    scorer_comment = _text("scorer_comment")


class FinalResultWrite(_ResultWrite):
    """The council's final result; a comment when it differs from the scorer's."""

    track = _track_field("final")
    final_level = _level()
    final_value = Value()
    final_comment = _text("final_comment")


RESULT_WRITES: dict[str, type[_ResultWrite]] = {
    "self": SelfResultWrite,
    "scorer": ScorerResultWrite,
    "final": FinalResultWrite,
}
RESULT_WRITE_SCHEMA = PolymorphicProxySerializer(
    component_name="ResultWrite",
    serializers={track: cls for track, cls in RESULT_WRITES.items()},
    resource_type_field_name="track",
)


class _TrackOnly(InputSerializer):
    track = Choice(choices=list(RESULT_WRITES))


def result_write(data: Any) -> tuple[str, dict[str, Any]]:
    """The track and typed values of a result PATCH body (ValidationError naming every problem)."""
    if not isinstance(data, Mapping):
        raise ValidationError({NON_FIELD: [InputSerializer()._shape_message(data)]})
    track = data.get("track")
    if not isinstance(track, str) or track not in RESULT_WRITES:
        picked = _TrackOnly(data={"track": track} if "track" in data else {})
        picked.is_valid()
        raise ValidationError(picked.errors or {"track": [_("Choose a track: self, scorer or final.")]})
    serializer = RESULT_WRITES[track](data=data)
    serializer.is_valid(raise_exception=True)
    values = dict(serializer.validated_data)
    return str(values.pop("track")), values


# ---- transitions, evidence, documents ---------------------------------------------------------------------------


class TransitionWrite(InputSerializer):
    """One transition of the workflow."""

    action = Choice(choices=list(workflow.BY_ACTION))
    reason = Text(max_length=REASON_MAX, required=False, allow_blank=True, help_text="needed to return or reopen")


class EvidenceLinkWrite(InputSerializer):
    """A document of the unit's register to attach to the criterion."""

    document = WholeNumber(min_value=1, max_value=PK_MAX, help_text="id of a document of the unit's register")


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^(?:" + "|".join(DocumentKind.values) + ")?$",
        "description": "one of: " + ", ".join(DocumentKind.values) + "; empty or absent: other",
    }
)
class DocumentKindChoice(Choice):
    """The kind of a document; a pattern in the schema (an enum named "kind" exists for units and lineage too)."""


class DocumentWrite(InputSerializer):
    """A register entry given by link (JSON or form); with a file, use multipart (``DocumentUpload``)."""

    title = Text(max_length=500)
    number = Text(max_length=100, required=False, allow_blank=True)
    issued_on = Day()
    issuer = Text(max_length=300, required=False, allow_blank=True)
    kind = DocumentKindChoice(choices=DocumentKind.choices, required=False, allow_blank=True)
    url = Link(max_length=1000, required=False, allow_blank=True)
    valid_until = Day()
    visibility = Choice(
        choices=Visibility.choices, required=False, allow_blank=True, help_text="empty or absent: internal"
    )


class DocumentUpload(DocumentWrite):
    """A register entry with its file (multipart), or a link."""

    file = serializers.FileField(required=False, help_text="checked by its content; PDF, Office, images")


def json_or_form(serializer: Any) -> dict[str, Any]:
    """The request body of an operation that takes JSON or a form (``extend_schema(request=...)``)."""
    return {"application/json": serializer, "application/x-www-form-urlencoded": serializer}


def validated(serializer_class: type[serializers.Serializer], request: Any) -> dict[str, Any]:
    """The request's body checked against ``serializer_class`` (a 400 in the API's shape when it does not fit)."""
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)
