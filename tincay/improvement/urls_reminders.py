from django.urls import path

from tincay.improvement.views import reminders

urlpatterns: list = [
    path("reminders/", reminders.rule_list, name="reminder_rules"),
    path("reminders/new/", reminders.rule_edit, name="reminder_rule_new"),
    path("reminders/<int:pk>/edit/", reminders.rule_edit, name="reminder_rule_edit"),
    path("reminders/<int:pk>/deactivate/", reminders.rule_deactivate, name="reminder_rule_deactivate"),
    path("reminders/log/", reminders.reminder_log, name="reminder_log"),
    path("reminders/action/<int:pk>/", reminders.action_reminders, name="action_reminders"),
]
