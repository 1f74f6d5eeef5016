"""What the API's resource modules share: a colleague's field, a moment's field that cannot
overflow, and the validation of a request's body."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import serializers


def active_people():
    return get_user_model().objects.filter(is_active=True)


class PersonField(serializers.PrimaryKeyRelatedField):
    """A colleague by id (active people only, as the pages' choices)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", active_people())
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        # An id too large for a bigint is "no such person", not a database error.
        if isinstance(data, int) and not 1 <= data < 2**63 or isinstance(data, bool):
            self.fail("does_not_exist", pk_value=data)
        if isinstance(data, str) and not (data.isascii() and data.isdigit() and len(data) < 19):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


def validated(serializer_class, request, *, partial: bool = False, **context):
    """The request's body through `serializer_class` (400 with field errors when invalid)."""
    serializer = serializer_class(data=request.data, partial=partial, context={"request": request, **context})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class MomentField(serializers.DateTimeField):
    """An ISO 8601 moment between 1900 and 9000 (further out, time zone arithmetic overflows)."""

    def to_internal_value(self, value):
        try:
            moment = super().to_internal_value(value)
        except OverflowError:
            moment = None
        if moment is None or not 1900 <= moment.year <= 9000:
            self.fail("invalid", format="YYYY-MM-DDThh:mm[:ss][+HH:MM|Z]")
        return moment
