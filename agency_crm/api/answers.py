"""Saved replies and knowledge articles, read only (scope `answers:read`): the saved replies a
person sees on /replies/ (the shared ones and their own) and the current (not archived) articles
of /knowledge/."""

from __future__ import annotations

import django_filters
from rest_framework import generics, serializers

from followups.answers.models import SavedReply
from followups.answers.services import saved_replies_for
from followups.knowledge.models import Article

from .filters import TextFilter


class SavedReplySerializer(serializers.ModelSerializer):
    class Meta:
        model = SavedReply
        fields = ["id", "title", "body_ko", "body_en", "tags", "shared", "created_by", "usage_count", "last_used_at",
                  "created_at", "updated_at"]  # fmt: skip
        read_only_fields = fields


class ArticleSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="name", read_only=True)

    class Meta:
        model = Article
        fields = ["id", "title", "body", "category", "tags", "version", "created_by", "updated_by", "created_at",
                  "updated_at"]  # fmt: skip
        read_only_fields = fields


class TitleFilter(django_filters.FilterSet):
    q = TextFilter(field_name="title", lookup_expr="icontains", help_text="Part of the title.")


class SavedReplyFilter(TitleFilter):
    class Meta:
        model = SavedReply
        fields = ["q"]


class ArticleFilter(TitleFilter):
    class Meta:
        model = Article
        fields = ["q"]


class AnswersScope:
    api_scope = "answers"


class SavedReplies(AnswersScope):
    serializer_class = SavedReplySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generation has no user
            return SavedReply.objects.none()
        return saved_replies_for(self.request.user).select_related(None)


class SavedReplyList(SavedReplies, generics.ListAPIView):
    filterset_class = SavedReplyFilter


class SavedReplyDetail(SavedReplies, generics.RetrieveAPIView):
    pass


class Articles(AnswersScope):
    serializer_class = ArticleSerializer

    def get_queryset(self):
        return Article.objects.current().select_related("category")


class ArticleList(Articles, generics.ListAPIView):
    filterset_class = ArticleFilter


class ArticleDetail(Articles, generics.RetrieveAPIView):
    pass
