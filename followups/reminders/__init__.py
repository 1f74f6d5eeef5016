"""Reminder levels (warning, due, escalation) on open waits, in-app notifications with batched
emails, and snooze. Above `conversations`; `care`, `mailin` and `proposals` raise notifications
through `reminders.services.notify`."""
