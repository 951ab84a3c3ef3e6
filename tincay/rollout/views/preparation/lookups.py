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
    entry = access.entries_visible_to(request.user, rollout).filter(unit__key=key).first()
    if entry is None:
        raise Http404(_("This unit is not in the rollout or is not visible to you."))
    entry.rollout = rollout
    return entry


def session_or_404(request: HttpRequest, rollout: Rollout, pk: int, *, everything: bool) -> TrainingSession:
    sessions = TrainingSession.objects.filter(rollout=rollout, pk=pk)
    if not everything:
        visible = access.entries_visible_to(request.user, rollout).values("unit_id")
        sessions = sessions.filter(units__in=visible).distinct()
    session = sessions.first()
    if session is None:
        raise Http404(_("This training session does not exist or is not visible to you."))
    session.rollout = rollout
    return session


def show_errors(form: forms.Form, error: InvalidInput) -> int:
    add_to_form(form, error)
    return 403 if error.status == 403 else 200
