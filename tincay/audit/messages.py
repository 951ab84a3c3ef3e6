"""What ``audit_verify`` says, in Vietnamese and English at once (the operator's log is read by both).

Each finding names where the damage is and what to do; msgids are English, the catalogue gives Vietnamese.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import translation
from django.utils.translation import gettext as _

from tincay.audit import chain, checkpoints
from tincay.audit.selectors import GUARDS_MISSING, TrailCheck

LANGUAGES = ("vi", "en")
MAX_PRINTED = 50  # problems printed in full; a trail damaged everywhere does not need a million lines to say so


def _ids(ids: list[int], count: int) -> str:
    listed = ", ".join(f"#{event_id}" for event_id in ids)
    return listed if count <= len(ids) else f"{listed} …"


def _how(how: str) -> str:
    return {
        "sha256": _("plain SHA-256, no key"),
        "other_key": _("signed with another key than the one they name"),
        "legacy": _("unkeyed, legacy-style events after keyed ones"),
        "unsigned": _("signed with a key we do not hold"),
    }.get(how, how)


def _why(how: str) -> str:
    return {
        "key": _("signed with a key that is not configured"),
        "signature": _("its signature does not match its content"),
        "unreadable": _("it cannot be read"),
    }.get(how, how)


def _edited(f: chain.Finding) -> str:
    if f.count == 1:
        return _(
            "Event #%(id)s was edited after it was written: its content no longer matches its hash. Compare it "
            "with a backup and find out who can write to the database directly."
        ) % {"id": f.event_id}
    return _(
        "%(count)s events were edited after they were written (%(ids)s): their content no longer matches their "
        "hashes. Compare them with a backup and find out who can write to the database directly."
    ) % {"count": f.count, "ids": _ids(f.event_ids, f.count)}


def _deleted(f: chain.Finding) -> str:
    if f.before_id is None:
        return _(
            "Events were deleted at the start of the chain: the first event left, #%(after)s, does not link to the "
            "beginning. Restore them from a backup and find out who deleted them."
        ) % {"after": f.event_id}
    return _(
        "Events were deleted between #%(before)s and #%(after)s: event #%(after)s no longer links to "
        "#%(before)s. Restore the missing events from a backup and find out who deleted them."
    ) % {"before": f.before_id, "after": f.event_id}


def _rewritten(f: chain.Finding) -> str:
    return _(
        "The chain was rewritten without the audit key from event #%(first)s to #%(last)s (%(count)s in all): "
        "their hashes are consistent but not ours (%(how)s). Treat these events as forged, restore them from a "
        "backup and find out who can write to the database directly."
    ) % {"first": f.event_id, "last": f.last_id, "count": f.count, "how": _how(f.how)}


def _unknown_key(f: chain.Finding) -> str:
    return _(
        "Events #%(first)s to #%(last)s (%(count)s in all) are signed with the key “%(key)s”, which is not "
        "configured. If it is an old key, add it back to TINCAY_AUDIT_KEYS after the current key; if no such key "
        "was ever used, the chain was rewritten."
    ) % {"count": f.count, "first": f.event_id, "last": f.last_id, "key": f.key_id}


def _truncated(f: chain.Finding) -> str:
    values = {
        "missing": f.count,
        "name": f.checkpoint,
        "at": f.checkpoint_at,
        "expected": f.expected,
        "last": f.last_id,
        "found": f.found,
        "kept": f.before_id,
    }
    if f.before_id is None:
        text = _(
            "Events were deleted after the checkpoint %(name)s of %(at)s (missing: %(missing)s): it counted the "
            "events up to #%(last)s, %(expected)s in all, and none of them is left. Restore them from a backup and "
            "find out who deleted them."
        )
    else:
        text = _(
            "Events were deleted after the checkpoint %(name)s of %(at)s (missing: %(missing)s): it counted the "
            "events up to #%(last)s, %(expected)s in all; the database now has %(found)s of them, the last being "
            "#%(kept)s. Restore them from a backup and find out who deleted them."
        )
    return text % values


def _diverged(f: chain.Finding) -> str:
    return _(
        "Event #%(last)s no longer has the hash recorded by the checkpoint %(name)s of %(at)s: events were "
        "deleted or rewritten after the checkpoint. Restore them from a backup and find out who changed them."
    ) % {"last": f.last_id, "name": f.checkpoint, "at": f.checkpoint_at}


def _invalid(f: chain.Finding) -> str:
    return _(
        "The checkpoint %(name)s cannot be trusted (%(why)s), so it was not used. Restore it from its copy "
        "outside this server and find out who changed it."
    ) % {"name": f.checkpoint, "why": _why(f.how)}


def _guards(f: chain.Finding) -> str:
    return _(
        "The database triggers that refuse changing or deleting audit events are missing or disabled. Run "
        "manage.py migrate to restore them and find out who removed them."
    )


_DESCRIBE: dict[str, Callable[[chain.Finding], str]] = {
    chain.EDITED: _edited,
    chain.DELETED: _deleted,
    chain.REWRITTEN: _rewritten,
    chain.UNKNOWN_KEY: _unknown_key,
    checkpoints.TRUNCATED: _truncated,
    checkpoints.DIVERGED: _diverged,
    checkpoints.INVALID: _invalid,
    GUARDS_MISSING: _guards,
}


def bilingual(render: Callable[[], str]) -> str:
    """The same message in Vietnamese, then English on the next line."""
    lines = []
    for language in LANGUAGES:
        with translation.override(language):
            lines.append(render())
    return "\n  ".join(lines)


def describe(finding: chain.Finding) -> str:
    return bilingual(lambda: _DESCRIBE[finding.kind](finding))


def failure(check: TrailCheck) -> str:
    head = bilingual(
        lambda: _("The audit trail failed verification (problems found: %(count)s):") % {"count": len(check.findings)}
    )
    listed = [f"- {describe(finding)}" for finding in check.findings[:MAX_PRINTED]]
    hidden = len(check.findings) - MAX_PRINTED
    if hidden > 0:
        listed.append(
            bilingual(
                lambda: (
                    _("… and %(count)s more problems: deal with the ones above, then run the check again.")
                    % {"count": hidden}
                )
            )
        )
    return "\n".join([head, *listed])


def success(check: TrailCheck) -> str:
    walk, checkpoint = check.walk, check.checkpoint
    if checkpoint is None:
        return bilingual(
            lambda: (
                _(
                    "OK: the chain is intact (events: %(count)s). No checkpoint yet: run manage.py audit_verify "
                    "--checkpoint (daily) so that deleted last events can be noticed."
                )
                % {"count": walk.count}
            )
        )
    return bilingual(
        lambda: (
            _(
                "OK: the chain is intact up to #%(last)s (events: %(count)s); compared with the checkpoint %(name)s "
                "of %(at)s (events: %(expected)s, up to #%(cp_last)s)."
            )
            % {
                "count": walk.count,
                "last": walk.last_id or 0,
                "name": checkpoint.name,
                "at": checkpoint.at,
                "expected": checkpoint.count,
                "cp_last": checkpoint.last_id or 0,
            }
        )
    )


def written(checkpoint: checkpoints.Checkpoint) -> str:
    return bilingual(
        lambda: (
            _("Checkpoint written: %(name)s (events: %(count)s, up to #%(last)s, key “%(key)s”).")
            % {"name": checkpoint.name, "count": checkpoint.count, "last": checkpoint.last_id, "key": checkpoint.key_id}
        )
    )
