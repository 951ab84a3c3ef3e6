"""Restore's reasons for refusing or undoing are translated: the service's reason reads in the reader's language,
and ``manage.py restore`` says it in Vietnamese first, then in English (an operator may read either; a support
request can quote the English)."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tincay.ops.backup import FORMAT, BackupRefused, RestoreMismatch, read_manifest


def _archive(path: Path, manifest: dict) -> Path:
    with tarfile.open(path, "w") as tar:
        data = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path


def test_a_reason_reads_in_the_language_of_its_reader(tmp_path):
    with pytest.raises(BackupRefused) as refused:
        read_manifest(_archive(tmp_path / "old.tar", {"format": "tincay-backup/0"}))
    with translation.override("vi"):
        assert str(refused.value).endswith(f"có định dạng tincay-backup/0; phiên bản này chỉ đọc định dạng {FORMAT}")
    with translation.override("en"):
        assert str(refused.value).endswith(f"is in the format tincay-backup/0; this version reads {FORMAT}")
    mismatch = RestoreMismatch(
        "%(name)s differs from the backup after the restore", name="evidence/a.pdf"
    )  # a message without a catalogue entry stays as written
    assert str(mismatch) == "evidence/a.pdf differs from the backup after the restore"


def test_the_command_says_why_in_vietnamese_then_english(tmp_path):
    missing = tmp_path / "khong-co.tar"
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(missing))
    vietnamese, english = str(refused.value).splitlines()
    assert vietnamese == f"Không khôi phục, chưa ghi gì: {missing}: không có tệp sao lưu này"
    assert english == f"Restore refused, nothing was written: {missing}: there is no such backup file"


def test_a_damaged_archive_is_told_in_both_languages(tmp_path):
    damaged = tmp_path / "hong.tar"
    damaged.write_bytes(b"not a tar archive")
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(damaged), "--check")
    vietnamese, english = str(refused.value).splitlines()
    assert "không phải bản sao lưu của TinCậy (không đọc được như một tệp lưu trữ tar" in vietnamese
    assert "is not a TinCậy backup (not a readable tar archive" in english
