from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RolloutConfig(AppConfig):
    name = "tincay.rollout"
    label = "rollout"
    verbose_name = _("Rollout of the standard")
