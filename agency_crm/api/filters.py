"""The filters the API's lists share (django-filter): every value is validated, and a value that
does not parse is a 400 naming the parameter (never a 500, never silently ignored).

- `owner`: a person's id (ASCII digits that fit a bigint, agency_crm.params.parse_id);
- `updated_since`: an ISO 8601 moment with its offset (a date alone is midnight UTC), 1900-9000;
- `q`: text without control characters, at most 200 characters;
- `status`, `channel`: one of the model's choices.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from agency_crm.params import MAX_TEXT_LENGTH, clean_text, parse_id


class IdField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        number = parse_id(value)
        if number is None:
            raise forms.ValidationError(_("Write an id: a positive whole number."), code="invalid")
        return number


class MomentField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            moment = parse_datetime(value) if "T" in value or " " in value else None
            if moment is None:
                moment = dt.datetime.combine(dt.date.fromisoformat(value), dt.time(), tzinfo=dt.UTC)
        except ValueError:
            moment = None
        if moment is None or not 1900 <= moment.year <= 9000:
            raise forms.ValidationError(_("Write an ISO 8601 moment, e.g. 2026-12-08T09:00:00+09:00."), code="invalid")
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


class TextField(forms.CharField):
    def to_python(self, value):
        return clean_text(super().to_python(value), max_length=MAX_TEXT_LENGTH).strip()


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.Filter):
    field_class = IdField


@extend_schema_field(OpenApiTypes.DATETIME)
class MomentFilter(django_filters.Filter):
    field_class = MomentField


@extend_schema_field(OpenApiTypes.STR)
class TextFilter(django_filters.Filter):
    field_class = TextField
