"""Documents through the upload link, on the page and the API: checked by content, stored privately
under random names, and every hostile upload refused with a clear 4xx, nothing stored, no use spent."""

from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from notifications.models import EmailLink
from recovery.documents import MAX_BYTES
from recovery.models import CaseDocument, CaseStatus, RecoveryCase
from recovery.services.notices import UPLOAD_PURPOSE
from tests.conftest import open_email_link
from tests.recovery import files
from tests.recovery.conftest import last_link_token, stored_files, upload

pytestmark = pytest.mark.django_db

CONTACT = "me.now@contact.example"


@pytest.fixture
def case(user, recover):
    recover(user.email, CONTACT)
    return RecoveryCase.objects.get(user=user)


@pytest.fixture
def token(case):
    return last_link_token(CONTACT)


@pytest.fixture
def uploader(case, upload_client):
    return upload_client(CONTACT)


def multipart(fields: dict, filename: str, content: bytes, content_type: str = "application/pdf"):
    """A multipart body written by hand: the test client would strip a path from the file name."""
    boundary = "sc-test-boundary"
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    body += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode()
    body += content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def api_upload(
    client, case, token, content, *, name="passport.pdf", kind="identity", content_type="application/pdf"
):
    data = {
        "token": token,
        "kind": kind,
        "file": SimpleUploadedFile(name, content, content_type=content_type),
    }
    return client.post(f"/api/v1/recovery/cases/{case.reference}/documents", data)


def uses_spent() -> int:
    return sum(EmailLink.objects.filter(purpose=UPLOAD_PURPOSE).values_list("uses", flat=True))


def nothing_stored(private_media) -> bool:
    return not CaseDocument.objects.exists() and stored_files(private_media) == [] and uses_spent() == 0


class TestAccepted:
    def test_a_pdf_is_stored_privately_under_a_random_name(self, uploader, case, committed, private_media):
        response = committed(upload, uploader, files.pdf(pages=2), name="My passport.pdf")

        assert response.status_code == 302
        document = CaseDocument.objects.get()
        assert document.name == "My passport.pdf" and document.content_type == "application/pdf"
        [stored] = stored_files(private_media)
        assert stored.parent.parent == private_media and "passport" not in stored.name
        assert stored.read_bytes().startswith(b"%PDF-") and stored.stat().st_mode & 0o077 == 0
        with pytest.raises(ValueError, match="never served from a URL"):
            document.file.url
        case.refresh_from_db()
        assert case.status == CaseStatus.IN_REVIEW and uses_spent() == 1
        assert "We received “My passport.pdf”" in uploader.get("/recover/case/").content.decode()

    def test_a_photo_loses_its_metadata(self, uploader, committed, private_media):
        photo = files.jpeg(exif_description="Taken at 12 Secret Street")
        assert Image.open(BytesIO(photo)).getexif()

        committed(upload, uploader, photo, name="id.jpg", content_type="image/jpeg")

        [stored] = stored_files(private_media)
        content = stored.read_bytes()
        assert b"Secret Street" not in content and b"Phone maker" not in content
        assert not Image.open(BytesIO(content)).getexif()
        assert stored.suffix == ".jpg"

    def test_a_png_loses_its_text_chunks(self, uploader, committed, private_media):
        committed(upload, uploader, files.png(text="GPS 48.85,2.35"), name="deed.png", kind="ownership")
        [stored] = stored_files(private_media)
        assert b"GPS" not in stored.read_bytes()
        assert CaseDocument.objects.get().kind == "ownership"

    def test_the_api_answers_201_with_the_document(self, client, case, token, committed):
        response = committed(
            api_upload, client, case, token, files.png(), name="id.png", content_type="image/png"
        )
        assert response.status_code == 201
        body = response.json()
        assert (
            set(body) == {"id", "kind", "name", "size"}
            and body["kind"] == "identity"
            and body["name"] == "id.png"
        )

    def test_the_status_of_the_case_is_read_with_the_token(self, client, case, token):
        response = client.post(
            f"/api/v1/recovery/cases/{case.reference}/status",
            {"token": token},
            content_type="application/json",
        )
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "awaiting_documents" and "identity document" in body["next_step"]
        assert body["uploads_left"] == 5


HOSTILE = [
    pytest.param(files.HTML, "statement.pdf", 400, "none of these", id="html-renamed-pdf"),
    pytest.param(files.SVG, "scan.pdf", 400, "none of these", id="svg-renamed-pdf"),
    pytest.param(files.png_bomb(), "huge.png", 400, "more than 40 megapixels", id="png-decompression-bomb"),
    pytest.param(
        files.pdf(javascript="app.alert('hi')"), "form.pdf", 400, "scripts", id="pdf-with-javascript"
    ),
    pytest.param(
        files.pdf_with_hidden_javascript(), "form.pdf", 400, "scripts", id="pdf-with-hex-encoded-javascript"
    ),
    pytest.param(
        files.pdf(attachment=b"MZ\x90\x00"), "bundle.pdf", 400, "attached files", id="pdf-with-embedded-file"
    ),
    pytest.param(b"%PDF-1.7\n% truncated", "broken.pdf", 400, "damaged", id="damaged-pdf"),
    pytest.param(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "broken.png", 400, "damaged", id="damaged-png"),
    pytest.param(b"", "empty.pdf", 400, "empty", id="empty-file"),
]


@pytest.mark.parametrize(("content", "name", "status", "message"), HOSTILE)
def test_a_hostile_upload_on_the_page_is_refused_and_nothing_is_stored(
    uploader, private_media, committed, content, name, status, message
):
    response = committed(upload, uploader, content, name=name)
    assert response.status_code == status
    assert message in response.content.decode()
    assert nothing_stored(private_media)


@pytest.mark.parametrize(("content", "name", "status", "message"), HOSTILE)
def test_a_hostile_upload_on_the_api_is_refused_and_nothing_is_stored(
    client, case, token, private_media, committed, content, name, status, message
):
    response = committed(api_upload, client, case, token, content, name=name)
    assert response.status_code == status
    assert message in str(response.json())
    assert nothing_stored(private_media)


class TestTooLarge:
    def test_an_11_mb_file_is_413_on_the_page(self, uploader, private_media):
        response = upload(uploader, b"%PDF-1.7\n" + b"0" * (11 * 1024 * 1024))
        assert response.status_code == 413 and "larger than 10 MB" in response.content.decode()
        assert nothing_stored(private_media)

    def test_an_11_mb_file_is_413_on_the_api(self, client, case, token, private_media):
        response = api_upload(client, case, token, b"%PDF-1.7\n" + b"0" * (11 * 1024 * 1024))
        assert response.status_code == 413 and response.json()["code"] == "file_too_large"
        assert nothing_stored(private_media)

    def test_a_file_just_over_10_mb_inside_a_small_request_is_413_too(
        self, client, case, token, private_media
    ):
        response = api_upload(client, case, token, b"%PDF-1.7\n" + b"0" * MAX_BYTES)
        assert response.status_code == 413
        assert nothing_stored(private_media)


class TestPathInTheFileName:
    NAMES = [
        "../../../../tmp/evil.pdf",
        "..\\..\\windows\\evil.pdf",
        "/etc/cron.d/evil",
        "..",
        "a/../../b.pdf",
    ]

    @pytest.mark.parametrize("name", NAMES)
    def test_the_page_refuses_a_path_as_a_file_name(self, uploader, private_media, name):
        body, content_type = multipart({"kind": "identity"}, name, files.pdf())
        response = uploader.post("/recover/case/", body, content_type=content_type)
        assert response.status_code == 400 and "plain name" in response.content.decode()
        assert nothing_stored(private_media)

    @pytest.mark.parametrize("name", NAMES)
    def test_the_api_refuses_a_path_as_a_file_name(self, client, case, token, private_media, name):
        body, content_type = multipart({"kind": "identity", "token": token}, name, files.pdf())
        response = client.post(
            f"/api/v1/recovery/cases/{case.reference}/documents", body, content_type=content_type
        )
        assert response.status_code == 400 and "plain name" in response.json()["errors"]["file"][0]
        assert nothing_stored(private_media)


class TestRounds:
    def test_a_sixth_file_is_refused(self, uploader, client, case, token, committed, private_media):
        for n in range(5):
            assert committed(upload, uploader, files.png(), name=f"page{n}.png").status_code == 302

        page = committed(upload, uploader, files.png(), name="page6.png")
        api = api_upload(client, case, token, files.png(), name="page6.png")

        assert page.status_code == 410 and "used up" in page.content.decode()
        assert api.status_code == 404 and api.json()["code"] == "link_invalid"
        assert CaseDocument.objects.count() == 5 and len(stored_files(private_media)) == 5
        # The page still says where the case stands, and why no more files go.
        status_page = uploader.get("/recover/case/")
        assert "used for 5 files" in status_page.content.decode()

    def test_a_finished_link_reopened_says_the_files_arrived_and_what_comes_next(
        self, uploader, token, committed
    ):
        for n in range(5):
            assert committed(upload, uploader, files.png(), name=f"page{n}.png").status_code == 302

        reopened = open_email_link(Client(), token)

        page = reopened.content.decode()
        assert reopened.status_code == 410
        assert "All the files for this round of your recovery case have arrived" in page
        assert "e-mails your contact address when they decide or need more" in page
        assert "Each link works only as many times" not in page

    def test_a_fresh_link_mid_round_takes_only_what_is_left(self, uploader, user, recover, committed):
        for n in range(3):
            committed(upload, uploader, files.png(), name=f"page{n}.png")
        recover(user.email, CONTACT)  # the same person asks again: a fresh link
        assert (
            EmailLink.objects.filter(purpose=UPLOAD_PURPOSE, revoked_at__isnull=True).get().uses_allowed == 2
        )

    def test_a_case_that_takes_no_documents_answers_409(self, client, case, token):
        case.reject(reason="test")
        case.save()
        response = api_upload(client, case, token, files.png())
        assert response.status_code == 409 and response.json()["code"] == "case_closed_for_documents"


class TestTokens:
    def test_a_wrong_token_is_404(self, client, case, private_media):
        response = api_upload(client, case, "not-a-token", files.pdf())
        assert response.status_code == 404 and response.json()["code"] == "link_invalid"
        assert nothing_stored(private_media)

    def test_a_token_of_another_case_is_404(self, client, case, token, recover, private_media):
        recover("other@example.com", "other@contact.example")
        other = RecoveryCase.objects.get(account_email="other@example.com")
        response = api_upload(client, other, token, files.pdf())
        assert response.status_code == 404
        assert nothing_stored(private_media)

    def test_an_expired_token_is_404_and_an_expired_page_link_410(
        self, client, case, token, uploader, private_media
    ):
        with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
            api = api_upload(client, case, token, files.pdf())
            page = upload(uploader, files.pdf())
        assert api.status_code == 404
        assert page.status_code == 410 and "expired" in page.content.decode()
        assert nothing_stored(private_media)

    def test_the_case_page_without_a_link_says_how_to_get_one(self):
        response = Client().get("/recover/case/")
        assert response.status_code == 400 and "Get a new link" in response.content.decode()
