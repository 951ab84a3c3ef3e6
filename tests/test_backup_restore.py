"""One command backs up the database, the files and the audit chain head together; one command restores them. The
archive carries the application and schema versions and a SHA-256 manifest; a restore refuses a damaged archive,
another version or schema, or a database in use before it writes anything; a restored instance is identical (every
row, every file, the audit chain verifying up to the same head). The same pair moves SQLite to PostgreSQL (and back:
the PostgreSQL half of CI runs this module the other way)."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg
import pytest
from django.db import connection

from tests.backing_services import postgres_admin_url, unique
from tincay.accounts.models import User
from tincay.audit.models import AuditEvent
from tincay.ops.backup import BackupRefused, backup, read_manifest, restore

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    with django_db_blocker.unblock():
        return backup(tmp_path_factory.mktemp("backup")).path


def _tables(path: Path) -> dict[str, list]:
    """Every table's rows, parsed (JSON objects compared as objects: PostgreSQL reorders their keys)."""
    found = {}
    with tarfile.open(path) as tar:
        for member in tar.getmembers():
            if member.name.startswith("db/"):
                lines = gzip.GzipFile(fileobj=io.BytesIO(tar.extractfile(member).read())).read().splitlines()
                found[member.name] = [json.loads(line) for line in lines]
    return found


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory):
    """A fresh database of the other kind (PostgreSQL from SQLite, SQLite from PostgreSQL) and a data folder."""
    folder = tmp_path_factory.mktemp("restored")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TINCAY_") and k != "DATABASE_URL"}
    env["TINCAY_DATA_DIR"] = str(folder / "data")
    if connection.vendor == "sqlite":
        admin = postgres_admin_url()
        name = unique("tincay_restore").replace("-", "_")
        with psycopg.connect(admin, autocommit=True) as pg:
            pg.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = urlunparse(urlparse(admin)._replace(path=f"/{name}"))
        yield env
        with psycopg.connect(admin, autocommit=True) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        env["DATABASE_URL"] = f"sqlite:///{folder / 'restored.sqlite3'}"
        yield env


def _manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def test_a_restore_on_the_other_database_is_identical(archive, elsewhere, tmp_path):
    manifest = read_manifest(archive)
    assert manifest["database"] == connection.vendor and manifest["audit"]["intact"]
    assert manifest["rows"]["accounts.user"] == User.objects.count() > 0
    assert manifest["audit"]["count"] == AuditEvent.objects.count() > 0
    assert manifest["files"] and all(len(f["sha256"]) == 64 for f in manifest["files"])
    assert _manage(elsewhere, "migrate", "-v0").returncode == 0
    checked = _manage(elsewhere, "restore", str(archive), "--check")
    assert checked.returncode == 0 and json.loads(checked.stdout)["verified"] is True
    done = _manage(elsewhere, "restore", str(archive))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["identical"] and report["audit_last_hash"] == manifest["audit"]["last_hash"]
    assert report["files_written"] == len(manifest["files"])
    assert "OK" in _manage(elsewhere, "audit_verify").stdout  # the trail verifies there with the same keys
    # the restored instance, backed up in its turn, holds the very same rows and files
    again = _manage(elsewhere, "backup", "--output", str(tmp_path))
    assert again.returncode == 0, again.stderr
    copy = Path(json.loads(again.stdout)["backup"])
    assert _tables(copy) == _tables(archive)
    assert read_manifest(copy)["files"] == manifest["files"]
    refused = _manage(elsewhere, "restore", str(archive))  # now the database is in use
    assert refused.returncode != 0 and "the database is in use" in refused.stderr


def _rewritten(source: Path, target: Path, *, member: str, change) -> Path:
    """A copy of the archive with one member changed."""
    with tarfile.open(source) as old, tarfile.open(target, "w") as new:
        for info in old.getmembers():
            data = old.extractfile(info).read()
            if info.name == member:
                data = change(data)
                info.size = len(data)
            new.addfile(info, io.BytesIO(data))
    return target


def _flip_a_bit(data: bytes) -> bytes:
    return data[:40] + bytes([data[40] ^ 1]) + data[41:]


def _counts() -> tuple[int, int]:
    return User.objects.count(), AuditEvent.objects.count()


@pytest.mark.usefixtures("english")  # the reasons in Vietnamese: test_restore_refusals_translated
def test_a_damaged_archive_is_refused_before_anything_is_written(archive, tmp_path):
    before = _counts()
    damaged = _rewritten(
        archive,
        tmp_path / "damaged.tar",
        member="db/accounts.user.jsonl.gz",
        change=lambda d: d[:40] + bytes([d[40] ^ 1]) + d[41:],
    )
    with pytest.raises(BackupRefused, match="does not match its SHA-256"):
        restore(damaged)
    (tmp_path / "not.tar").write_bytes(b"hello")
    with pytest.raises(BackupRefused, match="not a TinCậy backup"):
        restore(tmp_path / "not.tar")
    assert _counts() == before


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda m: m.update(app_version="0.0.9"), "made by TinCậy 0.0.9"),
        (lambda m: m["schema"]["ops"].append("0099_future"), "applied migrations differ"),
        (lambda m: m.update(format="tincay-backup/0"), "format"),
        (lambda m: None, "the database is in use"),
    ],
)
def test_another_version_schema_or_a_database_in_use_is_refused(archive, tmp_path, edit, message):
    def change(data: bytes) -> bytes:
        manifest = json.loads(data)
        edit(manifest)
        return json.dumps(manifest).encode()

    before = _counts()
    edited = _rewritten(archive, tmp_path / "edited.tar", member="manifest.json", change=change)
    with pytest.raises(BackupRefused, match=message):
        restore(edited)
    assert _counts() == before
