from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "tincay.reports"
    label = "reports"
    verbose_name = _("Results and reports")

    def ready(self) -> None:
        # publishing (assessments, below this app) freezes a snapshot through the builder handed over here
        from tincay.assessments.services.publication import register_snapshot_freezer
        from tincay.reports.services import snapshot_freeze

        register_snapshot_freezer(snapshot_freeze)
