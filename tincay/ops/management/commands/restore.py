"""``manage.py restore ARCHIVE [--check]``: restore a ``manage.py backup`` archive into an empty, migrated database
and its file storage, or with ``--check`` only verify the archive (every member against its SHA-256, format and
versions) without touching anything.

Fails closed: a damaged archive, another application version, other applied migrations, a database that already
holds data or a storage holding another content under one of the backup's names is refused before anything is
written. After loading, the instance is compared with the backup (row counts, file hashes, the audit chain head);
a difference undoes the restore. Exits non-zero with the reason, in Vietnamese then English (the operator may read
either; a support request quotes the English).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tincay.ops.backup import BackupRefused, RestoreMismatch, read_manifest, restore

REFUSED = gettext_noop("Restore refused, nothing was written: %(reason)s")
UNDONE = gettext_noop("Restore undone, the result was not identical to the backup: %(reason)s")


def _in_both_languages(heading: str, reason: Exception) -> str:
    """The heading (a message with ``%(reason)s``) and the reason, in Vietnamese, then in English."""
    lines = []
    for language in ("vi", "en"):
        with translation.override(language):
            lines.append(_(heading) % {"reason": reason})
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Restore a backup archive into an empty, migrated database (--check: verify the archive only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", help="the tincay-backup-….tar file")
        parser.add_argument("--check", action="store_true", help="verify the archive only; write nothing")

    def handle(self, *args, **options) -> None:
        path = Path(options["archive"])
        try:
            if options["check"]:
                manifest = read_manifest(path)
                summary = {
                    "archive": str(path),
                    "verified": True,
                    "app_version": manifest["app_version"],
                    "database": manifest["database"],
                    "created_at": manifest["created_at"],
                    "rows": sum(manifest["rows"].values()),
                    "files": len(manifest["files"]),
                    "audit_events": manifest["audit"]["count"],
                }
            else:
                result = restore(path)
                summary = {
                    "restored": str(path),
                    "identical": True,
                    "tables": result.tables,
                    "rows": result.rows,
                    "files": result.files,
                    "files_written": result.files_written,
                    "audit_events": result.audit["count"],
                    "audit_last_hash": result.audit["last_hash"],
                }
        except BackupRefused as refused:
            raise CommandError(_in_both_languages(REFUSED, refused)) from None
        except RestoreMismatch as mismatch:
            raise CommandError(_in_both_languages(UNDONE, mismatch)) from None
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
