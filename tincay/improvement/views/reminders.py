"""Reminder pages: the rules (administrators and national coordinators), the send log, one action's reminders."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tincay.common.errors import InvalidInput, add_to_form
from tincay.improvement import access
from tincay.improvement.choices import Channel, ReminderRecipient, ReminderState
from tincay.improvement.models import ReminderRule
from tincay.improvement.selectors import reminders as selectors_reminders
from tincay.improvement.services import reminders as services

PAGE_SIZE = 50


class ReminderRuleForm(forms.Form):
    """Only collects what was typed; the service checks it (errors come back beside the fields)."""

    name = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=1000)
    offset_days = forms.CharField(
        label=gettext_lazy("Days from the deadline"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("Negative before the deadline (-7), positive after it (3), 0 on the day itself."),
    )
    recipients = forms.MultipleChoiceField(
        label=gettext_lazy("Who is reminded"),
        choices=ReminderRecipient.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    channels = forms.MultipleChoiceField(
        label=gettext_lazy("How"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    is_active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)


def _manager_or_403(request: HttpRequest) -> None:
    if not access.can_manage_reminder_rules(request.user):
        raise PermissionDenied(_("Only administrators and national coordinators manage reminder rules."))


def _rule_or_404(pk: int) -> ReminderRule:
    rule = ReminderRule.objects.filter(pk=pk).first()
    if rule is None:
        raise Http404(_("This reminder rule does not exist."))
    return rule


@login_required
@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    _manager_or_403(request)
    return render(request, "improvement/reminder_rules.html", {"rows": selectors_reminders.reminder_rules()})


def _save(request: HttpRequest, form: ReminderRuleForm, rule: ReminderRule | None) -> ReminderRule | None:
    data = form.cleaned_data
    fields = {
        "name": data["name"],
        "offset_days": data["offset_days"],
        "recipients": data["recipients"],
        "channels": data["channels"],
        "is_active": data["is_active"],
    }
    try:
        if rule is None:
            return services.reminder_rule_create(actor=request.user, **fields)
        return services.reminder_rule_update(actor=request.user, rule=rule, **fields)
    except InvalidInput as error:
        add_to_form(form, error)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _manager_or_403(request)
    rule = _rule_or_404(pk) if pk is not None else None
    initial = (
        {
            "name": rule.name,
            "offset_days": str(rule.offset_days),
            "recipients": rule.recipients,
            "channels": rule.channels,
            "is_active": rule.is_active,
        }
        if rule
        else {"is_active": True, "channels": [Channel.IN_APP]}
    )
    form = ReminderRuleForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, rule)
        if saved is not None:
            messages.success(
                request,
                _("Reminder rule “%(name)s” saved; the reminders of open actions follow it.") % {"name": saved.name},
            )
            return redirect("improvement:reminder_rules")
    return render(request, "improvement/reminder_rule_form.html", {"form": form, "rule": rule})


@login_required
@require_POST
def rule_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    _manager_or_403(request)
    rule = _rule_or_404(pk)
    try:
        services.reminder_rule_deactivate(actor=request.user, rule=rule)
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        text = _("Reminder rule “%(name)s” switched off; its pending reminders are cancelled.")
        messages.success(request, text % {"name": rule.name})
    return redirect("improvement:reminder_rules")


@login_required
@require_GET
def reminder_log(request: HttpRequest) -> HttpResponse:
    if not selectors_reminders.can_read_log(request.user):
        raise PermissionDenied(_("The reminder log is for administrators, coordinators and viewers."))
    filters = selectors_reminders.log_filters(request.GET)
    page = Paginator(selectors_reminders.reminder_log(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    names = selectors_reminders.people_names(rows)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "improvement/reminder_log.html",
        {
            "page": page,
            "rows": [
                (r, [names.get(pk, "—") for pk in r.recipients or []], selectors_reminders.channel_labels(r.channels))
                for r in rows
            ],
            "filters": filters,
            "values": {k: request.GET.get(k, "")[:20] for k in ("state", "rule", "due_from", "due_to")},
            "states": ReminderState.choices,
            "rules": ReminderRule.objects.order_by("offset_days", "pk"),
            "query": query.urlencode(),
            "can_manage": access.can_manage_reminder_rules(request.user),
        },
    )


@login_required
@require_GET
def action_reminders(request: HttpRequest, pk: int) -> HttpResponse:
    """One action's reminders: the partial alone for htmx, inside a page otherwise."""
    action = access.get_action_for_user(request.user, pk)
    if action is None:
        raise Http404(_("This action does not exist or is not visible to you."))
    context = {"action": action, "action_reminders": selectors_reminders.action_reminders(action)}
    if getattr(request, "htmx", False):
        return render(request, "improvement/_action_reminders.html", context)
    return render(request, "improvement/reminder_action.html", context)
