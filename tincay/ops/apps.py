from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "tincay.ops"
    label = "ops"
    verbose_name = _("Operations: workers, periodic jobs, backup and restore")

    def ready(self) -> None:
        from tincay.ops import checks  # noqa: F401  (registers the deploy checks)
