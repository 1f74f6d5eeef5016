"""A real webhook receiver on loopback: answers a programmed list of status codes and checks
each request's signature with the standardwebhooks package, as an agency's server would."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook, WebhookVerificationError


class Receiver:
    def __init__(self, answers=(), *, default: int = 200, body: bytes = b"thanks", delay: float = 0.0, headers=None):
        self.answers = list(answers)
        self.default = default
        self.body = body
        self.delay = delay
        self.extra_headers = dict(headers or {})
        self.secrets: list[str] = []
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                receiver._record(self.path, headers, raw)
                if receiver.delay:
                    time.sleep(receiver.delay)
                with receiver._lock:
                    code = receiver.answers.pop(0) if receiver.answers else receiver.default
                self.send_response(code)
                for name, value in receiver.extra_headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(receiver.body)))
                self.end_headers()
                self.wfile.write(receiver.body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/gonggam"

    def _record(self, path: str, headers: dict, raw: bytes) -> None:
        verified_with = []
        for secret in self.secrets:
            try:
                Webhook(secret).verify(raw, headers)
            except WebhookVerificationError:
                continue
            verified_with.append(secret)
        body = raw.decode()
        with self._lock:
            self.requests.append(
                {
                    "path": path,
                    "headers": headers,
                    "body": body,
                    "json": json.loads(body),
                    "verified_with": verified_with,
                }
            )

    def ids(self) -> list[str]:
        return [request["headers"]["webhook-id"] for request in self.requests]

    def types(self) -> list[str]:
        return [request["json"]["type"] for request in self.requests]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
