"""Check-ins and customer feedback, read only (scope `care:read`). Feedback is on every client's
timeline, so every colleague may read it, as there; a feedback link's token is the customer's
and never shown."""

from __future__ import annotations

import django_filters
from rest_framework import generics, serializers

from followups.care.models import Checkin, FeedbackRequest

from .filters import IdFilter, MomentFilter


class CheckinSerializer(serializers.ModelSerializer):
    class Meta:
        model = Checkin
        fields = [
            "id", "client", "contact", "owner", "sequence", "channel", "due_on", "status", "handled_at", "conversation",
            "done_at", "done_by", "outcome", "sentiment", "skip_reason", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class FeedbackSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeedbackRequest
        fields = [
            "id", "source", "client", "contact", "conversation", "checkin", "owner", "channel", "language", "rating",
            "comment", "rated_at", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class CheckinFilter(django_filters.FilterSet):
    owner = IdFilter(field_name="owner_id")
    client = IdFilter(field_name="client_id")
    status = django_filters.ChoiceFilter(choices=Checkin.Status.choices)
    channel = django_filters.ChoiceFilter(choices=Checkin._meta.get_field("channel").choices)

    class Meta:
        model = Checkin
        fields = ["owner", "client", "status", "channel"]


class FeedbackFilter(django_filters.FilterSet):
    owner = IdFilter(field_name="owner_id")
    client = IdFilter(field_name="client_id")
    updated_since = MomentFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = FeedbackRequest
        fields = ["owner", "client", "updated_since"]


class CareScope:
    api_scope = "care"


class CheckinList(CareScope, generics.ListAPIView):
    serializer_class = CheckinSerializer
    filterset_class = CheckinFilter
    queryset = Checkin.objects.all()


class CheckinDetail(CareScope, generics.RetrieveAPIView):
    serializer_class = CheckinSerializer
    queryset = Checkin.objects.all()


class FeedbackList(CareScope, generics.ListAPIView):
    """Feedback the customers gave (a request not answered yet has no rating)."""

    serializer_class = FeedbackSerializer
    filterset_class = FeedbackFilter
    queryset = FeedbackRequest.objects.all()


class FeedbackDetail(CareScope, generics.RetrieveAPIView):
    serializer_class = FeedbackSerializer
    queryset = FeedbackRequest.objects.all()
