"""A filtered (spam) submission's files follow the filtered list's rule: managers only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from followups.models import WebSubmission
from tests.followups.test_webform import post

pytestmark = pytest.mark.django_db


def upload():
    return [SimpleUploadedFile("invoice.pdf", b"%PDF-1.4 spam", content_type="application/pdf")]


def test_staff_cannot_download_a_filtered_submissions_file_and_managers_can(client, manager, owner):
    post(client, {"website": "http://spam.example", "attachments": upload()})
    (attachment,) = WebSubmission.objects.get(status="filtered").attachments.all()
    client.force_login(owner)
    assert client.get(f"/contact/attachments/{attachment.pk}/").status_code == 403
    client.force_login(manager)
    download = client.get(f"/contact/attachments/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 spam"


def test_once_released_the_file_is_open_to_staff_again(client, manager, owner):
    post(client, {"website": "x", "attachments": upload()})
    submission = WebSubmission.objects.get()
    from followups.webform.services import submission_release

    submission_release(submission=submission, actor=manager)
    client.force_login(owner)
    assert client.get(f"/contact/attachments/{submission.attachments.get().pk}/").status_code == 200
