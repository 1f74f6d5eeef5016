"""Conversations, their messages and internal notes (scope `conversations`).

Writes are the conversation page's and the inbox's, through the same services:
- `POST /messages/`: log a customer's message or a call with a contact (the inbox's quick log:
  it continues the contact's open conversation or starts one), `conversation_log`;
- `POST /conversations/{id}/customer_messages/`: a customer's message in this conversation,
  `message_receive` (starts the response clock);
- `POST /conversations/{id}/replies/`: our reply, validated by the page's own reply form (the
  recipients, Cc, placeholders left unfilled, email only now) and sent by `conversation_reply`
  (an email goes through the outbox);
- `POST /conversations/{id}/notes/`: an internal note, `note_add`.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from followups.conversations import services
from followups.conversations.forms import LOG_CHANNELS, REPLY_CHANNELS, ReplyForm
from followups.conversations.models import Conversation, InternalNote, Message
from followups.conversations.selectors import loggable_contacts

from .common import MomentField, validated
from .filters import IdFilter, MomentFilter, TextFilter
from .paging import OldestFirst

BODY_MAX = 20000
LOG_CHANNEL_CHOICES = [(c.value, c.label) for c in LOG_CHANNELS]
REPLY_CHANNEL_CHOICES = [(c.value, c.label) for c in REPLY_CHANNELS]


class ConversationSerializer(serializers.ModelSerializer):
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Conversation
        fields = [
            "id", "client", "contact", "subject", "channel", "owner", "status", "tags", "sender_unverified",
            "awaiting_since", "reply_due_at", "last_message_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class MessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Message
        fields = [
            "id", "conversation", "direction", "channel", "author_user", "author_contact", "body", "occurred_at",
            "recorded_at", "recorded_by", "sender_unverified",
        ]  # fmt: skip
        read_only_fields = fields


class InternalNoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = InternalNote
        fields = ["id", "conversation", "author", "body", "created_at"]
        read_only_fields = fields


class LogSerializer(serializers.Serializer):
    contact = serializers.PrimaryKeyRelatedField(queryset=loggable_contacts())
    direction = serializers.ChoiceField(choices=Message.Direction.choices, default=Message.Direction.FROM_CUSTOMER)
    channel = serializers.ChoiceField(choices=LOG_CHANNEL_CHOICES)
    body = serializers.CharField(max_length=BODY_MAX)
    subject = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    occurred_at = MomentField(required=False, allow_null=True, default=None)


class CustomerMessageSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=LOG_CHANNEL_CHOICES)
    body = serializers.CharField(max_length=BODY_MAX)
    occurred_at = MomentField(required=False, allow_null=True, default=None)


class ReplySerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=REPLY_CHANNEL_CHOICES)
    body = serializers.CharField(max_length=BODY_MAX)
    to = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), required=False, default=list,
        help_text="Contact ids of the conversation's client (by email); none: the conversation's contact.",
    )  # fmt: skip
    cc = serializers.ListField(child=serializers.EmailField(), required=False, default=list, max_length=50)
    subject = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    language = serializers.ChoiceField(choices=["en", "ko"], required=False, default="")
    occurred_at = MomentField(
        required=False, allow_null=True, default=None, help_text="Only for a call or message made earlier."
    )


class NoteSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=BODY_MAX)


class ConversationFilter(django_filters.FilterSet):
    owner = IdFilter(field_name="owner_id")
    client = IdFilter(field_name="client_id")
    contact = IdFilter(field_name="contact_id")
    status = django_filters.ChoiceFilter(choices=Conversation.Status.choices)
    channel = django_filters.ChoiceFilter(choices=Conversation._meta.get_field("channel").choices)
    updated_since = MomentFilter(field_name="last_message_at", lookup_expr="gte", help_text="Last message since.")
    q = TextFilter(method="search", help_text="Part of the subject or the client's name.")

    class Meta:
        model = Conversation
        fields = ["owner", "client", "contact", "status", "channel", "updated_since", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(subject__icontains=value) | Q(client__name__icontains=value)) if value else queryset


class ConversationScope:
    api_scope = "conversations"


def conversations_with_topics():
    return Conversation.objects.prefetch_related("tags")


def _conversation(pk) -> Conversation:
    return generics.get_object_or_404(Conversation.objects.select_related("client", "contact"), pk=pk)


class ConversationList(ConversationScope, generics.ListAPIView):
    serializer_class = ConversationSerializer
    filterset_class = ConversationFilter

    def get_queryset(self):
        return conversations_with_topics()


class ConversationDetail(ConversationScope, generics.RetrieveAPIView):
    serializer_class = ConversationSerializer

    def get_queryset(self):
        return conversations_with_topics()


class MessageLog(ConversationScope, generics.GenericAPIView):
    """Log what a contact said (or what we said on a call): their open conversation, or a new one."""

    serializer_class = LogSerializer

    @extend_schema(request=LogSerializer, responses={201: MessageSerializer})
    def post(self, request):
        data = validated(LogSerializer, request)
        message = services.conversation_log(actor=request.user, **data)
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


class ConversationMessages(ConversationScope, generics.ListAPIView):
    """The conversation's messages in the order they happened."""

    serializer_class = MessageSerializer
    pagination_class = OldestFirst

    def get_queryset(self):
        return Message.objects.filter(conversation_id=self.kwargs.get("pk"))

    def list(self, request, *args, **kwargs):
        _conversation(self.kwargs["pk"])
        return super().list(request, *args, **kwargs)


class CustomerMessage(ConversationScope, generics.GenericAPIView):
    serializer_class = CustomerMessageSerializer

    @extend_schema(request=CustomerMessageSerializer, responses={201: MessageSerializer})
    def post(self, request, pk: int):
        conversation = _conversation(pk)
        data = validated(CustomerMessageSerializer, request)
        message = services.message_receive(conversation=conversation, recorded_by=request.user, **data)
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


def _reply_form(conversation: Conversation, data: dict) -> ReplyForm:
    """The page's reply form, filled from the API's fields, for the page's own checks."""
    form_data = QueryDict(mutable=True)
    form_data.setlist("to", [str(pk) for pk in data["to"]])
    moment = data["occurred_at"]
    form_data.update(
        {
            "channel": data["channel"],
            "body": data["body"],
            "cc": ", ".join(data["cc"]),
            "subject": data["subject"],
            "language": data["language"],
            "occurred_at": timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M:%S") if moment else "",
        }
    )
    return ReplyForm(form_data, conversation=conversation)


class Reply(ConversationScope, generics.GenericAPIView):
    serializer_class = ReplySerializer

    @extend_schema(request=ReplySerializer, responses={201: MessageSerializer})
    def post(self, request, pk: int):
        conversation = generics.get_object_or_404(
            Conversation.objects.select_related("client", "contact").prefetch_related("client__contacts"), pk=pk
        )
        form = _reply_form(conversation, validated(ReplySerializer, request))
        if not form.is_valid():
            raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
        data = form.cleaned_data
        message = services.conversation_reply(
            conversation=conversation,
            author=request.user,
            body=data["body"],
            channel=data["channel"],
            occurred_at=data["occurred_at"],
            to=data["to"],
            cc=data["cc"],
            subject=data["subject"],
            attachments=[],
            language=data["language"],
        )
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


class ConversationNotes(ConversationScope, generics.ListAPIView):
    """Internal notes (never shown to the customer), oldest first; POST adds one."""

    serializer_class = InternalNoteSerializer

    def get_queryset(self):
        return InternalNote.objects.filter(conversation_id=self.kwargs.get("pk"))

    def list(self, request, *args, **kwargs):
        _conversation(self.kwargs["pk"])
        return super().list(request, *args, **kwargs)

    @extend_schema(request=NoteSerializer, responses={201: InternalNoteSerializer})
    def post(self, request, pk: int):
        conversation = _conversation(pk)
        note = services.note_add(conversation=conversation, author=request.user, **validated(NoteSerializer, request))
        return Response(InternalNoteSerializer(note).data, status=status.HTTP_201_CREATED)
