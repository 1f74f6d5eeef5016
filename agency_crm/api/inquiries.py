"""Inquiries with their scope items and proposals (scope `inquiries`): read, and two actions the
inquiry page has, each through its service: send the proposal (freeze and email the next
version) and mark the project delivered (which starts check-ins, as on the page). A proposal's
customer link is never shown: it is the customer's."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from inquiries import services
from inquiries.models import Inquiry, Proposal, ScopeItem

from .common import validated
from .filters import IdFilter, MomentFilter, TextFilter


class ScopeItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScopeItem
        fields = [
            "id", "inquiry", "title", "description", "priority", "phase", "optimistic_hours", "likely_hours",
            "pessimistic_hours", "position", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class ProposalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Proposal
        fields = [
            "id", "inquiry", "number", "sent_at", "sent_by", "expires_at", "accepted_at", "accepted_by_name",
            "accepted_item_ids", "accepted_total", "snapshot",
        ]  # fmt: skip
        read_only_fields = fields


class InquirySerializer(serializers.ModelSerializer):
    scope_items = ScopeItemSerializer(many=True, read_only=True)
    proposals = ProposalSerializer(many=True, read_only=True)

    class Meta:
        model = Inquiry
        fields = [
            "id", "title", "client", "contact", "source", "problem", "goal", "budget_min", "budget_max", "deadline",
            "owner", "status", "lost_reason", "hourly_rate", "currency", "accepted_total", "won_at", "delivered_on",
            "created_at", "updated_at", "scope_items", "proposals",
        ]  # fmt: skip
        read_only_fields = fields


class DeliveredSerializer(serializers.Serializer):
    delivered_on = serializers.DateField()


def inquiries_with_details():
    return Inquiry.objects.prefetch_related(
        Prefetch("scope_items", queryset=ScopeItem.objects.order_by("position", "id")),
        Prefetch("proposals", queryset=Proposal.objects.order_by("number")),
    )


class InquiryFilter(django_filters.FilterSet):
    owner = IdFilter(field_name="owner_id")
    client = IdFilter(field_name="client_id")
    status = django_filters.ChoiceFilter(choices=Inquiry.Status.choices)
    updated_since = MomentFilter(field_name="updated_at", lookup_expr="gte")
    q = TextFilter(field_name="title", lookup_expr="icontains", help_text="Part of the title.")

    class Meta:
        model = Inquiry
        fields = ["owner", "client", "status", "updated_since", "q"]


class InquiryScope:
    api_scope = "inquiries"


class InquiryList(InquiryScope, generics.ListAPIView):
    serializer_class = InquirySerializer
    filterset_class = InquiryFilter

    def get_queryset(self):
        return inquiries_with_details()


class InquiryDetail(InquiryScope, generics.RetrieveAPIView):
    serializer_class = InquirySerializer

    def get_queryset(self):
        return inquiries_with_details()


class ProposalSend(InquiryScope, APIView):
    """Freeze the scope as the next proposal version and email its link to the inquiry's contact."""

    @extend_schema(request=None, responses={201: ProposalSerializer})
    def post(self, request, pk: int):
        inquiry = generics.get_object_or_404(Inquiry.objects.all(), pk=pk)
        proposal = services.proposal_send(inquiry=inquiry, actor=request.user)
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)


class InquiryDelivered(InquiryScope, APIView):
    """The project of a won inquiry was delivered on this day (check-ins start from it)."""

    @extend_schema(request=DeliveredSerializer, responses=InquirySerializer)
    def post(self, request, pk: int):
        inquiry = generics.get_object_or_404(Inquiry.objects.all(), pk=pk)
        data = validated(DeliveredSerializer, request)
        services.inquiry_mark_delivered(inquiry=inquiry, delivered_on=data["delivered_on"], actor=request.user)
        return Response(InquirySerializer(inquiries_with_details().get(pk=pk)).data)
