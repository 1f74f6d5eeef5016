"""Inbound email (issue 6): parsing, threading tokens, IMAP polling.

- `parser.parse_email(raw)` turns raw RFC 5322 bytes into a `ParsedEmail` and never raises on
  bad input (it records defects instead).
- `html` converts HTML mail to text and sanitises the HTML we show (nh3).
- `tokens` makes and reads the reply token used in plus-addresses and subjects.
- `imap` polls the configured IMAP mailbox and hands each message to
  `followups.services_mailin.mail_ingest`.
"""
