"""``manage.py backup [--output FOLDER]``: the database, the files and the audit chain head in one archive.

Writes ``tincay-backup-<time>.tar`` (format and guarantees: ``tincay.ops.backup``) and prints one JSON line: where,
how many tables, rows and files, and the audit chain head it verified. Restore it with ``manage.py restore``.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from tincay.ops.backup import backup


class Command(BaseCommand):
    help = "Back up the database, the files and the audit chain head into one archive (restore: manage.py restore)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", default="backups", help="folder to write the archive into (default backups/)")

    def handle(self, *args, **options) -> None:
        result = backup(Path(options["output"]))
        if not result.audit["intact"]:
            self.stderr.write(
                "Cảnh báo / warning: the audit trail did not verify at the time of the backup: "
                + "; ".join(result.audit["findings"][:3])
            )
        summary = {
            "backup": str(result.path),
            "tables": result.tables,
            "rows": result.rows,
            "files": result.files,
            "bytes": result.bytes,
            "audit_events": result.audit["count"],
            "audit_last_hash": result.audit["last_hash"],
        }
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
