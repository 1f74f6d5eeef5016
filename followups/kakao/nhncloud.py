"""The AlimTalk adapter for NHN Cloud (Notification > KakaoTalk Bizmessage > 알림톡, API v2.x
guide on docs.nhncloud.com).

From the guide: `POST {base}/alimtalk/v2.3/appkeys/{appkey}/messages` with the header
`X-Secret-Key` (made in the console) and `X-NC-API-IDEMPOTENCY-KEY` (the same key within ten
minutes is refused as a duplicate), a body of `senderKey` (40 characters), `templateCode` (at most
20), `recipientList[]` of `recipientNo` (at most 15), `templateParameter` ({"key": "value"} for
each #{key}) and `resendParameter` (`isResend`, `resendType` SMS/LMS, `resendTitle`,
`resendContent`, `resendSendNo`) for the SMS fallback. Answers carry
`header{resultCode, resultMessage, isSuccessful}` and `message{requestId, sendResults[]}`.

From our reading of the same guide's other sections, not quoted above (README): the results read
back with `GET .../messages?requestId=` (`messageSearchResultResponse.messages[]` with
`messageStatus`, `resultCode` and `resendStatus` RSC01-RSC05), the template lookup
`GET .../senders/{senderKey}/templates?templateCode=` (`templateListResponse.templates[]` with
`templateContent`), and the answer to a repeated idempotency key (we treat a `resultMessage`
naming it as "already sent").
"""

from __future__ import annotations

from .gateway import AlimTalkSent, Credentials, DeliveryResult, GatewayFinal, GatewayRetryable, SmsFallback, TestOutcome
from .http import call, json_body, raise_for_http

API = "/alimtalk/v2.3/appkeys/{appkey}"
# resendStatus of a recipient: RSC01 no fallback needed, RSC02 to be sent, RSC03 sending,
# RSC04 SMS delivered, RSC05 SMS failed.
FINAL_MESSAGE_STATUSES = {"COMPLETED", "FAILED", "CANCEL"}
PENDING_FALLBACK = {"RSC02", "RSC03"}
# Short texts go as SMS, longer ones as LMS (Korean carriers: 90 bytes).
SMS_MAX_BYTES = 90


class NhnCloudGateway:
    name = "nhncloud"

    def __init__(self, credentials: Credentials):
        self.credentials = credentials

    def _base(self) -> str:
        return self.credentials.base_url.rstrip("/") + API.format(appkey=self.credentials.client_id)

    def _headers(self, idempotency_key: str = "") -> dict:
        headers = {"Content-Type": "application/json;charset=UTF-8", "X-Secret-Key": self.credentials.secret}
        if idempotency_key:
            headers["X-NC-API-IDEMPOTENCY-KEY"] = idempotency_key
        return headers

    def _call(self, method: str, path: str, *, body=None, params=None, idempotency_key: str = "") -> dict:
        response = call(
            method,
            self._base() + path,
            timeout=self.credentials.timeout,
            headers=self._headers(idempotency_key),
            json=body,
            params=params,
        )
        raise_for_http(response)
        return json_body(response)

    def send_alimtalk(
        self, *, template_code: str, to: str, values: dict[str, str], fallback: SmsFallback | None, idempotency_key: str
    ) -> AlimTalkSent:
        recipient = {"recipientNo": to, "templateParameter": dict(values)}
        if fallback is not None:
            recipient["resendParameter"] = {
                "isResend": True,
                "resendType": "SMS" if len(fallback.text.encode("utf-8")) <= SMS_MAX_BYTES else "LMS",
                "resendTitle": fallback.title,
                "resendContent": fallback.text,
                "resendSendNo": fallback.sender_no,
            }
        body = self._call(
            "POST",
            "/messages",
            body={
                "senderKey": self.credentials.sender_key,
                "templateCode": template_code,
                "recipientList": [recipient],
            },
            idempotency_key=idempotency_key,
        )
        header = body.get("header") or {}
        code, text = str(header.get("resultCode", "")), str(header.get("resultMessage", ""))
        if not header.get("isSuccessful"):
            if "idempoten" in text.lower():
                # The same key within ten minutes: an earlier attempt got through.
                return AlimTalkSent(request_id="", result_code=code, result_message=text)
            raise GatewayFinal(f"NHN Cloud refused the AlimTalk: {code} {text}"[:500], code=code)
        message = body.get("message") or {}
        results = message.get("sendResults") or [{}]
        first = results[0] if isinstance(results[0], dict) else {}
        result_code = str(first.get("resultCode", code))
        if result_code not in {"0", ""}:
            raise GatewayFinal(f"NHN Cloud refused the recipient: {result_code} {first.get('resultMessage', '')}")
        return AlimTalkSent(request_id=str(message.get("requestId", "")), result_code=result_code, result_message=text)

    def delivery_results(self, *, request_id: str) -> list[DeliveryResult]:
        body = self._call("GET", "/messages", params={"requestId": request_id})
        header = body.get("header") or {}
        if not header.get("isSuccessful"):
            raise GatewayRetryable(f"NHN Cloud: {header.get('resultCode')} {header.get('resultMessage')}")
        found = (body.get("messageSearchResultResponse") or {}).get("messages") or []
        results = []
        for row in found:
            status = str(row.get("messageStatus", ""))
            resend = str(row.get("resendStatus", ""))
            results.append(
                DeliveryResult(
                    request_id=str(row.get("requestId", request_id)),
                    recipient_no=str(row.get("recipientNo", "")),
                    message_status=status,
                    result_code=str(row.get("resultCode", "")),
                    sms_fallback_status=resend,
                    final=status in FINAL_MESSAGE_STATUSES and resend not in PENDING_FALLBACK,
                )
            )
        return results

    def template_text(self, *, template_code: str) -> str | None:
        """The text Kakao approved for this code, or None when the provider does not know it."""
        body = self._call(
            "GET", f"/senders/{self.credentials.sender_key}/templates", params={"templateCode": template_code}
        )
        templates = (body.get("templateListResponse") or {}).get("templates") or []
        for template in templates:
            if str(template.get("templateCode")) == template_code:
                return str(template.get("templateContent", ""))
        return None

    def test(self) -> TestOutcome:
        try:
            body = self._call("GET", f"/senders/{self.credentials.sender_key}/templates", params={"pageSize": 1})
        except (GatewayRetryable, GatewayFinal) as exc:
            return TestOutcome(False, str(exc))
        header = body.get("header") or {}
        if not header.get("isSuccessful"):
            return TestOutcome(False, f"NHN Cloud: {header.get('resultCode')} {header.get('resultMessage')}")
        total = (body.get("templateListResponse") or {}).get("totalCount", 0)
        return TestOutcome(True, f"NHN Cloud answered: {total} templates on this sender key")
