"""An issued version can no longer change: services, models and pages all refuse."""

import pytest

from tincay.catalogue.models import Criterion, ImmutableVersionError
from tincay.catalogue.selectors import version_by_ref
from tincay.catalogue.services import CatalogueError, criterion_delete, criterion_save, version_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued():
    return version_by_ref("tcvn-iso-18091", "2020")


def test_services_refuse_to_change_an_issued_version(issued, users):
    criterion = issued.criteria.first()
    with pytest.raises(CatalogueError):
        criterion_save(version=issued, actor=users["quantri"], data={"title_vi": "x"}, criterion=criterion)
    with pytest.raises(CatalogueError):
        criterion_delete(criterion=criterion, actor=users["quantri"])
    with pytest.raises(CatalogueError):
        version_update(version=issued, actor=users["quantri"], data={"title_vi": "x"})


def test_models_refuse_direct_saves_and_deletes(issued):
    criterion = issued.criteria.first()
    criterion.title_vi = "Sửa lén"
    with pytest.raises(ImmutableVersionError):
        criterion.save()
    with pytest.raises(ImmutableVersionError):
        criterion.delete()
    assert not Criterion.objects.filter(title_vi="Sửa lén").exists()


def test_edit_pages_of_an_issued_version_are_not_offered(issued, client_for):
    client = client_for("quantri")
    page = client.get("/catalogue/tcvn-iso-18091/2020/")
    assert page.status_code == 200 and b"/edit/" not in page.content
    code = issued.criteria.first().code
    assert client.get(f"/catalogue/tcvn-iso-18091/2020/criteria/{code}/edit/").status_code == 404
    assert client.post("/catalogue/tcvn-iso-18091/2020/issue/", {"confirm": "2020"}).status_code == 404
