"""A loopback server speaking the two KakaoTalk providers' APIs, as their public docs describe
them (see followups/kakao/happytalk.py and nhncloud.py for which parts are documented):

- Happytalk 상담톡: POST /v1/chat/write (HT-Client-Id / HT-Client-Secret; user_key, sender_key of
  40 characters, serial_number of at most 30 and unique, message_type TX/IM/FI/LI, message of at
  most 1,000 characters; IM needs an image_url and FI a file_url, file_name and file_size of a
  file uploaded to the provider first), POST /v1/image/upload and /v1/file/upload (multipart:
  sender_key and image or file; a photo over 5 MB is refused), POST /v1/chat/end (user_key and
  sender_key, answered {"code": 0, "sessionId": ...} as documented);
- NHN Cloud AlimTalk: POST /alimtalk/v2.3/appkeys/{appkey}/messages (X-Secret-Key,
  X-NC-API-IDEMPOTENCY-KEY, senderKey, templateCode, recipientList[]{recipientNo,
  templateParameter, resendParameter}), GET .../messages?requestId= (results, with the SMS
  fallback's resendStatus), GET .../senders/{senderKey}/templates;
- GET /files/<name>: a customer's photo, as the provider's attachment links serve it.

It records every request (`requests`), what reached a customer (`chats`, `alimtalks`), the
uploads (`uploads`: path, fields, files and the URL given back), and can
be told to fail: `fail_next` (HTTP statuses for the next chat/write calls), `deliver_then_fail`
(accept the chat, then answer 500: the lost answer), `delay` (seconds before answering), and
`no_kakao` (numbers without KakaoTalk: AlimTalk fails and the SMS fallback is sent).
`deliver(url, payload, times=2)` posts a webhook delivery to Gonggam, repeated as providers do.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx

CLIENT_ID = "gonggam-client"
CLIENT_SECRET = "happytalk-secret-value"
SENDER_KEY = "a" * 40
APPKEY = "nhn-appkey-1"
SECRET_KEY = "nhn-secret-value"
ALIMTALK_SENDER_KEY = "b" * 40
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
# Kakao's limit for a photo in 상담톡 (kakaobusiness.gitbook.io, 상담톡: 이미지형 최대 5MB).
IMAGE_MAX_BYTES = 5 * 1024 * 1024
VARIABLE = re.compile(r"#\{([^{}\s]+)\}")
ALIMTALK_PATH = re.compile(r"^/alimtalk/v2\.3/appkeys/(?P<appkey>[^/]+)/(?P<rest>.*)$")


class FakeKakaoProvider:
    def __init__(self):
        self.requests: list[dict] = []
        self.chats: list[dict] = []
        self.ended: list[str] = []
        self.alimtalks: list[dict] = []
        self.uploads: list[dict] = []
        self.templates: dict[str, dict] = {}
        self.fail_next: list[int] = []
        self.deliver_then_fail = 0
        self.delay = 0.0
        self.no_kakao: set[str] = set()
        self._serials: set[str] = set()
        self._idempotency: set[str] = set()
        self._lock = threading.Lock()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                provider._handle(self, "GET")

            def do_POST(self):
                provider._handle(self, "POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> FakeKakaoProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def add_template(self, code: str, text: str, buttons: list | None = None) -> None:
        self.templates[code] = {"templateCode": code, "templateContent": text, "buttons": buttons or []}

    def file_url(self, name: str) -> str:
        return f"{self.url}/files/{name}"

    # --- Gonggam's side: the provider's webhook deliveries -----------------------------------
    def deliver(self, url: str, payload, times: int = 1) -> list[httpx.Response]:
        return [httpx.post(url, json=payload, timeout=10) for _ in range(times)]

    @staticmethod
    def chat_payload(*, user_key: str, text: str, serial: str | None = None, **extra) -> dict:
        return {
            "user_key": user_key,
            "sender_key": SENDER_KEY,
            "serial_number": serial or uuid.uuid4().hex[:20],
            "time": int(time.time() * 1000),
            "type": "text",
            "content": text,
            **extra,
        }

    # --- the HTTP side --------------------------------------------------------------------
    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        url = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        content_type = handler.headers.get("Content-Type", "")
        if content_type.startswith("multipart/form-data"):
            body = _multipart(content_type, raw)
        else:
            try:
                body = json.loads(raw) if raw else {}
            except ValueError:
                body = None
        record = {
            "method": method,
            "path": url.path,
            "query": parse_qs(url.query),
            "headers": {k.lower(): v for k, v in handler.headers.items()},
        }
        record["body"] = body if not isinstance(body, dict) or "files" not in body else body["fields"]
        with self._lock:
            self.requests.append(record)
        if self.delay:
            time.sleep(self.delay)
        status, answer, content_type = self._answer(method, url.path, parse_qs(url.query), handler.headers, body)
        data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _answer(self, method, path, query, headers, body):
        if method == "GET" and path.startswith("/files/"):
            return 200, PNG, "image/png"
        if body is None:
            return 400, {"code": "INVALID_JSON", "message": "body is not JSON"}, "application/json"
        if path in ("/v1/image/upload", "/v1/file/upload"):
            return (*self._upload(path, headers, body), "application/json")
        if path in ("/v1/chat/write", "/v1/chat/end"):
            return (*self._happytalk(path, headers, body), "application/json")
        match = ALIMTALK_PATH.match(path)
        if match:
            return (*self._nhncloud(method, match["appkey"], match["rest"], query, headers, body), "application/json")
        return 404, {"code": "NOT_FOUND"}, "application/json"

    def _happytalk(self, path, headers, body):
        if headers.get("HT-Client-Id") != CLIENT_ID or headers.get("HT-Client-Secret") != CLIENT_SECRET:
            return 401, {"code": "UNAUTHORIZED", "message": "invalid client"}
        if body.get("sender_key") != SENDER_KEY or len(str(body.get("sender_key", ""))) != 40:
            return 400, {"code": "INVALID_SENDER_KEY", "message": "sender_key must be the channel's 40 characters"}
        with self._lock:
            if self.fail_next:
                return self.fail_next.pop(0), {"code": "SERVER_ERROR", "message": "temporary failure"}
        if path == "/v1/chat/end":
            if not str(body.get("user_key", "")).startswith("user-"):
                return 400, {"code": "INVALID_USER_KEY", "message": "no chat with this user_key"}
            self.ended.append(body.get("user_key"))
            return 200, {"code": 0, "sessionId": str(len(self.ended) + 163477523)}
        serial = str(body.get("serial_number", ""))
        if not serial or len(serial) > 30:
            return 400, {"code": "INVALID_SERIAL_NUMBER", "message": "serial_number is 1-30 characters"}
        if body.get("message_type") not in {"TX", "IM", "FI", "LI"}:
            return 400, {"code": "INVALID_MESSAGE_TYPE", "message": "message_type is TX, IM, FI or LI"}
        message = body.get("message") or ""
        if body["message_type"] in {"TX", "LI"} and not message:
            return 400, {"code": "MESSAGE_REQUIRED", "message": "message is required for TX and LI"}
        if len(message) > 1000:
            return 400, {"code": "MESSAGE_TOO_LONG", "message": "message is at most 1000 characters"}
        uploaded = {u["url"] for u in self.uploads}
        if body["message_type"] == "IM" and body.get("image_url") not in uploaded:
            return 400, {"code": "INVALID_IMAGE_URL", "message": "image_url must be a file uploaded to Kakao"}
        if body["message_type"] == "FI" and (
            body.get("file_url") not in uploaded
            or not body.get("file_name")
            or not isinstance(body.get("file_size"), int)
        ):
            return 400, {"code": "INVALID_FILE", "message": "file_url (uploaded), file_name and file_size are required"}
        if not str(body.get("user_key", "")).startswith("user-"):
            return 400, {"code": "INVALID_USER_KEY", "message": "no chat with this user_key"}
        with self._lock:
            if serial in self._serials:
                return 200, {"code": "DUPLICATE", "message": "serial_number already used"}
            self._serials.add(serial)
            self.chats.append(body)
            if self.deliver_then_fail:
                self.deliver_then_fail -= 1
                return 500, {"code": "SERVER_ERROR", "message": "lost answer"}
        return 200, {"code": "0000", "message": "success"}

    def _upload(self, path, headers, body):
        if headers.get("HT-Client-Id") != CLIENT_ID or headers.get("HT-Client-Secret") != CLIENT_SECRET:
            return 401, {"code": "UNAUTHORIZED", "message": "invalid client"}
        if not isinstance(body, dict) or "files" not in body:
            return 400, {"code": "INVALID_REQUEST", "message": "multipart/form-data is required"}
        if body["fields"].get("sender_key") != SENDER_KEY:
            return 400, {"code": "-501", "message": "InvalidSenderException"}
        field = "image" if path == "/v1/image/upload" else "file"
        if field not in body["files"]:
            return 400, {"code": "-505", "message": f"{field} is required"}
        name, data = body["files"][field]
        if field == "image" and len(data) > IMAGE_MAX_BYTES:
            return 400, {"code": "-505", "message": "InvalidImageSizeException"}
        with self._lock:
            url = f"http://kage.kakao.example/dn/{len(self.uploads) + 1}/{uuid.uuid4().hex[:8]}"
            self.uploads.append({"path": path, "fields": body["fields"], "files": body["files"], "url": url})
        if field == "image":
            return 200, {"code": "0000", "image": url}
        return 200, {"code": "0000", "file": url, "name": name, "size": len(data)}

    def _header(self, ok: bool, code: int = 0, message: str = "success") -> dict:
        return {"resultCode": code, "resultMessage": message, "isSuccessful": ok}

    def _nhncloud(self, method, appkey, rest, query, headers, body):
        if appkey != APPKEY or headers.get("X-Secret-Key") != SECRET_KEY:
            return 401, {"header": self._header(False, -1000, "Invalid appkey or secret key")}
        if method == "GET" and rest == f"senders/{ALIMTALK_SENDER_KEY}/templates":
            code = (query.get("templateCode") or [""])[0]
            found = [t for c, t in self.templates.items() if not code or c == code]
            return 200, {
                "header": self._header(True),
                "templateListResponse": {"templates": found, "totalCount": len(found)},
            }
        if method == "GET" and rest == "messages":
            request_id = (query.get("requestId") or [""])[0]
            rows = [
                {
                    "requestId": a["requestId"],
                    "recipientSeq": 1,
                    "recipientNo": a["recipientNo"],
                    "templateCode": a["templateCode"],
                    "content": a["content"],
                    "messageStatus": "FAILED" if a["recipientNo"] in self.no_kakao else "COMPLETED",
                    "resultCode": "3018" if a["recipientNo"] in self.no_kakao else "1000",
                    "resendStatus": ("RSC04" if a["resend"] else "RSC05")
                    if a["recipientNo"] in self.no_kakao
                    else "RSC01",
                }
                for a in self.alimtalks
                if a["requestId"] == request_id
            ]
            return 200, {
                "header": self._header(True),
                "messageSearchResultResponse": {"messages": rows, "totalCount": len(rows)},
            }
        if method == "POST" and rest == "messages":
            return self._alimtalk_send(headers, body)
        return 404, {"header": self._header(False, -404, "not found")}

    def _alimtalk_send(self, headers, body):
        key = headers.get("X-NC-API-IDEMPOTENCY-KEY", "")
        with self._lock:
            if key and key in self._idempotency:
                return 200, {"header": self._header(False, -1001, "Duplicated idempotency key request")}
        if body.get("senderKey") != ALIMTALK_SENDER_KEY:
            return 200, {"header": self._header(False, -1006, "Invalid sender key")}
        template = self.templates.get(body.get("templateCode", ""))
        if template is None:
            return 200, {"header": self._header(False, -1009, "Not found template")}
        recipients = body.get("recipientList") or []
        if not recipients:
            return 200, {"header": self._header(False, -1002, "recipientList is required")}
        request_id = uuid.uuid4().hex[:20]
        results = []
        for seq, recipient in enumerate(recipients, start=1):
            values = recipient.get("templateParameter") or {}
            missing = [n for n in VARIABLE.findall(template["templateContent"]) if not values.get(n)]
            if missing:
                return 200, {"header": self._header(False, -3025, f"template parameter missing: {missing}")}
            content = VARIABLE.sub(lambda m, values=values: values[m.group(1)], template["templateContent"])
            resend = recipient.get("resendParameter") or {}
            with self._lock:
                self.alimtalks.append(
                    {
                        "requestId": request_id,
                        "recipientNo": recipient.get("recipientNo"),
                        "templateCode": template["templateCode"],
                        "templateParameter": values,
                        "content": content,
                        "resend": resend if resend.get("isResend") else None,
                    }
                )
            results.append(
                {
                    "recipientSeq": seq,
                    "recipientNo": recipient.get("recipientNo"),
                    "resultCode": 0,
                    "resultMessage": "SUCCESS",
                }
            )
        with self._lock:
            if key:
                self._idempotency.add(key)
        return 200, {"header": self._header(True), "message": {"requestId": request_id, "sendResults": results}}


def _multipart(content_type: str, raw: bytes) -> dict:
    """{"fields": {name: text}, "files": {name: (filename, bytes)}} of a multipart/form-data body."""
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
    fields, files = {}, {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        if part.get_filename() is not None:
            files[name] = (part.get_filename(), data)
        else:
            fields[name] = data.decode()
    return {"fields": fields, "files": files}


def connect(provider: FakeKakaoProvider, *, by):
    """The agency's channel pointed at `provider`: Happytalk for chat, NHN Cloud for AlimTalk."""
    from followups.kakao.channel import kakao_channel, kakao_channel_save

    kakao_channel()
    return kakao_channel_save(
        by=by,
        chat_secret=CLIENT_SECRET,
        alimtalk_secret=SECRET_KEY,
        chat_provider="happytalk",
        chat_base_url=provider.url,
        chat_client_id=CLIENT_ID,
        chat_sender_key=SENDER_KEY,
        alimtalk_provider="nhncloud",
        alimtalk_base_url=provider.url,
        alimtalk_appkey=APPKEY,
        alimtalk_sender_key=ALIMTALK_SENDER_KEY,
        sms_sender_no="02-123-4567",
    )
