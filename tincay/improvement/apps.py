from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "tincay.improvement"
    label = "improvement"
    verbose_name = _("Areas to improve and action programmes")
