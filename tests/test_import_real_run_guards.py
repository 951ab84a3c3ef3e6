"""The real import starts only from a run checked without errors, by the person who checked it, and from the same
file: a file changed since the dry run (another SHA-256), a stored file altered, a run with refused rows, someone
else's run, or a run already imported are refused and nothing is written."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from tests.assessment_fixtures import module_campaign
from tests.import_fixtures import HEADER, codes, results_row, stored, upload, xlsx
from tincay.common.errors import InvalidInput, Refused
from tincay.reports.imports.service import import_check, import_run, import_start

pytestmark = pytest.mark.usefixtures("english")

CODE = "nhap-chot"


@pytest.fixture(scope="module")
def campaign(django_db_setup, django_db_blocker):
    with module_campaign(django_db_blocker, CODE, {"own": "11413"}) as campaign:
        yield campaign


def _data(campaign, level: str = "Xanh") -> bytes:
    own = campaign.assessments.get()
    return xlsx(HEADER, [results_row("11413", code, level=level) for code in codes(own, "management", 2)])


def _checked(campaign, users, data: bytes):
    run = import_check(user=users["dieuphoi"], campaign=campaign, kind="results", upload=upload(data))
    assert run.status == "checked"
    return run


@pytest.mark.django_db
def test_a_file_changed_since_the_dry_run_is_refused(campaign, users):
    run = _checked(campaign, users, _data(campaign))
    before = stored(campaign)
    with pytest.raises(InvalidInput, match="not the file that was checked"):
        import_run(user=users["dieuphoi"], run=run, upload=upload(_data(campaign, "Đỏ")))
    with pytest.raises(InvalidInput, match="not the file that was checked"):
        import_start(user=users["dieuphoi"], run=run, upload=upload(_data(campaign, "Đỏ")))
    run.refresh_from_db()
    assert run.status == "checked" and stored(campaign) == before


@pytest.mark.django_db
def test_the_same_file_given_again_is_imported(campaign, users):
    data = _data(campaign)
    run = _checked(campaign, users, data)
    done = import_run(user=users["dieuphoi"], run=run, upload=upload(data))
    assert (done.status, done.rows_written) == ("done", 2)


@pytest.mark.django_db
def test_a_stored_file_altered_after_the_check_imports_nothing(campaign, users):
    run = _checked(campaign, users, _data(campaign))
    run.file.save("khac.xlsx", ContentFile(_data(campaign, "Đỏ")), save=True)
    before = stored(campaign)
    done = import_run(user=users["dieuphoi"], run=run)
    assert done.status == "failed" and "differs" in done.message
    assert stored(campaign) == before


@pytest.mark.django_db
def test_a_run_with_refused_rows_cannot_be_imported(campaign, users):
    own = campaign.assessments.get()
    data = xlsx(HEADER, [results_row("11413", codes(own, "management", 1)[0], level="tím")])
    run = import_check(user=users["dieuphoi"], campaign=campaign, kind="results", upload=upload(data))
    assert run.status == "refused"
    for start in (import_run, import_start):
        with pytest.raises(InvalidInput, match="errors"):
            start(user=users["dieuphoi"], run=run)


@pytest.mark.django_db
def test_someone_elses_run_and_a_run_imported_twice_are_refused(campaign, users):
    run = _checked(campaign, users, _data(campaign))
    with pytest.raises(Refused):
        import_run(user=users["quantri"], run=run)
    import_run(user=users["dieuphoi"], run=run)
    with pytest.raises(InvalidInput, match="already"):
        import_run(user=users["dieuphoi"], run=run)


@pytest.mark.django_db
def test_only_importers_check_files(campaign, users):
    for persona in ("lanhdao", "xem", "chamdiem"):
        with pytest.raises(Refused):
            import_check(user=users[persona], campaign=campaign, kind="results", upload=upload(_data(campaign)))
