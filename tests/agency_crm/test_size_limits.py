"""Size limits: a body announcing more than REQUEST_MAX_BODY_BYTES is refused with 413 before
anything reads it (agency_crm.limits), in the app's layout and the reader's language."""

import io
import socket

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db

SIXTY_MB = 60 * 1024 * 1024


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    reads = 0

    def readable(self):
        return True

    def read(self, *args):
        UnreadableBody.reads += 1
        raise AssertionError("the body was read")

    readline = readinto = read


def test_the_limits_are_set():
    assert settings.REQUEST_MAX_BODY_BYTES == 5 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 2_621_440


@pytest.mark.parametrize(("language", "title"), [("en", "Too large"), ("ko", "너무 큽니다")])
def test_an_oversized_upload_is_refused_without_reading_the_body(owner_client, language, title):
    owner_client.cookies["django_language"] = language
    owner_client.raise_request_exception = True
    UnreadableBody.reads = 0
    response = owner_client.generic(
        "POST",
        "/clients/import/",
        content_type="multipart/form-data; boundary=BoUnDaRy",
        **{"CONTENT_LENGTH": str(SIXTY_MB), "wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 413
    assert UnreadableBody.reads == 0
    body = response.content.decode()
    assert title in body and "5.0\xa0MB" in body
    assert "공감 Gonggam" in body and 'href="/static/css/app.css"' in body  # the app's layout
    assert response.headers["Content-Security-Policy"]


def test_a_body_at_the_limit_is_let_through(owner_client):
    # The import form's own 2 MB limit answers, not the 413.
    data = b"name,account_owner\n" + b"x" * (3 * 1024 * 1024)
    response = owner_client.post(
        "/clients/import/", {"file": SimpleUploadedFile("big.csv", data, content_type="text/csv")}
    )
    assert response.status_code == 200
    assert "The file is too large" in response.content.decode()


def test_a_malformed_content_length_is_not_an_error(owner_client):
    response = owner_client.generic("POST", "/clients/import/", b"", CONTENT_LENGTH="lots")
    assert response.status_code < 500


def test_the_live_server_answers_413_before_the_body_is_sent(live_server):
    """Over a real socket: the headers announce 60 MB, no body follows, and the answer comes at
    once (before the login check too: nothing about the request is looked at but its size)."""
    host, port = live_server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(
            (
                "POST /clients/import/ HTTP/1.1\r\n"
                f"Host: {host}\r\n"
                "Content-Type: multipart/form-data; boundary=BoUnDaRy\r\n"
                f"Content-Length: {SIXTY_MB}\r\n\r\n"
            ).encode()
        )
        answer = connection.recv(65536).decode(errors="replace")
    assert answer.startswith("HTTP/1.1 413")
