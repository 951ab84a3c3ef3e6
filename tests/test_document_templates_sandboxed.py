"""An administrator replaces a built-in document by a Word template per kind and language; the template is filled in
a sandbox: it cannot reach Python's internals, call methods that change things, loop without end or read files. A
hostile or broken template is refused at upload with what is wrong (nothing stored); one that slipped into storage
fails its document with a message instead of running. Without a template, the built-in document is used; only an
administrator manages templates."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from tests.document_fixtures import document_campaign, made
from tincay.common.errors import InvalidInput, Refused
from tincay.reports.docx_layout import starter_docx
from tincay.reports.models import DocumentTemplate, JobStatus
from tincay.reports.template_services import document_template_remove, document_template_set

HOSTILE = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ title.__class__ }}",
    "{{ recipients.append('x') }}",
    "{% for i in range(10**9) %}x{% endfor %}",
    "{% include '/etc/passwd' %}",
    "{{ lipsum.__globals__['os'].system('touch /tmp/pwned') }}",
    "{{ title",
    "{{ not_a_placeholder }}",
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with document_campaign(django_db_blocker, "mau-van-ban") as found:
        yield found


def docx_with(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "mau.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def provincial_starter() -> bytes:
    """The starter template with a line of the province's own wording added after the body."""
    document = Document(io.BytesIO(starter_docx()))
    body = next(p for p in document.paragraphs if p.text == "{{p body }}")
    body.insert_paragraph_before("Mẫu riêng của tỉnh: {{ unit_name }} — {{ year }}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def texts(generated) -> str:
    assert generated.status == JobStatus.DONE, generated.message
    with generated.file.open("rb") as stream:
        document = Document(io.BytesIO(stream.read()))
    return "\n".join([p.text for p in document.paragraphs] + [c.text for t in document.tables for c in t._cells])


def test_an_uploaded_template_is_used_for_its_kind_and_language_only(world, users):
    _campaign, own, _other = world
    document_template_set(
        actor=users["quantri"], kind="self_report", language="vi", upload=upload(provincial_starter())
    )
    text = texts(made(users["dieuphoi"], kind="self_report", assessment_id=own.pk, data={"day": "05/01/2026"}))
    assert "Mẫu riêng của tỉnh: Phường Hải An — 2026" in text
    assert "ngày 05 tháng 01 năm 2026" in text and "Tài liệu lưu bản giấy." in text and "Nơi nhận:" in text
    assert "Mẫu riêng của tỉnh" not in texts(made(users["dieuphoi"], kind="decision", assessment_id=own.pk))
    english = made(users["dieuphoi"], kind="self_report", assessment_id=own.pk, language="en")
    assert "Mẫu riêng của tỉnh" not in texts(english)


@pytest.mark.parametrize("payload", HOSTILE)
def test_a_hostile_or_broken_template_is_refused_at_upload(payload, world, users):
    with pytest.raises(InvalidInput) as raised:
        document_template_set(actor=users["quantri"], kind="decision", language="vi", upload=upload(docx_with(payload)))
    assert raised.value.messages_for("file")
    assert not DocumentTemplate.objects.exists()


def test_a_hostile_template_already_stored_fails_its_document_without_running(world, users, tmp_path):
    _campaign, own, _other = world
    template = DocumentTemplate(kind="decision", language="vi", filename="doc-hai.docx", sha256="0" * 64)
    template.file.save("doc-hai.docx", io.BytesIO(docx_with(HOSTILE[1])), save=False)
    template.save()
    generated = made(users["dieuphoi"], kind="decision", assessment_id=own.pk)
    assert generated.status == JobStatus.FAILED and not generated.file
    assert "doc-hai.docx" in generated.message and "__init__" in generated.message


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"%PDF-1.7 not a word file", "mau.docx"), (b"", "mau.docx"), (b"PK\x03\x04 broken zip", "mau.docx")],
)
def test_a_file_that_is_not_a_word_document_is_refused(content, name, world, users):
    with pytest.raises(InvalidInput) as raised:
        document_template_set(actor=users["quantri"], kind="decision", language="vi", upload=upload(content, name))
    assert "Word" in raised.value.messages_for("file")[0]
    assert not DocumentTemplate.objects.exists()


@pytest.mark.parametrize("persona", ["dieuphoi", "lanhdao", "xem"])
def test_only_an_administrator_manages_templates(persona, world, users, client_for):
    with pytest.raises(Refused):
        document_template_set(actor=users[persona], kind="decision", language="vi", upload=upload(starter_docx()))
    with pytest.raises(Refused):
        document_template_remove(actor=users[persona], kind="decision", language="vi")
    client = client_for(persona)
    assert client.get("/reports/templates/").status_code == 403
    assert client.get("/reports/templates/starter.docx").status_code == 403


def test_the_page_uploads_shows_errors_and_goes_back_to_the_built_in(
    world, users, client_for, django_capture_on_commit_callbacks
):
    client = client_for("quantri")
    assert client.get("/reports/templates/").status_code == 200
    starter = client.get("/reports/templates/starter.docx")
    assert starter.status_code == 200 and starter.content.startswith(b"PK")
    refused = client.post(
        "/reports/templates/", {"kind": "decision", "language": "vi", "file": upload(docx_with(HOSTILE[0]))}
    )
    assert refused.status_code == 400 and "không được phép" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        kept = client.post(
            "/reports/templates/", {"kind": "decision", "language": "vi", "file": upload(starter.content)}
        )
    assert kept.status_code == 302
    template = DocumentTemplate.objects.get(kind="decision", language="vi")
    assert client.get("/reports/templates/decision/vi.docx").status_code == 200
    storage, name = template.file.storage, template.file.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/reports/templates/", {"kind": "decision", "language": "vi", "action": "remove"})
    assert not DocumentTemplate.objects.exists() and not storage.exists(name)
