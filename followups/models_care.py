"""Kept only for migrations 0003 and 0004, which import `followups.models_care` by this path
(a migration's imports are frozen). Code imports `followups.care.models`; an import-linter
contract forbids any other import of this module."""

from .care.models import ensure_default_checkin_plans, new_feedback_token  # noqa: F401
