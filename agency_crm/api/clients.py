"""Clients, their contacts and timeline (scope `clients`). Writes call clients.services, which
refuses an owner change the person may not make (agency_crm.permissions) with 403."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from clients import services
from clients.models import Client, Contact, TimelineEvent
from clients.services import CONTACT_FIELDS

from .common import PersonField, validated
from .filters import IdFilter, MomentFilter, TextFilter
from .paging import LatestFirst


# --- serializers (field names shared with the webhooks' payloads: README, "API") ---
class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "client", *CONTACT_FIELDS, "created_at"]
        read_only_fields = ["id", "client", "created_at"]


class ContactWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = CONTACT_FIELDS


class ClientSerializer(serializers.ModelSerializer):
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    contacts = ContactSerializer(many=True, read_only=True)

    class Meta:
        model = Client
        fields = [
            "id", "name", "kind", "status", "response_tier", "website", "notes", "account_owner",
            "backup_owner", "tags", "contacts", "archived_at", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class ClientWriteSerializer(serializers.ModelSerializer):
    account_owner = PersonField(required=False, help_text="A colleague's id; the caller when left out.")
    backup_owner = PersonField(required=False, allow_null=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False, max_length=50)
    contacts = ContactWriteSerializer(many=True, required=False)

    class Meta:
        model = Client
        fields = ["name", "kind", "status", "response_tier", "website", "notes", "account_owner", "backup_owner",
                  "tags", "contacts"]  # fmt: skip


class ClientUpdateSerializer(ClientWriteSerializer):
    class Meta(ClientWriteSerializer.Meta):
        fields = [f for f in ClientWriteSerializer.Meta.fields if f != "contacts"]


class TimelineEventSerializer(serializers.ModelSerializer):
    summary = serializers.CharField(source="text", read_only=True)

    class Meta:
        model = TimelineEvent
        fields = ["id", "client", "kind", "occurred_at", "actor", "summary", "url", "data", "created_at"]
        read_only_fields = fields


# --- queries (each list: one query for the page, one per prefetched relation) ---
def clients_with_details():
    return Client.objects.filter(is_placeholder=False).prefetch_related(
        "tags", Prefetch("contacts", queryset=Contact.objects.order_by("name", "id"))
    )


class ClientFilter(django_filters.FilterSet):
    owner = IdFilter(field_name="account_owner_id", help_text="Account owner's id.")
    status = django_filters.ChoiceFilter(choices=Client.Status.choices)
    updated_since = MomentFilter(field_name="updated_at", lookup_expr="gte", help_text="ISO 8601.")
    q = TextFilter(field_name="name", lookup_expr="icontains", help_text="Part of the name.")

    class Meta:
        model = Client
        fields = ["owner", "status", "updated_since", "q"]


class ContactFilter(django_filters.FilterSet):
    q = TextFilter(method="search", help_text="Part of the name or email.")
    client = IdFilter(field_name="client_id")

    class Meta:
        model = Contact
        fields = ["client", "q"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(name__icontains=value) | Q(email__icontains=value)) if value else queryset


# --- views ---
class ClientScope:
    api_scope = "clients"


class ClientList(ClientScope, generics.ListAPIView):
    """Active clients (archived ones only by id), newest first."""

    serializer_class = ClientSerializer
    filterset_class = ClientFilter

    def get_queryset(self):
        return clients_with_details().filter(archived_at__isnull=True)

    @extend_schema(request=ClientWriteSerializer, responses={201: ClientSerializer})
    def post(self, request):
        data = validated(ClientWriteSerializer, request)
        client = services.client_create(
            actor=request.user,
            account_owner=data.pop("account_owner", request.user),
            tags=data.pop("tags", []),
            contacts=data.pop("contacts", []),
            **data,
        )
        return Response(ClientSerializer(clients_with_details().get(pk=client.pk)).data, status=status.HTTP_201_CREATED)


class ClientDetail(ClientScope, generics.RetrieveAPIView):
    serializer_class = ClientSerializer

    def get_queryset(self):
        return clients_with_details()

    @extend_schema(request=ClientUpdateSerializer, responses=ClientSerializer)
    def patch(self, request, pk: int):
        client = self.get_object()
        data = validated(ClientUpdateSerializer, request, partial=True)
        tags = data.pop("tags", None)
        services.client_update(client=client, actor=request.user, changes=data, tags=tags)
        return Response(ClientSerializer(clients_with_details().get(pk=client.pk)).data)


class ContactList(ClientScope, generics.ListAPIView):
    serializer_class = ContactSerializer
    filterset_class = ContactFilter

    def get_queryset(self):
        return Contact.objects.filter(client__is_placeholder=False)


class ClientContactList(ClientScope, generics.ListAPIView):
    """The contacts of one client; POST adds one."""

    serializer_class = ContactSerializer

    def get_queryset(self):
        return Contact.objects.filter(client_id=self.kwargs.get("pk"))

    def client(self) -> Client:
        return generics.get_object_or_404(Client.objects.all(), pk=self.kwargs.get("pk"))

    def list(self, request, *args, **kwargs):
        self.client()
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ContactWriteSerializer, responses={201: ContactSerializer})
    def post(self, request, pk: int):
        client = self.client()
        contact = services.contact_create(
            client=client, actor=request.user, **validated(ContactWriteSerializer, request)
        )
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)


class ContactDetail(ClientScope, generics.RetrieveAPIView):
    serializer_class = ContactSerializer
    queryset = Contact.objects.all()

    @extend_schema(request=ContactWriteSerializer, responses=ContactSerializer)
    def patch(self, request, pk: int):
        contact = self.get_object()
        serializer = ContactWriteSerializer(contact, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        contact = services.contact_update(contact=contact, actor=request.user, changes=serializer.validated_data)
        return Response(ContactSerializer(contact).data)


class ClientTimeline(ClientScope, generics.ListAPIView):
    """What happened with one client, latest first (as on its page)."""

    serializer_class = TimelineEventSerializer
    pagination_class = LatestFirst

    def get_queryset(self):
        return TimelineEvent.objects.filter(client_id=self.kwargs.get("pk"))

    def list(self, request, *args, **kwargs):
        generics.get_object_or_404(Client.objects.all(), pk=self.kwargs["pk"])
        return super().list(request, *args, **kwargs)
