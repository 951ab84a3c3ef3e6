from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tincay.catalogue import library
from tincay.catalogue.services import CatalogueError, version_load_document

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


class Command(BaseCommand):
    help = "Load framework library files (YAML). Idempotent; an issued version that changed is refused."

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="*", help="YAML files; default: every *.yaml in catalogue/data/")

    def handle(self, *args, paths: list[str], **options) -> None:
        files = [Path(p) for p in paths] or sorted(DATA_DIR.glob("*.yaml"))
        if not files:
            raise CommandError(f"Không có tệp bộ chỉ số nào trong {DATA_DIR} / no framework files found")
        for path in files:
            try:
                doc = library.parse_yaml(path.read_text(encoding="utf-8"))
                version, outcome = version_load_document(doc=doc, actor="load_framework")
            except OSError as exc:
                raise CommandError(f"{path}: {exc}") from None
            except library.LibraryError as exc:
                raise CommandError(f"{path}: tệp không hợp lệ / invalid file:\n{exc}") from None
            except CatalogueError as exc:
                raise CommandError(f"{path}: {exc}") from None
            numbers = library.counts(doc)
            self.stdout.write(
                f"{version.ref}: {outcome} ({numbers['pillars']} pillars, {numbers['indicators']} indicators, "
                f"{numbers['criteria']} criteria)"
            )
