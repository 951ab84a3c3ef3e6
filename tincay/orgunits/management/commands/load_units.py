from django.core.management.base import BaseCommand, CommandError

from tincay.orgunits import loaders


class Command(BaseCommand):
    help = (
        "Load Vietnam's administrative units: today's tree (34 provinces, 3,321 communes) and the Hải Phòng "
        "2023 pilot history. Idempotent. --legacy also loads the whole pre-2025 tree with its lineage."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--legacy", action="store_true", help="also load the pre-2025 tree (~11,400 units)")

    def handle(self, *args, **options) -> None:
        # The curated history before the bulk pre-2025 tree: the legacy loader leaves curated units and their
        # lineage to the curated file.
        steps = [("current", loaders.load_current), ("haiphong-pilot-2023", loaders.load_history)]
        if options["legacy"]:
            steps.append(("legacy", loaders.load_legacy))
        for name, load in steps:
            try:
                report = load()
            except (OSError, ValueError, KeyError) as exc:
                raise CommandError(f"{name}: {exc}") from None
            self.stdout.write(f"{name}: {report}")
