"""Checks shared by the survey and training services of phases 1–2."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from tincay.accounts.roles import is_system
from tincay.common.errors import ErrorCollector, InvalidInput, Refused
from tincay.common.text import grouped
from tincay.rollout import access
from tincay.rollout.choices import QuestionKind
from tincay.rollout.models import (
    Rollout,
)

DEFAULT_QUESTIONNAIRE = Path(__file__).resolve().parent.parent.parent / "data" / "preliminary-survey.yaml"
CHOICE_KINDS = {QuestionKind.CHOICE, QuestionKind.MULTI}
KEY_SHAPE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
KEY_LIMIT = 60
QUESTION_LIMIT = 500
HELP_LIMIT = 2_000
OPTION_LIMIT = 200
OPTIONS_MAX = 40
QUESTIONS_MAX = 100
ANSWER_LIMIT = 4_000
NUMBER_MAX = Decimal("1000000000000")
REASON_LIMIT = 2_000
NAME_LIMIT = 200
TOPIC_LIMIT = 300
NOTE_LIMIT = 4_000
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, no 1/I
CODE_LENGTH = 6
CODE_MINUTES_MAX = 240
CODE_GUESS_LIMIT = 10  # wrong attendance codes one person may type ...
CODE_GUESS_WINDOW_MINUTES = 10  # ... within this many minutes
YES = {"yes", "true", "1", "có", "co"}
NO = {"no", "false", "0", "không", "khong"}


# ---------------------------------------------------------------------------------------------- small checks


def check_text(errors: ErrorCollector, field: str, raw: Any, limit: int, *, required: bool = False) -> str:
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        errors.add(field, _("Enter text."))
        return ""
    text = raw.strip()
    if required and not text:
        errors.add(field, _("This field is required."))
    elif len(text) > limit:
        errors.add(
            field,
            _("Shorten this text to at most %(limit)s characters (it has %(length)s).")
            % {"limit": grouped(limit), "length": grouped(len(text))},
        )
    return text


def check_key(errors: ErrorCollector, field: str, raw: Any, *, required: bool = True) -> str:
    text = check_text(errors, field, raw, KEY_LIMIT, required=required)
    if text and not KEY_SHAPE.match(text):
        errors.add(field, _("Use lower-case letters without accents, digits, - and _ (for example it-systems)."))
    return text


def require(user: Any, allowed: bool, message: str) -> None:
    if not (is_system(user) or allowed):
        raise Refused(message)


def who(user: Any) -> Any:
    return None if is_system(user) else user


def manage_rollout(actor: Any, rollout: Any) -> Rollout:
    if not isinstance(rollout, Rollout):
        raise InvalidInput({"rollout": [_("Choose a rollout.")]})
    require(actor, access.can_manage_rollout(actor, rollout), _("Only the rollout's coordinators change this."))
    return rollout
