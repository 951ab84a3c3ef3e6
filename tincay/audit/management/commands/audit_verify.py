"""``manage.py audit_verify [--checkpoint]``: verify the audit trail; exit non-zero naming each problem.

Checks the keyed chain (edited, deleted, rewritten events; unknown keys), compares the database with the latest
checkpoint (deleted last events), and that the database triggers are in place. ``--checkpoint`` then records the
verified head as a new checkpoint file (schedule it daily, after the check; see docs/operations.md).
"""

from django.core.management.base import BaseCommand, CommandError

from tincay.audit import messages
from tincay.audit.selectors import audit_trail_check
from tincay.audit.services import audit_checkpoint_write


class Command(BaseCommand):
    help = (
        "Verify the audit trail (keyed hash chain, latest checkpoint, database guards); names each problem. "
        "--checkpoint also records the verified chain head in file storage."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--checkpoint",
            action="store_true",
            help="after a successful verification, write the chain head to audit/checkpoints/ in file storage",
        )

    def handle(self, *args, **options) -> None:
        if options["checkpoint"]:
            check, written = audit_checkpoint_write()
        else:
            check, written = audit_trail_check(), None
        if not check.intact:
            raise CommandError(messages.failure(check))
        self.stdout.write(self.style.SUCCESS(messages.success(check)))
        if written is not None:
            self.stdout.write(self.style.SUCCESS(messages.written(written)))
