"""Checkpoints of the chain head live in file storage: one signed file each, never overwritten; the latest one
trustworthy file is what every verification compares with."""

import json
from datetime import UTC, datetime

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from tests.audit_fixtures import checkpoint_folder, record_events  # noqa: F401 (autouse)
from tincay.audit import checkpoints
from tincay.audit.selectors import audit_trail_check
from tincay.audit.services import audit_checkpoint_write

pytestmark = pytest.mark.django_db


def test_a_checkpoint_records_the_verified_head(checkpoint_folder):  # noqa: F811
    events = record_events(2)
    _check, written = audit_checkpoint_write()
    [path] = checkpoint_folder.iterdir()
    body = json.loads(path.read_text())
    assert body["last_id"] == events[-1].pk and body["last_hash"] == events[-1].hash
    assert body["count"] == audit_trail_check().walk.count and body["key_id"] == "dev-derived"
    assert {"at", "mac", "format"} <= body.keys()
    assert written.name == f"audit/checkpoints/{path.name}"


def test_checkpoints_are_never_overwritten(checkpoint_folder):  # noqa: F811
    record_events(1)
    same_instant = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
    first = audit_checkpoint_write(now=same_instant)[1]
    second = audit_checkpoint_write(now=same_instant)[1]
    assert first.name != second.name and len(list(checkpoint_folder.iterdir())) == 2


def test_the_latest_checkpoint_is_compared(capsys):
    record_events(1)
    audit_checkpoint_write(now=datetime(2026, 1, 1, tzinfo=UTC))
    events = record_events(2)
    latest = audit_checkpoint_write(now=datetime(2026, 6, 1, tzinfo=UTC))[1]
    assert audit_trail_check().checkpoint.name == latest.name
    call_command("audit_verify")
    assert f"compared with the checkpoint {latest.name}" in capsys.readouterr().out
    assert latest.last_id == events[-1].pk


def test_an_edited_checkpoint_is_not_trusted(checkpoint_folder):  # noqa: F811
    record_events(2)
    older = audit_checkpoint_write(now=datetime(2026, 1, 1, tzinfo=UTC))[1]
    newer = audit_checkpoint_write(now=datetime(2026, 6, 1, tzinfo=UTC))[1]
    path = checkpoint_folder / newer.name.rsplit("/", 1)[1]
    body = json.loads(path.read_text())
    body["count"] -= 1  # someone hiding a truncation in the checkpoint too
    path.write_text(json.dumps(body))
    check = audit_trail_check()
    assert [f.kind for f in check.findings] == [checkpoints.INVALID]
    assert check.checkpoint.name == older.name  # compared with the last one that can be trusted
    with pytest.raises(CommandError, match=rf"checkpoint {newer.name} cannot be trusted \(its signature"):
        call_command("audit_verify")


def test_a_trail_with_no_checkpoint_says_how_to_start(capsys):
    record_events(1)
    assert not default_storage.exists(checkpoints.DIRECTORY)
    call_command("audit_verify")
    assert "No checkpoint yet: run manage.py audit_verify --checkpoint" in capsys.readouterr().out


def test_checkpoints_moved_to_a_subfolder_are_set_aside(checkpoint_folder):  # noqa: F811
    """After restoring an older backup, the operator moves the newer checkpoints aside (kept, not deleted)."""
    from tests.audit_fixtures import as_owner

    events = record_events(3)
    written = audit_checkpoint_write()[1]
    as_owner("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])  # the restore lost the last event
    with pytest.raises(CommandError, match=r"missing: 1"):
        call_command("audit_verify")
    aside = checkpoint_folder / "superseded-2026-11-30"
    aside.mkdir()
    (checkpoint_folder / written.name.rsplit("/", 1)[1]).rename(aside / "moved.json")
    call_command("audit_verify", "--checkpoint")
