"""/knowledge/: the list (search, category, tag, client), an article, writing and editing one,
its history and the diff between two versions, archiving, and the clients it is about."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agency_crm import params
from agency_crm.forms import form_add_service_errors
from clients.models import Client
from clients.search import text_filter

from .diff import field_changes, text_diff
from .forms import ArticleForm
from .markdown import render_markdown
from .models import Article
from .selectors import article_list, categories_with_counts, revision_pair, revisions_of
from .services import (
    article_create,
    article_link_client,
    article_may_archive,
    article_set_archived,
    article_unlink_client,
    article_update,
)

LIST_LIMIT = 100
CLIENT_MATCHES = 10


@require_GET
def knowledge_list(request):
    q = params.text(request.GET, "q", max_length=100)
    category = params.integer(request.GET, "category")
    tag = params.text(request.GET, "tag", max_length=50)
    articles = list(article_list(q=q, category=category, tag=tag)[:LIST_LIMIT])
    context = {"articles": articles, "q": q, "category": category, "tag": tag, "categories": categories_with_counts()}
    return render(request, "followups/knowledge/list.html", context)


def _article(pk: int) -> Article:
    return get_object_or_404(Article.objects.select_related("category", "created_by", "updated_by"), pk=pk)


@require_GET
def article_detail(request, pk: int):
    article = _article(pk)
    client_q = params.text(request.GET, "client_q", max_length=100)
    linked = list(article.clients.order_by("name", "id"))
    matches = []
    if client_q:
        found = text_filter(Client.objects.customers(), ["name"], client_q, exhaustive=True)
        matches = list(found.exclude(pk__in=[c.pk for c in linked]).order_by("name", "id")[:CLIENT_MATCHES])
    context = {
        "article": article,
        "html": render_markdown(article.body),
        "linked": linked,
        "client_q": client_q,
        "client_matches": matches,
        "may_archive": article_may_archive(article=article, user=request.user),
    }
    return render(request, "followups/knowledge/detail.html", context)


@require_http_methods(["GET", "POST"])
def article_edit(request, pk: int | None = None):
    article = _article(pk) if pk else None
    initial = {}
    if article is None:
        initial = {"title": params.text(request.GET, "title", max_length=200)}
    form = ArticleForm(request.POST or None, instance=article, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if article is None:
                client = Client.objects.customers().filter(pk=params.integer(request.POST, "client") or 0)
                article = article_create(actor=request.user, values=form.cleaned_data, clients=list(client))
            else:
                base = form.cleaned_data.get("base_version") or 0
                article = article_update(
                    article=article, actor=request.user, values=form.cleaned_data, base_version=base
                )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Article saved."))
            return redirect(article)
    client = None
    if article is None:
        client_id = params.integer(request.GET, "client") or params.integer(request.POST, "client")
        client = Client.objects.customers().filter(pk=client_id or 0).first()
    status = 400 if form.errors else 200
    context = {"form": form, "article": article, "client": client}
    return render(request, "followups/knowledge/form.html", context, status=status)


@require_GET
def article_history(request, pk: int):
    article = _article(pk)
    return render(request, "followups/knowledge/history.html", {"article": article, "revisions": revisions_of(article)})


@require_GET
def article_diff(request, pk: int):
    """Version `to` (default: the latest) against version `from` (default: the one before it)."""
    article = _article(pk)
    to_number = params.integer(request.GET, "to") or article.version
    from_number = params.integer(request.GET, "from") or max(to_number - 1, 1)
    pair = revision_pair(article=article, old=from_number, new=to_number)
    if pair is None:
        raise Http404
    old, new = pair
    context = {
        "article": article,
        "old": old,
        "new": new,
        "lines": text_diff(old.body, new.body),
        "changed_fields": field_changes(old, new),
    }
    return render(request, "followups/knowledge/diff.html", context)


@require_POST
def article_archive(request, pk: int):
    article = _article(pk)
    archived = request.POST.get("archived") == "1"
    article_set_archived(article=article, actor=request.user, archived=archived)
    messages.success(request, _("Article archived.") if archived else _("Article restored."))
    return redirect(article)


@require_POST
def article_clients(request, pk: int):
    article = _article(pk)
    client = get_object_or_404(Client.objects.customers(), pk=params.integer(request.POST, "client") or 0)
    if request.POST.get("action") == "unlink":
        article_unlink_client(article=article, client=client)
    else:
        article_link_client(article=article, client=client)
    return redirect(article)
