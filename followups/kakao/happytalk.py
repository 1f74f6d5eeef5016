"""The 상담톡 adapter for Happytalk, written from its public developer documentation
(developer-center.happytalk.io, "kakaotalk_webhook / counseling": 메시지 전송).

Sending: `POST {base}/v1/chat/write` with the headers `HT-Client-Id` and `HT-Client-Secret` and
a JSON body of `user_key` (String 20), `sender_key` (String 40, the channel's 발신프로필 키),
`serial_number` (String 30, unique per message), `message_type` (TX text, IM image, FI file, LI
link), `message` (String 1000, required for TX and LI), `image_url` (required for IM) and
`file_url`, `file_name`, `file_size` (required for FI). Photos and files must be on Kakao's
servers first: `POST {base}/v1/image/upload` (multipart: `sender_key`, `image`) and the file
upload. Ending a chat (상담방 종료): `POST {base}/v1/chat/end` with `user_key` and `sender_key`,
answered `{"code": 0, "sessionId": ...}`.

What the documentation we read does not show, and this adapter assumes (README, "KakaoTalk"):
the body of chat/write's answer (`{"code": "0000", "message": ...}` on success; a `code` of
"DUPLICATE" when that serial_number was taken already, which we count as sent, since the earlier
attempt got through); the answers of the v1 uploads (we read `image`, and `file`, `name`,
`size`, as the v3 upload pages document them) and the v1 file upload's address
(`/v1/file/upload`, beside the documented `/v1/image/upload`); and the shape of the message
Happytalk posts to our webhook (the fields of chat/write plus `type`, `content`, `time` and
`attachment`, see `parse_inbound`).
"""

from __future__ import annotations

import datetime as dt
import hmac
import json

from django.utils import timezone

from .gateway import (
    CHAT_MAX_CHARS,
    ChatFile,
    ChatSent,
    Credentials,
    GatewayFinal,
    InboundAttachmentRef,
    InboundChat,
    InboundRejected,
    TestOutcome,
)
from .http import call, json_body, raise_for_http

SUCCESS_CODES = {"0", "0000", "200", "success"}
DUPLICATE_CODES = {"DUPLICATE", "duplicate_serial_number"}
# The probe of *Test*: a user key no customer has, so nothing reaches anyone.
TEST_USER_KEY = "gonggam-test"


class HappytalkGateway:
    name = "happytalk"

    def __init__(self, credentials: Credentials):
        self.credentials = credentials

    def _headers(self) -> dict:
        return {
            "Content-Type": "application/json",
            "HT-Client-Id": self.credentials.client_id,
            "HT-Client-Secret": self.credentials.secret,
        }

    def _url(self, path: str) -> str:
        return self.credentials.base_url.rstrip("/") + path

    def _post(self, path: str, body: dict) -> dict:
        response = call("POST", self._url(path), timeout=self.credentials.timeout, headers=self._headers(), json=body)
        raise_for_http(response)
        return json_body(response)

    def _written(self, body: dict, serial_number: str) -> ChatSent:
        code = str(body.get("code", body.get("result", "")))
        if code in SUCCESS_CODES:
            return ChatSent(serial_number=serial_number)
        if code in DUPLICATE_CODES:
            return ChatSent(serial_number=serial_number, duplicate=True)
        raise GatewayFinal(f"Happytalk refused the message: {code} {body.get('message', '')}"[:500], code=code)

    def _upload(self, file: ChatFile) -> dict:
        """Put a photo or file on Kakao's servers (chat/write sends only those); the answer names it."""
        field_name = "image" if file.kind == "image" else "file"
        headers = {k: v for k, v in self._headers().items() if k != "Content-Type"}  # httpx sets the boundary
        response = call(
            "POST",
            self._url(f"/v1/{field_name}/upload"),
            timeout=self.credentials.timeout,
            headers=headers,
            data={"sender_key": self.credentials.sender_key},
            files={field_name: (file.filename, file.content, file.content_type)},
        )
        raise_for_http(response)
        body = json_body(response)
        code = str(body.get("code", ""))
        url = str(body.get(field_name) or body.get(f"{field_name}_url") or "")
        if code not in SUCCESS_CODES or not url:
            raise GatewayFinal(f"Happytalk refused the {field_name}: {code} {body.get('message', '')}"[:500], code=code)
        return {"url": url, "name": str(body.get("name") or file.filename), "size": _int(body.get("size")) or file.size}

    # --- out ------------------------------------------------------------------------------
    def send_chat(self, *, user_key: str, serial_number: str, text: str) -> ChatSent:
        if len(text) > CHAT_MAX_CHARS:
            raise GatewayFinal(f"a chat message holds at most {CHAT_MAX_CHARS} characters, this one {len(text)}")
        body = self._post(
            "/v1/chat/write",
            {
                "user_key": user_key,
                "sender_key": self.credentials.sender_key,
                "serial_number": serial_number[:30],
                "message_type": "TX",
                "message": text,
            },
        )
        return self._written(body, serial_number)

    def send_file(self, *, user_key: str, serial_number: str, file: ChatFile) -> ChatSent:
        """Upload, then chat/write as IM (a photo) or FI (a file). A retry uploads again (the
        provider keeps an unused copy) but the serial number keeps the message to one."""
        uploaded = self._upload(file)
        body = {
            "user_key": user_key,
            "sender_key": self.credentials.sender_key,
            "serial_number": serial_number[:30],
        }
        if file.kind == "image":
            body |= {"message_type": "IM", "image_url": uploaded["url"][:1000]}
        else:
            body |= {
                "message_type": "FI",
                "file_url": uploaded["url"][:1000],
                "file_name": uploaded["name"][:1000],
                "file_size": uploaded["size"],
            }
        return self._written(self._post("/v1/chat/write", body), serial_number)

    def end_chat(self, *, user_key: str) -> None:
        body = self._post("/v1/chat/end", {"user_key": user_key, "sender_key": self.credentials.sender_key})
        code = str(body.get("code", body.get("result", "")))
        if code not in SUCCESS_CODES:
            raise GatewayFinal(f"Happytalk did not end the chat: {code} {body.get('message', '')}"[:500], code=code)

    def test(self) -> TestOutcome:
        """Ask chat/write to write to nobody: refused credentials say so (401/403), a refusal of
        the user key means the credentials and the address work."""
        try:
            response = call(
                "POST",
                self._url("/v1/chat/write"),
                timeout=self.credentials.timeout,
                headers=self._headers(),
                json={
                    "user_key": TEST_USER_KEY,
                    "sender_key": self.credentials.sender_key,
                    "serial_number": f"test-{timezone.now():%Y%m%d%H%M%S}",
                    "message_type": "TX",
                    "message": "test",
                },
            )
        except Exception as exc:  # GatewayRetryable / GatewayFinal: the message is the outcome
            return TestOutcome(False, str(exc))
        if response.status_code in (401, 403):
            return TestOutcome(False, f"HTTP {response.status_code}: the client id or secret was refused")
        if response.status_code >= 500:
            return TestOutcome(False, f"HTTP {response.status_code}: the provider is not answering properly")
        return TestOutcome(True, f"HTTP {response.status_code}: Happytalk answered and accepted the credentials")

    # --- in -------------------------------------------------------------------------------
    def verify(self, request, *, secret: str) -> None:
        """The secret path is the proof (Happytalk signs nothing); the sender key, when the
        delivery names one, must be our channel's."""
        given = request.resolver_match.kwargs.get("secret", "") if request.resolver_match else ""
        if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
            raise InboundRejected("wrong webhook path", status=404)
        if request.method != "POST":
            raise InboundRejected("only POST", status=405)

    def parse_inbound(self, request) -> list[InboundChat]:
        try:
            data = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError) as exc:
            raise InboundRejected("the body is not JSON") from exc
        items = data if isinstance(data, list) else [data]
        chats = []
        for item in items:
            if not isinstance(item, dict):
                raise InboundRejected("a message is not a JSON object")
            sender_key = str(item.get("sender_key", ""))
            if sender_key and self.credentials.sender_key and sender_key != self.credentials.sender_key:
                raise InboundRejected("a message for another channel")
            chats.append(_chat(item))
        return chats


def _chat(item: dict) -> InboundChat:
    message_id = str(item.get("serial_number") or item.get("msg_id") or "").strip()
    user_key = str(item.get("user_key") or "").strip()
    if not message_id or not user_key:
        raise InboundRejected("a message without serial_number or user_key")
    kind = str(item.get("type") or item.get("message_type") or "text").lower()
    content = item.get("content", item.get("message", ""))
    text = content.get("text", "") if isinstance(content, dict) else str(content or "")
    attachments = []
    attachment = item.get("attachment") or {}
    if isinstance(attachment, dict) and attachment.get("url"):
        attachments.append(
            InboundAttachmentRef(
                kind="image" if kind in {"photo", "image", "im"} else "file",
                url=str(attachment["url"])[:1000],
                filename=str(attachment.get("name") or attachment.get("file_name") or "")[:200],
                size=_int(attachment.get("size") or attachment.get("file_size")),
            )
        )
    return InboundChat(
        provider_message_id=message_id[:100],
        user_key=user_key[:100],
        text=text,
        occurred_at=_moment(item.get("time")),
        nickname=str(item.get("nickname") or "")[:200],
        phone=str(item.get("phone_number") or item.get("phone") or "")[:30],
        attachments=tuple(attachments),
        ended=kind in {"leave", "block", "end"},
    )


def _int(value) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


def _moment(value) -> dt.datetime:
    """Milliseconds since the epoch (Kakao's habit), an ISO time, or now; never the future."""
    now = timezone.now()
    moment = None
    if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
        try:
            moment = dt.datetime.fromtimestamp(int(value) / 1000, tz=dt.UTC)
        except (OverflowError, OSError, ValueError):
            moment = None
    elif isinstance(value, str) and value:
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is not None and timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
    if moment is None or moment > now:
        return now
    return moment
