"""Audit keys rotate: new events take the new key's id, events under an older key still verify while that key is
kept, and a key that was dropped is named instead of passing silently."""

import pytest
from django.core.management import CommandError, call_command

from tests.audit_fixtures import checkpoint_folder, record_events  # noqa: F401 (autouse)
from tincay.audit import chain
from tincay.audit.selectors import audit_trail_check

pytestmark = pytest.mark.django_db

OLD = ("k2025", "cu-" + "a" * 40)
NEW = ("k2026", "moi-" + "b" * 40)


def test_events_under_an_old_key_still_verify_after_rotation(settings, capsys):
    dev = tuple(settings.TINCAY_AUDIT_KEYS)  # the seeded demo events
    settings.TINCAY_AUDIT_KEYS = (OLD, *dev)
    old_events = record_events(2)
    call_command("audit_verify", "--checkpoint")
    settings.TINCAY_AUDIT_KEYS = (NEW, OLD, *dev)
    new_events = record_events(2)
    assert {e.key_id for e in old_events} == {"k2025"} and {e.key_id for e in new_events} == {"k2026"}
    assert new_events[0].prev_hash == old_events[-1].hash
    call_command("audit_verify", "--checkpoint")  # the checkpoint signed with k2025 is still trusted
    assert "Checkpoint written" in capsys.readouterr().out
    assert audit_trail_check().intact


def test_a_dropped_old_key_is_named(settings):
    dev = tuple(settings.TINCAY_AUDIT_KEYS)
    settings.TINCAY_AUDIT_KEYS = (OLD, *dev)
    old_events = record_events(3)
    settings.TINCAY_AUDIT_KEYS = (NEW, *dev)
    record_events(1)
    [finding] = audit_trail_check().findings
    assert (finding.kind, finding.key_id, finding.count) == (chain.UNKNOWN_KEY, "k2025", 3)
    expected = rf"Events #{old_events[0].pk} to #{old_events[-1].pk} \(3 in all\) are signed with the key “k2025”"
    with pytest.raises(CommandError, match=expected):
        call_command("audit_verify")


def test_an_event_signed_with_another_of_our_keys_than_it_names_is_a_rewrite(settings):
    from tests.audit_fixtures import hmac_with, rewrite_from

    dev = tuple(settings.TINCAY_AUDIT_KEYS)
    settings.TINCAY_AUDIT_KEYS = (NEW, OLD, *dev)
    events = record_events(2)
    rewrite_from(events[1].pk, hmac_with(OLD[1].encode()), reason="đã sửa")  # a leaked old key, new key's id
    [finding] = audit_trail_check().findings
    assert (finding.kind, finding.how, finding.event_id) == (chain.REWRITTEN, "other_key", events[1].pk)
