"""How a colleague is named everywhere (timeline summaries, notifications, emails, choices)."""


def display_name(user, empty: str = "") -> str:
    """The full name, else the username; `empty` when there is nobody."""
    if user is None:
        return empty
    return user.get_full_name() or user.get_username()
