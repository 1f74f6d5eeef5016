"""The transactional email outbox: every email the system sends goes through here.

Public API (import from `agency_crm.outbox`):

- `outbox_enqueue(*, to, subject, template, context, language="en", kind, client=None,
  reply_to=None, in_reply_to=None, references=None, automatic=False, unsubscribe_url=None,
  related=None) -> OutboundEmail` renders `templates/emails/<template>.txt` (and `.html` when it
  exists) in the given language inside the agency's email layout, stores an outbox row in the
  caller's transaction and delivers it over SMTP from a Celery task after the commit.
  Unless `context` has a `feedback_url`, an email to a client's people gets one from the provider
  registered in `agency_crm.outbox.signature` (followups' feedback requests), shown beside the
  management line of the signature.
- `outbox_enqueue_rendered(...)` does the same with a ready subject, text and HTML (no layout).
- `outbox_personal(to=..., cc=...)`: whether an email goes to one person alone. Only such an
  email carries personal links (self-service, feedback, unsubscribe): the signature's providers
  are asked only then, and a `portal_url`, `feedback_url` or `unsubscribe_url` given for an email
  to several people is refused with ValueError.
- `outbox_render(...)` returns (language, subject, text, html) as outbox_enqueue would store them,
  writing nothing (the composer's preview). Both enqueue functions take `cc` and `attachments`
  (uploaded files within OUTBOX_MAX_ATTACHMENTS and the size limits, `outbox_check_attachments`),
  stored as OutboundAttachment rows and attached at every delivery attempt.
- `OutboundEmail` is the outbox row; `OutboundEmail.Kind` / `OutboundEmail.Status` its choices.
  Find the mail of a conversation with `OutboundEmail.objects.filter(related__conversation_id=...)`.

Names are resolved lazily so that importing this package never loads models too early.
"""

__all__ = [
    "OutboundEmail",
    "outbox_check_attachments",
    "outbox_enqueue",
    "outbox_enqueue_rendered",
    "outbox_personal",
    "outbox_render",
    "outbox_retry",
]


def __getattr__(name):
    if name in {
        "outbox_check_attachments",
        "outbox_enqueue",
        "outbox_enqueue_rendered",
        "outbox_personal",
        "outbox_render",
        "outbox_retry",
    }:
        from . import services

        return getattr(services, name)
    if name == "OutboundEmail":
        from .models import OutboundEmail

        return OutboundEmail
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
