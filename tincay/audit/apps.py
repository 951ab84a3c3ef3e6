from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "tincay.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from tincay.audit import guards

        # After every migrate: a migration that rebuilds the table (SQLite) would drop the triggers silently.
        post_migrate.connect(guards.reinstall_after_migrate, sender=self, dispatch_uid="audit-guards")
