"""Photos and files in a KakaoTalk reply: what 상담톡 carries, checked before anything is stored.

Kakao's published limits for 상담톡 (kakaobusiness.gitbook.io, "상담톡": 이미지형 최대 5MB jpg, png,
gif; 파일형 최대 300MB): a JPG, PNG or GIF goes as a photo (IM) of at most 5 MB; anything else as
a file (FI) within the outbox's own limits (OUTBOX_MAX_ATTACHMENT_BYTES, far below Kakao's).
Programs and scripts are refused: a customer's phone cannot open them and they are how malware
travels (our rule, not Kakao's).
"""

from __future__ import annotations

import os

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from agency_crm.outbox import outbox_check_attachments

from .gateway import ChatFile

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif"}
IMAGE_MAX_BYTES = 5 * 1024 * 1024
REFUSED_EXTENSIONS = {
    ".apk", ".bat", ".cmd", ".com", ".exe", ".jar", ".js", ".msi", ".ps1", ".scr", ".sh", ".vbs",
}  # fmt: skip


def chat_file_kind(filename: str) -> str:
    return "image" if os.path.splitext(filename.lower())[1] in IMAGE_EXTENSIONS else "file"


def chat_files_check(files: list) -> list:
    """`files` when KakaoTalk can carry every one, else ValidationError on "attachments"."""
    try:
        outbox_check_attachments(files)
    except ValidationError as error:
        raise ValidationError({"attachments": error.messages}) from None
    problems = []
    for upload in files:
        name = os.path.basename(upload.name or "")
        extension = os.path.splitext(name.lower())[1]
        if extension in REFUSED_EXTENSIONS:
            problems.append(
                _("%(name)s is a program: KakaoTalk replies carry photos and documents, not programs.") % {"name": name}
            )
        elif chat_file_kind(name) == "image" and upload.size > IMAGE_MAX_BYTES:
            problems.append(
                _("%(name)s is larger than %(size)s, the limit for a photo on KakaoTalk. Send it by email.")
                % {"name": name, "size": filesizeformat(IMAGE_MAX_BYTES)}
            )
    if problems:
        raise ValidationError({"attachments": problems})
    return files


def chat_file_of(attachment) -> ChatFile:
    """The stored outbox attachment as the gateway sends it (the same bytes at every retry)."""
    with attachment.file.open("rb") as handle:
        content = handle.read()
    return ChatFile(
        kind=chat_file_kind(attachment.filename),
        filename=attachment.filename,
        content=content,
        content_type=attachment.content_type or "application/octet-stream",
    )
