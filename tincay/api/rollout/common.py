"""Shared pieces of the rollout API: the limits on texts and keys, finding the rollout and the unit (404 when
not visible, 403 when visible but not yours to change), and a copy of a request body with every field optional.
"""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from tincay.api import inputs
from tincay.rollout import access
from tincay.rollout.models import Rollout, RolloutUnit

TEXT_MAX = 10_000
KEY_MAX = 100
PAGE_MAX = 10**9


def page_number(given: str | None) -> int:
    """``page`` of a paged read: a whole number from 1 (1 when not given), else a 400 with the field named."""
    page = given or "1"
    if not page.isascii() or not page.isdigit() or not 1 <= int(page) <= PAGE_MAX:
        raise ValidationError(
            {"page": [_("Give a whole number from %(low)s to %(high)s.") % {"low": 1, "high": "1.000.000.000"}]}
        )
    return int(page)


def _text_key(value: str) -> str:
    if "\x00" in value or len(value) > KEY_MAX:
        raise Http404
    return value


def _rollout(request: Any, code: str) -> Rollout:
    rollout = access.get_rollout_for_user(request.user, _text_key(code))
    if rollout is None:
        raise Http404(_("This rollout does not exist or is not visible to you."))
    return rollout


def _managed(request: Any, code: str) -> Rollout:
    rollout = _rollout(request, code)
    if not access.can_manage_rollout(request.user, rollout):
        raise PermissionDenied(_("Only the rollout's coordinators change this."))
    return rollout


def _entry(request: Any, rollout: Rollout, key: str) -> RolloutUnit:
    entry = access.get_entry_for_user(request.user, rollout, _text_key(key))
    if entry is None:
        raise Http404(_("This unit is not in the rollout or is not visible to you."))
    return entry


def _all_optional(serializer_class: type[inputs.InputSerializer], name: str, doc: str) -> type[inputs.InputSerializer]:
    """A copy of a request body whose every field may be left out (a PATCH: what is left out stays)."""
    fields = {
        field_name: field.__class__(*copy.deepcopy(field._args), **{**copy.deepcopy(field._kwargs), "required": False})
        if field.required
        else copy.deepcopy(field)
        for field_name, field in serializer_class._declared_fields.items()
    }
    return type(name, (inputs.InputSerializer,), {**fields, "__doc__": doc, "__module__": __name__})
