from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tincay.demo.constants import DEMO_PASSWORD
from tincay.demo.seed import seed


class Command(BaseCommand):
    help = "Load the framework, the units and the demo accounts (idempotent). Refused in production."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-surveys",
            action="store_true",
            help="leave out the demo citizens' surveys (the test suite's shared database: tests count their own)",
        )

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("seed_demo tạo tài khoản mẫu; không chạy trên hệ thống thật / refused in production")
        users = seed(stdout=self.stdout, surveys=not options["no_surveys"])
        self.stdout.write(self.style.SUCCESS(f"Demo ready: {len(users)} accounts, password {DEMO_PASSWORD}"))
        for user in users:
            self.stdout.write(f"  {user.username:<10} {user.role}")
