"""Loading a library file twice changes nothing; a changed file over an issued version is refused."""

import copy

import pytest

from tincay.audit.models import AuditEvent
from tincay.catalogue import library
from tincay.catalogue.models import Criterion, FrameworkVersion
from tincay.catalogue.selectors import version_by_ref, version_document
from tincay.catalogue.services import CatalogueError, version_load_document

pytestmark = pytest.mark.django_db


def _base_doc():
    return version_document(version_by_ref("tcvn-iso-18091", "2020"))


def test_loading_the_same_document_twice_changes_nothing():
    doc = _base_doc()
    events, criteria = AuditEvent.objects.count(), list(Criterion.objects.values_list("pk", "title_vi"))
    _version, outcome = version_load_document(doc=doc, actor="load_framework")
    assert outcome == "unchanged"
    _version, outcome = version_load_document(doc=copy.deepcopy(doc), actor="load_framework")
    assert outcome == "unchanged"
    assert AuditEvent.objects.count() == events
    assert list(Criterion.objects.values_list("pk", "title_vi")) == criteria


def test_load_framework_command_is_idempotent(capsys):
    from django.core.management import call_command

    from tincay.catalogue.management.commands.load_framework import DATA_DIR

    call_command("load_framework")
    call_command("load_framework")
    assert capsys.readouterr().out.count("unchanged") == 2 * len(list(DATA_DIR.glob("*.yaml")))  # every file, twice


def test_changed_file_over_an_issued_version_is_refused_and_nothing_is_written():
    doc = _base_doc()
    doc["pillars"][0]["indicators"][0]["criteria"][0]["title"]["vi"] = "Tiêu chí đã bị sửa"
    with pytest.raises(CatalogueError, match=r"ban hành|issued"):
        version_load_document(doc=doc, actor="load_framework")
    assert not Criterion.objects.filter(title_vi="Tiêu chí đã bị sửa").exists()


def test_changed_file_over_a_draft_updates_it_in_place():
    doc = _base_doc()
    doc["version"].update(code="ban-nhap", status="draft")
    version, outcome = version_load_document(doc=doc, actor="load_framework")
    assert outcome == "created"
    doc["pillars"][0]["indicators"][0]["criteria"].pop()
    doc = library.normalise(doc)
    version, outcome = version_load_document(doc=doc, actor="load_framework")
    assert outcome == "updated"
    assert version.criteria.count() == sum(len(i["criteria"]) for p in doc["pillars"] for i in p["indicators"])
    assert version_load_document(doc=doc, actor="load_framework")[1] == "unchanged"


def test_formatting_only_changes_to_the_yaml_do_not_count():
    doc = _base_doc()
    text = library.dump_yaml(doc)
    reparsed = library.parse_yaml("# a comment\n" + text.replace("\n", "\n\n"))
    assert library.content_hash(reparsed) == FrameworkVersion.objects.get(code="2020").content_hash
