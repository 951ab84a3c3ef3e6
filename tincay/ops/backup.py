"""Backup and restore of a whole instance in one archive: the database, the files and the audit chain head together.

The archive (``tincay-backup-<time>.tar``) holds

- ``db/<app>.<model>.jsonl.gz``: every row of every table, one JSON array per line (the fields' database values
  in a neutral form: ISO dates, decimal strings, base64 bytes), so that a backup of SQLite restores into
  PostgreSQL and back;
- ``files/<name>``: every file of the default storage (evidence, documents, imports, audit checkpoints), whether it
  is on the local disk or in object storage;
- ``manifest.json`` (written last): format, application version, the applied migrations (the schema version), the
  database it came from, the row count of every table, the SHA-256 and size of every file and of every other
  member of the archive, and the audit chain head verified at the moment of the backup.

The database is read in one transaction (PostgreSQL: a read-only repeatable-read snapshot; SQLite: the write lock,
so writers wait for the backup), so rows, counts and the chain head agree with each other.

:func:`restore` refuses, before it writes anything, an archive whose members do not match their SHA-256, another
format or application version, a database whose applied migrations differ from the backup's, a database that
already holds data, or a file storage holding another content under one of the backup's names. It then loads
every table in one transaction, writes the files, and checks that the result is identical (row counts, file
hashes, the audit chain verifying up to the same head); a difference rolls the database back and removes the files
it wrote. The audit key (``TINCAY_AUDIT_KEYS``) is not in the archive: the restored instance needs the same keys
to verify its trail.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import decimal
import gzip
import hashlib
import io
import json
import tarfile
import tempfile
import tomllib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_iso_string
from django.utils.translation import gettext_lazy as _

FORMAT = "tincay-backup/1"
BATCH = 2000
CHUNK = 1024 * 1024
# A database with accounts or audit events is in use: a restore never writes over it. A freshly migrated one holds
# only what `migrate` put there (content types, permissions, the shipped survey template, reminder rules, phases),
# which the restore replaces by the backup's rows (the other rows point at their ids).
IN_USE = ("accounts.user", "audit.auditevent")


class _Reason(RuntimeError):
    """A reason told in the reader's language: the message is translated when it is read (``str``), so the command
    can tell it in Vietnamese and in English."""

    def __init__(self, message: Any, **values: Any) -> None:
        super().__init__(message)
        self.message, self.values = message, values

    def __str__(self) -> str:
        return str(self.message) % self.values if self.values else str(self.message)


class BackupRefused(_Reason):
    """The archive, the database or the storage is not what a restore can take: nothing was written."""


class RestoreMismatch(_Reason):
    """The restored instance is not identical to the backup: the database was rolled back, new files removed."""


def _listed(names: Any) -> str:
    return ", ".join(str(name) for name in names) or "-"


def app_version() -> str:
    return tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())["project"]["version"]


def schema_state() -> dict[str, list[str]]:
    """The applied migrations, per app: the schema version a backup was taken at."""
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def tables() -> list[type[models.Model]]:
    """Every model with a table of its own, many-to-many tables included, in a stable order."""
    found = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]
    return sorted(found, key=lambda model: model._meta.label_lower)


def _columns(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.concrete_fields)


def _neutral(value: Any) -> Any:
    """A field's Python value as JSON that the same field's ``to_python`` reads back exactly."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def _storage_names(storage: Storage, folder: str = "") -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _storage_names(storage, f"{folder}/{sub}" if folder else sub)


def _sha256_file(handle) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


class _HashingWriter(io.RawIOBase):
    """A write-only stream that hashes and counts what goes through to ``target``."""

    def __init__(self, target) -> None:
        self.target, self.digest, self.size = target, hashlib.sha256(), 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self.target.write(data)


def _audit_head(storage: Storage) -> dict[str, Any]:
    from tincay.audit.selectors import audit_trail_check

    check = audit_trail_check(storage=storage)
    return {
        "count": check.walk.count,
        "last_id": check.walk.last_id,
        "last_hash": check.walk.last_hash,
        "intact": check.intact,
        "findings": [str(finding) for finding in check.findings],
    }


@dataclass
class BackupResult:
    path: Path
    rows: int
    tables: int
    files: int
    bytes: int
    audit: dict[str, Any] = field(default_factory=dict)


def backup(folder: Path, *, storage: Storage | None = None, now: dt.datetime | None = None) -> BackupResult:
    """Write one archive of the whole instance into ``folder``; returns where and what it holds."""
    storage = storage or default_storage
    now = now or timezone.now()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"tincay-backup-{now:%Y%m%dT%H%M%SZ}.tar"
    partial = path.with_suffix(".tar.partial")
    members: dict[str, dict[str, Any]] = {}
    counts: dict[str, int] = {}
    outermost = not connection.in_atomic_block
    with tarfile.open(partial, "w") as archive, transaction.atomic():
        if outermost and connection.vendor == "postgresql":  # one snapshot for every table (first statement)
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for model in tables():
            label = model._meta.label_lower
            counts[label] = _dump_table(archive, model, members)
        head = _audit_head(storage)
        schema = schema_state()
        files = []
        for name in _storage_names(storage):
            with storage.open(name, "rb") as handle:
                sha, size = _sha256_file(handle)
            with storage.open(name, "rb") as handle:
                info = tarfile.TarInfo(f"files/{name}")
                info.size, info.mtime = size, int(now.timestamp())
                archive.addfile(info, handle)
            files.append({"name": name, "sha256": sha, "size": size})
        manifest = {
            "format": FORMAT,
            "app_version": app_version(),
            "schema": schema,
            "database": connection.vendor,
            "created_at": now.isoformat(),
            "rows": counts,
            "files": files,
            "members": members,
            "audit": head,
        }
        body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size, info.mtime = len(body), int(now.timestamp())
        archive.addfile(info, io.BytesIO(body))
    partial.rename(path)
    return BackupResult(
        path=path,
        rows=sum(counts.values()),
        tables=len(counts),
        files=len(files),
        bytes=path.stat().st_size,
        audit=head,
    )


def _dump_table(archive: tarfile.TarFile, model: type[models.Model], members: dict[str, dict[str, Any]]) -> int:
    """One table as gzipped JSON lines, through a temporary file (a national results table does not fit in memory
    comfortably), hashed on the way."""
    columns = [column.attname for column in _columns(model)]
    count = 0
    with tempfile.TemporaryFile() as spool:
        hashed = _HashingWriter(spool)
        with gzip.GzipFile(fileobj=hashed, mode="wb", mtime=0) as packed:
            packed.write((json.dumps(columns) + "\n").encode())
            rows = model._base_manager.order_by("pk").values_list(*columns)
            for row in rows.iterator(chunk_size=BATCH):
                packed.write((json.dumps([_neutral(v) for v in row], ensure_ascii=False) + "\n").encode())
                count += 1
        name = f"db/{model._meta.label_lower}.jsonl.gz"
        info = tarfile.TarInfo(name)
        info.size = hashed.size
        spool.seek(0)
        archive.addfile(info, spool)
    members[name] = {"sha256": hashed.digest.hexdigest(), "size": hashed.size, "rows": count}
    return count


# ------------------------------------------------------------------------------------------------------ restore


@dataclass
class RestoreResult:
    rows: int
    tables: int
    files: int
    files_written: int
    audit: dict[str, Any]


def read_manifest(path: Path) -> dict[str, Any]:
    """The archive's manifest after checking every member against its SHA-256 (nothing is written)."""
    if not path.is_file():
        raise BackupRefused(_("%(path)s: there is no such backup file"), path=path)
    try:
        archive = tarfile.open(path, "r")  # noqa: SIM115 (closed by the with below, once it opened)
    except tarfile.TarError as error:
        raise BackupRefused(
            _("%(path)s is not a TinCậy backup (not a readable tar archive: %(error)s)"),
            path=path,
            error=" ".join(str(error).split()),
        ) from None
    with archive:
        try:
            manifest = json.loads(archive.extractfile("manifest.json").read())
        except (KeyError, AttributeError, ValueError):
            raise BackupRefused(
                _("%(path)s has no readable manifest.json: not a TinCậy backup, or cut short"), path=path
            ) from None
        if manifest.get("format") != FORMAT:
            raise BackupRefused(
                _("%(path)s is in the format %(format)s; this version reads %(expected)s"),
                path=path,
                format=manifest.get("format"),
                expected=FORMAT,
            )
        expected = dict(manifest["members"])
        expected.update({f"files/{f['name']}": f for f in manifest["files"]})
        present = {member.name for member in archive.getmembers() if member.isfile()} - {"manifest.json"}
        if present != set(expected):
            missing, extra = sorted(set(expected) - present), sorted(present - set(expected))
            raise BackupRefused(
                _("%(path)s: members missing (%(missing)s) or unexpected (%(extra)s)"),
                path=path,
                missing=_listed(missing[:5]),
                extra=_listed(extra[:5]),
            )
        for name, wanted in sorted(expected.items()):
            sha, size = _sha256_file(archive.extractfile(name))
            if (sha, size) != (wanted["sha256"], wanted["size"]):
                raise BackupRefused(
                    _("%(path)s: %(name)s does not match its SHA-256 in the manifest (damaged or edited)"),
                    path=path,
                    name=name,
                )
    return manifest


def _refuse_mismatch(manifest: dict[str, Any], storage: Storage) -> None:
    if manifest["app_version"] != app_version():
        raise BackupRefused(
            _(
                "the backup was made by TinCậy %(made)s, this is %(here)s: restore with the version that made it, "
                "then upgrade"
            ),
            made=manifest["app_version"],
            here=app_version(),
        )
    here = schema_state()
    if here != manifest["schema"]:
        differing = sorted(
            app for app in set(here) | set(manifest["schema"]) if here.get(app) != manifest["schema"].get(app)
        )
        raise BackupRefused(
            _(
                "the database's applied migrations differ from the backup's (apps: %(apps)s): run `manage.py migrate` "
                "on an empty database of the same version"
            ),
            apps=_listed(differing),
        )
    known = {model._meta.label_lower: model for model in tables()}
    unknown = sorted(set(manifest["rows"]) - set(known))
    if unknown:
        raise BackupRefused(
            _("the backup holds tables this version does not have: %(tables)s"), tables=_listed(unknown)
        )
    in_use = {label: known[label]._base_manager.count() for label in IN_USE if known[label]._base_manager.exists()}
    if in_use:
        sample = ", ".join(f"{label} ({n})" for label, n in sorted(in_use.items()))
        raise BackupRefused(
            _(
                "the database is in use (%(rows)s): restore into a freshly migrated database (`manage.py migrate` on "
                "an empty one)"
            ),
            rows=sample,
        )
    for entry in manifest["files"]:
        name = entry["name"]
        if storage.exists(name):
            with storage.open(name, "rb") as handle:
                if _sha256_file(handle)[0] != entry["sha256"]:
                    raise BackupRefused(_("the file storage already holds another content under %(name)s"), name=name)


def restore(path: Path, *, storage: Storage | None = None) -> RestoreResult:
    """Restore the archive into this (migrated, empty) database and file storage; see the module's text."""
    storage = storage or default_storage
    manifest = read_manifest(path)
    _refuse_mismatch(manifest, storage)
    written: list[str] = []
    try:
        with transaction.atomic(), tarfile.open(path, "r") as archive:
            known = {model._meta.label_lower: model for model in tables()}
            with connection.cursor() as cursor:  # foreign keys are checked at commit (deferred), so any order
                for model in known.values():
                    if model._meta.label_lower not in IN_USE:
                        table = connection.ops.quote_name(model._meta.db_table)  # a model's table, not input
                        cursor.execute(f"DELETE FROM {table}")  # noqa: S608  # nosec B608
            for label in sorted(manifest["rows"]):
                _load_table(archive, known[label], f"db/{label}.jsonl.gz")
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), list(known.values())):
                    cursor.execute(statement)
            for entry in manifest["files"]:
                if not storage.exists(entry["name"]):
                    handle = archive.extractfile(f"files/{entry['name']}")
                    stored = storage.save(entry["name"], ContentFile(handle.read()))
                    written.append(stored)
                    if stored != entry["name"]:
                        raise RestoreMismatch(
                            _("the file storage saved %(name)s as %(stored)s"), name=entry["name"], stored=stored
                        )
            audit = _same_as_backup(manifest, storage, known)
    except BaseException:
        ContentType.objects.clear_cache()
        for name in written:
            storage.delete(name)
        raise
    ContentType.objects.clear_cache()
    return RestoreResult(
        rows=sum(manifest["rows"].values()),
        tables=len(manifest["rows"]),
        files=len(manifest["files"]),
        files_written=len(written),
        audit=audit,
    )


@contextlib.contextmanager
def _stored_times_kept(model: type[models.Model]) -> Iterator[None]:
    """``auto_now`` / ``auto_now_add`` fields keep the backup's times while rows are loaded (``bulk_create`` would
    otherwise stamp them with the time of the restore)."""
    stamped = [
        (column, column.auto_now, column.auto_now_add)
        for column in _columns(model)
        if getattr(column, "auto_now", False) or getattr(column, "auto_now_add", False)
    ]
    for column, _now, _add in stamped:
        column.auto_now = column.auto_now_add = False
    try:
        yield
    finally:
        for column, now, add in stamped:
            column.auto_now, column.auto_now_add = now, add


def _load_table(archive: tarfile.TarFile, model: type[models.Model], member: str) -> None:
    with _stored_times_kept(model):
        _load_rows(archive, model, member)


def _load_rows(archive: tarfile.TarFile, model: type[models.Model], member: str) -> None:
    fields = {column.attname: column for column in _columns(model)}
    with gzip.GzipFile(fileobj=archive.extractfile(member)) as packed:
        lines = iter(packed)
        columns = json.loads(next(lines))
        if set(columns) != set(fields):
            raise BackupRefused(
                _("%(member)s: the columns differ from this version's table (%(table)s)"),
                member=member,
                table=model._meta.db_table,
            )
        batch = []
        for line in lines:
            values = json.loads(line)
            batch.append(
                model(**{name: fields[name].to_python(value) for name, value in zip(columns, values, strict=True)})
            )
            if len(batch) >= BATCH:
                model._base_manager.bulk_create(batch)
                batch = []
        if batch:
            model._base_manager.bulk_create(batch)


def _same_as_backup(manifest: dict[str, Any], storage: Storage, known: dict[str, type[models.Model]]) -> dict:
    """Row counts, file hashes and the audit chain head as the backup recorded them, else RestoreMismatch."""
    counts = {label: known[label]._base_manager.count() for label in manifest["rows"]}
    differing = {label: (n, manifest["rows"][label]) for label, n in counts.items() if n != manifest["rows"][label]}
    if differing:
        raise RestoreMismatch(
            _("row counts differ after the restore (restored, in the backup): %(tables)s"),
            tables=_listed(f"{label} ({restored}, {kept})" for label, (restored, kept) in sorted(differing.items())),
        )
    for entry in manifest["files"]:
        with storage.open(entry["name"], "rb") as handle:
            if _sha256_file(handle)[0] != entry["sha256"]:
                raise RestoreMismatch(_("%(name)s differs from the backup after the restore"), name=entry["name"])
    head = _audit_head(storage)
    wanted = manifest["audit"]
    if (head["count"], head["last_id"], head["last_hash"]) != (wanted["count"], wanted["last_id"], wanted["last_hash"]):
        raise RestoreMismatch(
            _("the audit chain head differs after the restore: %(head)s instead of %(wanted)s"),
            head=head,
            wanted=wanted,
        )
    if wanted["intact"] and not head["intact"]:
        raise RestoreMismatch(
            _("the audit chain does not verify after the restore: %(findings)s"),
            findings=_listed(head["findings"][:3]),
        )
    return head
