"""Kept only for migration 0006, which imports `followups.models_mailin` by this path (a
migration's imports are frozen). Code imports `followups.mailin.models`; an import-linter
contract forbids any other import of this module."""

from .mailin.models import attachment_path, failure_path  # noqa: F401
