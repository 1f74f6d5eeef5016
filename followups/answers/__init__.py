"""Shared answers (issue 19): saved replies that fill the reply box of a conversation, in the
contact's language, with plain placeholder substitution (never a template language)."""
