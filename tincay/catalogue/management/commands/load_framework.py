from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tincay.catalogue import library
from tincay.catalogue.services import CatalogueError, version_load_document

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


def _ref(doc: dict) -> str:
    return f"{doc['framework']['code']}/{doc['version']['code']}"


def _parents_first(docs: list[tuple[Path, dict]]) -> list[tuple[Path, dict]]:
    """The files in their order, except that a version comes after the version it is derived from."""
    pending, done, ordered = list(docs), set(), []
    batch = {_ref(doc) for _path, doc in docs}
    while pending:
        ready = [item for item in pending if item[1]["version"]["derived_from"] not in batch - done]
        if not ready:  # a cycle: let the loader name the missing parent
            ready = pending[:1]
        for item in ready:
            ordered.append(item)
            done.add(_ref(item[1]))
            pending.remove(item)
    return ordered


class Command(BaseCommand):
    help = "Load framework library files (YAML). Idempotent; an issued version that changed is refused."

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="*", help="YAML files; default: every *.yaml in catalogue/data/")

    def handle(self, *args, paths: list[str], **options) -> None:
        files = [Path(p) for p in paths] or sorted(DATA_DIR.glob("*.yaml"))
        if not files:
            raise CommandError(f"Không có tệp bộ chỉ số nào trong {DATA_DIR} / no framework files found")
        docs = []
        for path in files:
            try:
                docs.append((path, library.parse_yaml(path.read_text(encoding="utf-8"))))
            except OSError as exc:
                raise CommandError(f"{path}: {exc}") from None
            except library.LibraryError as exc:
                raise CommandError(f"{path}: tệp không hợp lệ / invalid file:\n{exc}") from None
        for path, doc in _parents_first(docs):
            try:
                version, outcome = version_load_document(doc=doc, actor="load_framework")
            except CatalogueError as exc:
                raise CommandError(f"{path}: {exc}") from None
            numbers = library.counts(doc)
            self.stdout.write(
                f"{version.ref}: {outcome} ({numbers['pillars']} pillars, {numbers['indicators']} indicators, "
                f"{numbers['criteria']} criteria)"
            )
