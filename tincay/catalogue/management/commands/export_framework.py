import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tincay.catalogue import library, xlsx
from tincay.catalogue.selectors import version_by_ref, version_document


class Command(BaseCommand):
    help = "Export a framework version (e.g. tcvn-iso-18091/2020) as YAML or as an Excel workbook."

    def add_arguments(self, parser) -> None:
        parser.add_argument("ref", help="<framework code>/<version code>")
        parser.add_argument("--xlsx", action="store_true", help="write an Excel workbook instead of YAML")
        parser.add_argument("-o", "--output", help="output file (default: standard output for YAML)")

    def handle(self, *args, ref: str, output: str | None, **options) -> None:
        framework_code, _sep, version_code = ref.partition("/")
        version = version_by_ref(framework_code, version_code)
        if version is None:
            raise CommandError(f"Không tìm thấy phiên bản {ref} / version {ref} not found")
        doc = version_document(version)
        if options["xlsx"]:
            if not output:
                raise CommandError("--xlsx needs --output FILE.xlsx")
            Path(output).write_bytes(xlsx.workbook_bytes(doc))
        elif output:
            Path(output).write_text(library.dump_yaml(doc), encoding="utf-8")
        else:
            sys.stdout.write(library.dump_yaml(doc))
