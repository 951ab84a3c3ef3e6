"""Finding what a page is about, as the reader may see it: 404 when not visible, 403 when not theirs."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from tincay.common.errors import InvalidInput, add_to_form
from tincay.rollout import access
from tincay.rollout.models import Rollout, RolloutUnit, TrainingSession


def rollout_or_404(request: HttpRequest, code: str) -> Rollout:
    rollout = access.get_rollout_for_user(request.user, code)
    if rollout is None:
        raise Http404(_("This rollout does not exist or is not visible to you."))
    return rollout


def managed(request: HttpRequest, code: str) -> Rollout:
    rollout = rollout_or_404(request, code)
    if not access.can_manage_rollout(request.user, rollout):
        raise PermissionDenied(_("Only the rollout's coordinators change this."))
    return rollout


def entry_or_404(request: HttpRequest, rollout: Rollout, key: str) -> RolloutUnit:
    entry = access.get_entry_for_user(request.user, rollout, key)
    if entry is None:
        raise Http404(_("This unit is not in the rollout or is not visible to you."))
    return entry


def session_or_404(request: HttpRequest, rollout: Rollout, pk: int, *, everything: bool) -> TrainingSession:
    session = access.get_session_for_user(request.user, rollout, pk, everything=everything)
    if session is None:
        raise Http404(_("This training session does not exist or is not visible to you."))
    return session


def show_errors(form: forms.Form, error: InvalidInput) -> int:
    add_to_form(form, error)
    return 403 if error.status == 403 else 200
