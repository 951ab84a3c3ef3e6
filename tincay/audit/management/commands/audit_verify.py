from django.core.management.base import BaseCommand, CommandError

from tincay.audit.models import AuditEvent
from tincay.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail; names the first broken link."

    def handle(self, *args, **options) -> None:
        broken = audit_chain_verify()
        if broken is not None:
            raise CommandError(
                f"Chuỗi nhật ký bị phá vỡ tại sự kiện #{broken.event_id}: {broken.problem}. "
                f"/ Audit chain broken at event #{broken.event_id}: {broken.problem}."
            )
        count = AuditEvent.objects.count()
        self.stdout.write(
            self.style.SUCCESS(f"OK: {count} sự kiện, chuỗi băm nguyên vẹn / {count} events, chain intact")
        )
