"""``audit_verify`` names the four tamperings a database owner can do, and exits non-zero for each:
an edited row, a deleted middle row, deleted last rows (against the checkpoint), a chain recomputed without the key.
"""

import secrets

import pytest
from django.core.management import CommandError, call_command

from tests.audit_fixtures import (
    as_owner,
    checkpoint_folder,  # noqa: F401 (autouse)
    hmac_with,
    record_events,
    rewrite_from,
    sha256_of,
)
from tincay.audit import chain, checkpoints, messages
from tincay.audit.selectors import audit_chain_verify, audit_trail_check

pytestmark = pytest.mark.django_db


def _kinds() -> list[str]:
    return [finding.kind for finding in audit_trail_check().findings]


def test_an_intact_trail_verifies_and_names_its_checkpoint(capsys):
    record_events(3)
    call_command("audit_verify", "--checkpoint")
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert "the chain is intact" in out and "compared with the checkpoint audit/checkpoints/" in out


def test_an_edited_row_is_named():
    events = record_events(4)
    call_command("audit_verify", "--checkpoint")
    as_owner("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["đã sửa", events[1].pk])
    assert _kinds() == [chain.EDITED]
    with pytest.raises(CommandError, match=rf"Event #{events[1].pk} was edited after it was written"):
        call_command("audit_verify")


def test_a_deleted_middle_row_is_named_where_the_link_breaks():
    events = record_events(4)
    as_owner("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    assert _kinds() == [chain.DELETED]
    expected = rf"Events were deleted between #{events[0].pk} and #{events[2].pk}"
    with pytest.raises(CommandError, match=expected):
        call_command("audit_verify")


def test_deleted_last_rows_are_counted_against_the_checkpoint():
    events = record_events(5)
    call_command("audit_verify", "--checkpoint")
    as_owner("DELETE FROM audit_auditevent WHERE id >= %s", [events[3].pk])
    assert audit_chain_verify() is None  # what is left is a valid chain: only the checkpoint shows the loss
    assert _kinds() == [checkpoints.TRUNCATED]
    expected = rf"deleted after the checkpoint .*\(missing: 2\).* up to #{events[4].pk}.*last being #{events[2].pk}"
    with pytest.raises(CommandError, match=expected):
        call_command("audit_verify")


def test_new_events_after_a_truncation_do_not_hide_it():
    events = record_events(4)
    call_command("audit_verify", "--checkpoint")
    as_owner("DELETE FROM audit_auditevent WHERE id >= %s", [events[2].pk])
    record_events(3)  # the count is back above the checkpoint's, but its last event is gone
    with pytest.raises(CommandError, match=r"Events were deleted after the checkpoint .*\(missing: 2\)"):
        call_command("audit_verify")


def test_a_chain_recomputed_with_plain_sha256_is_named_as_rewritten_without_the_key():
    events = record_events(4)
    rewrite_from(events[1].pk, sha256_of, reason="đã sửa")
    assert _kinds() == [chain.REWRITTEN]
    with pytest.raises(
        CommandError,
        match=rf"rewritten without the audit key from event #{events[1].pk} to #{events[3].pk} \(3 in all\).*SHA-256",
    ):
        call_command("audit_verify")


def test_a_chain_recomputed_with_another_key_is_named_as_rewritten_without_the_key():
    events = record_events(4)
    rewrite_from(events[2].pk, hmac_with(secrets.token_bytes(32)), reason="đã sửa")
    with pytest.raises(CommandError, match=rf"rewritten without the audit key from event #{events[2].pk}"):
        call_command("audit_verify")


def test_legacy_style_events_after_keyed_ones_are_a_rewrite():
    events = record_events(3)
    rewrite_from(events[1].pk, lambda prev, row: chain.legacy_hash(prev, row), key_id="")
    finding = audit_trail_check().findings[0]
    assert (finding.kind, finding.how, finding.event_id) == (chain.REWRITTEN, "legacy", events[1].pk)
    with pytest.raises(CommandError, match="legacy-style events after keyed ones"):
        call_command("audit_verify")


def test_a_rewrite_also_shows_against_the_checkpoint():
    events = record_events(3)
    call_command("audit_verify", "--checkpoint")
    rewrite_from(events[0].pk, sha256_of, reason="đã sửa")
    assert _kinds() == [chain.REWRITTEN, checkpoints.DIVERGED]


def test_no_checkpoint_is_written_over_a_broken_chain(checkpoint_folder):  # noqa: F811
    events = record_events(3)
    as_owner("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["đã sửa", events[0].pk])
    with pytest.raises(CommandError, match="was edited"):
        call_command("audit_verify", "--checkpoint")
    assert not checkpoint_folder.exists() or not list(checkpoint_folder.iterdir())


def test_missing_guard_triggers_are_reported():
    from django.db import connection

    from tincay.audit import guards

    record_events(1)
    guards.uninstall(connection)  # rolled back with the test's transaction
    with pytest.raises(CommandError, match="triggers that refuse changing or deleting audit events are missing"):
        call_command("audit_verify")


def test_a_trail_damaged_everywhere_is_reported_in_bounded_length():
    events = record_events(2 * messages.MAX_PRINTED + 22)
    for event in events[1::2]:  # every other event deleted: one gap each
        as_owner("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    with pytest.raises(CommandError) as failure:
        call_command("audit_verify")
    text = str(failure.value)
    assert f"(problems found: {messages.MAX_PRINTED + 10})" in text
    assert text.count("\n- ") == messages.MAX_PRINTED and "Events were deleted between" in text
    assert "… and 10 more problems" in text
