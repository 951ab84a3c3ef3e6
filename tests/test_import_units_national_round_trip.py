"""The national export of units and of lineage events (today's tree and the whole pre-2025 one, 14,000 units and
4,300 events) re-imports with every row unchanged, as XLSX and as CSV, and the dry run of the units file takes
seconds; every unit and event the loaders made passes the services' rules."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from tests.import_fixtures import upload
from tincay.common.csv_export import csv_text
from tincay.common.errors import InvalidInput
from tincay.orgunits.models import AdminUnit, LineageEvent
from tincay.orgunits.unit_services import lineage_event_record, unit_save
from tincay.reports.imports.service import import_check
from tincay.reports.imports.units import LINEAGE, UNITS
from tincay.reports.xlsx import Sheet, workbook_bytes

pytestmark = pytest.mark.usefixtures("english")

LIST_DATE = dt.date(2025, 1, 4)  # the list the pre-2025 units come from


@pytest.fixture(scope="module")
def exported(legacy_units, django_db_blocker):
    """(kind, format) -> (file, rows), exported once for the module by an administrator."""
    from django.contrib.auth import get_user_model

    with django_db_blocker.unblock():
        admin = get_user_model().objects.get(username="quantri")
        files = {}
        for kind in (UNITS, LINEAGE):
            header, rows = kind.export(admin)
            rows = list(rows)
            files[kind.code, "xlsx"] = (workbook_bytes([Sheet(str(kind.label), header, rows)]), len(rows))
            files[kind.code, "csv"] = (csv_text(header, rows).encode("utf-8"), len(rows))
    return files


@pytest.mark.django_db
def test_the_national_tree_and_its_lineage_are_loaded(exported):
    assert AdminUnit.objects.count() > 14_000 and LineageEvent.objects.count() > 4_000
    assert exported["units", "csv"][1] == AdminUnit.objects.count()
    assert exported["lineage", "csv"][1] == LineageEvent.objects.count()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("kind", ["units", "lineage"])
@pytest.mark.django_db
def test_the_national_export_re_imports_every_row_unchanged(exported, users, settings, kind, fmt):
    settings.TINCAY_IMPORT_INLINE_BYTES = 50 * 1024 * 1024  # checked here, not queued for the worker
    data, count = exported[kind, fmt]
    started = time.perf_counter()
    run = import_check(user=users["quantri"], kind=kind, upload=upload(data, f"tincay-{kind}.{fmt}"))
    elapsed = time.perf_counter() - started
    changed = [row for row in run.report["rows"] if row["outcome"] != "unchanged"][:3]
    assert run.status == "checked" and not changed, changed
    assert run.report["counts"]["unchanged"] == count
    print(f"dry run of the national {kind} file ({fmt}, {count} rows): {elapsed:.1f} s")
    assert elapsed < 60  # seconds, not minutes (about 3 s for the units workbook on a developer's machine)


def _stored_unit_arguments(unit: AdminUnit) -> dict:
    return {
        "key": unit.key,
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "parent_key": unit.parent.key if unit.parent else None,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "listed_on": unit.listed_on,
        "is_pilot": unit.is_pilot,
        "population": unit.population,
    }


@pytest.mark.django_db
def test_every_committed_event_and_every_shape_of_unit_passes_the_services_rules(exported, users):
    """The import leaves unchanged rows alone, so the rules are checked here on what the loaders stored: every
    lineage event, every province and district, every unit with a known start or a list date of its own, and
    every 20th commune (each call re-checks the unit against its parent and the units below it)."""
    admin, refused = users["quantri"], []
    units = AdminUnit.objects.select_related("parent").order_by("path")
    for n, unit in enumerate(units):
        dated = unit.valid_to is not None and (unit.valid_from is not None or unit.listed_on != LIST_DATE)
        special = unit.level != "commune" or unit.is_pilot or dated
        if not (special or n % 20 == 0):
            continue
        try:
            assert unit_save(actor=admin, **_stored_unit_arguments(unit))[1] == {}
        except InvalidInput as exc:
            refused.append((unit.key, exc.errors))
    for event in LineageEvent.objects.prefetch_related("links__unit"):
        sides = {"predecessor": [], "successor": []}
        for link in event.links.all():
            sides[link.role].append(link.unit.key)
        try:
            _event, created, changes = lineage_event_record(
                actor=admin,
                kind=event.kind,
                date=event.date,
                predecessor_keys=sides["predecessor"],
                successor_keys=sides["successor"],
                legal_basis=event.legal_basis,
                legal_basis_confirmed=event.legal_basis_confirmed,
                note_vi=event.note_vi,
                note_en=event.note_en,
            )
            assert (created, changes) == (False, {})
        except InvalidInput as exc:
            refused.append((event.natural_key, exc.errors))
    assert refused == []
