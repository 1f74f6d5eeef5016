"""Colleagues, read only (scope `users:read`): who a client's or conversation's owner id is."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import generics, serializers

from agency_crm.people import display_name
from agency_crm.roles import MANAGER_GROUP


class UserSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    role = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "name", "email", "role", "is_active"]
        read_only_fields = fields

    def get_name(self, user) -> str:
        return display_name(user)

    @extend_schema_field(serializers.ChoiceField(choices=["manager", "staff"]))
    def get_role(self, user) -> str:
        return "manager" if any(group.name == MANAGER_GROUP for group in user.groups.all()) else "staff"


class PeopleScope:
    api_scope = "users"


def people():
    return get_user_model().objects.prefetch_related("groups")


class UserList(PeopleScope, generics.ListAPIView):
    serializer_class = UserSerializer

    def get_queryset(self):
        return people()


class UserDetail(PeopleScope, generics.RetrieveAPIView):
    serializer_class = UserSerializer

    def get_queryset(self):
        return people()
