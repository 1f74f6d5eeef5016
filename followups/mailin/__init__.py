"""Inbound email: parsing, import, threading of replies into conversations, unknown-sender triage.

- `parser.parse_email(raw)` turns raw RFC 5322 bytes into a `ParsedEmail` and never raises on
  bad input (it records defects instead); `html` converts HTML mail to text and sanitises the
  HTML we show (nh3).
- `services.mail_ingest` stores a message, threads it to its conversation (by the reply token of
  `followups.conversations.tokens`, or by References) and starts the clock; `triage` attaches
  unknown senders to a client.
- `imap` polls the configured IMAP mailbox; `threading` tells the conversations room which
  customer email a reply answers.
"""
