from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tincay.catalogue import library, xlsx
from tincay.catalogue.services import CatalogueError, version_load_document


class Command(BaseCommand):
    help = "Import a framework version from an Excel workbook written by export_framework --xlsx."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument("--yaml", help="also write the imported version as YAML to this file")

    def handle(self, *args, path: str, **options) -> None:
        try:
            doc = xlsx.document_from_workbook(Path(path).read_bytes())
            version, outcome = version_load_document(doc=doc, actor="import_framework_xlsx")
        except OSError as exc:
            raise CommandError(f"{path}: {exc}") from None
        except library.LibraryError as exc:
            raise CommandError(f"{path}: tệp không hợp lệ / invalid file:\n{exc}") from None
        except CatalogueError as exc:
            raise CommandError(str(exc)) from None
        if options["yaml"]:
            Path(options["yaml"]).write_text(library.dump_yaml(doc), encoding="utf-8")
        self.stdout.write(f"{version.ref}: {outcome}")
