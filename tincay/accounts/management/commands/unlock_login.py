"""``manage.py unlock_login (--username NAME | --address IP) [--list]``: unlock now, through the audited service.

For when no administrator can reach the locked accounts page (an administrator locked out themselves). django-axes'
own ``axes_reset_username`` does the same without an audit event.
"""

from django.core.management.base import BaseCommand, CommandError

from tincay.accounts.lockout import lockout_reset, lockouts_current
from tincay.common.errors import InvalidInput


class Command(BaseCommand):
    help = "Unlock an account or an address locked after failed log-ins (audited); --list shows what is locked."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="", help="the account to unlock")
        parser.add_argument("--address", default="", help="the IP address to unlock")
        parser.add_argument("--list", action="store_true", help="list the accounts and addresses locked now")

    def handle(self, *args, **options) -> None:
        if options["list"]:
            for lock in lockouts_current():
                self.stdout.write(f"{lock.kind}\t{lock.value}\t{lock.failures}\t{lock.unlock_at.isoformat()}")
            if not (options["username"] or options["address"]):
                return
        try:
            cleared = lockout_reset(actor="unlock_login", username=options["username"], address=options["address"])
        except InvalidInput as error:
            raise CommandError(error.message) from None
        who = options["username"] or options["address"]
        if cleared:
            self.stdout.write(self.style.SUCCESS(f"{who}: unlocked ({cleared} failure records cleared)"))
        else:
            self.stdout.write(f"{who}: was not locked; nothing changed")
