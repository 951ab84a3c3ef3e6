"""What the five documents share: the requester's options (number, date, signer, recipients, their own text), the
issuing bodies, and numbers written the Vietnamese way ("72,5")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tincay.assessments.choices import Level
from tincay.orgunits.choices import Level as UnitLevel
from tincay.orgunits.models import AdminUnit
from tincay.orgunits.selectors import unit_ancestors
from tincay.reports import decree30
from tincay.reports.docx_layout import AdminDocument, Block, Paragraph

STANDARD = "TCVN ISO 18091:2020"


@dataclass(frozen=True)
class Options:
    """What the person asking for a document may set (checked by ``generation.clean_options``); empty values take
    the document's defaults."""

    number: int | None = None
    day: dt.date | None = None
    signer_name: str = ""
    signer_title: str = ""
    authority: str = ""
    recipients: Sequence[str] = field(default_factory=tuple)
    problems: str = ""
    proposals: str = ""

    def on(self) -> dt.date:
        return self.day or timezone.localdate()


def province_of(unit: AdminUnit) -> AdminUnit | None:
    """The province (or centrally governed city) a unit belongs to; the unit itself when it is one."""
    if unit.level == UnitLevel.PROVINCE:
        return unit
    return next((u for u in unit_ancestors(unit) if u.level == UnitLevel.PROVINCE), None)


def committee_of(unit: AdminUnit | None) -> str:
    """ "Ủy ban nhân dân thành phố Hải Phòng" as written in a sentence or a recipients' list."""
    if unit is None:
        return _("the province People's Committee")
    return decree30.people_committee(unit.name).in_text


def number(value: float | None, places: int = 1) -> str:
    """A score as written in Vietnamese ("72,5"); a dash when there is none."""
    if value is None:
        return "–"
    return formats.number_format(round(value, places), places, use_l10n=True)


def percent(share: float | None) -> str:
    """A share (0–1) as points out of 100, written the Vietnamese way."""
    return number(None if share is None else 100 * share)


def money(value: int | None) -> str:
    """An amount in đồng with thousands grouped by dots ("15.000.000"); empty when none."""
    if value is None:
        return ""
    return f"{value:,}".replace(",", ".")


def level_word(level: str | None) -> str:
    return str(Level(level).label) if level in Level.values else "–"


def paragraphs(text: str, default: Iterable[str] = ()) -> list[Paragraph]:
    """The requester's own text, one paragraph per line; ``default`` when they wrote nothing."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return [Paragraph(line) for line in (lines if any(lines) else default) if line]


def recipient_lines(options: Options, defaults: Iterable[str], filing_extra: Sequence[str] = ()) -> list[str]:
    """The "Nơi nhận" list: what the requester typed, else the document's usual recipients; always ends "Lưu: VT"."""
    chosen = [line for line in options.recipients if line.strip()] or list(defaults)
    return decree30.recipients(chosen, filing_extra)


def superior_of(unit: AdminUnit) -> str:
    """Where a unit's report goes up: its province's People's Committee, or the Ministry for a province."""
    province = province_of(unit)
    if province is not None and province != unit:
        return committee_of(province)
    return _("The Ministry of Science and Technology")


def committee_document(
    unit: AdminUnit,
    options: Options,
    *,
    kind: str,
    kind_symbol: str,
    title: str,
    body: Sequence[Block],
    recipients: Iterable[str],
    **extra,
) -> AdminDocument:
    """A document the unit's People's Committee issues: its name as issuer, the place, the date, the authority
    "TM. ỦY BAN NHÂN DÂN" and the chairperson unless the requester set others."""
    return AdminDocument(
        issuer=decree30.people_committee(unit.name),
        kind=kind,
        kind_symbol=kind_symbol,
        issuer_symbol="UBND",
        place=decree30.place_name(unit.name),
        day=options.on(),
        title=title,
        body=body,
        authority=options.authority or _("ON BEHALF OF THE PEOPLE'S COMMITTEE"),
        signer_title=options.signer_title or _("CHAIRPERSON"),
        signer_name=options.signer_name,
        recipients=recipient_lines(options, recipients),
        number=options.number,
        **extra,
    )
