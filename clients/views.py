from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .models import Client


def client_list(request):
    clients = Client.objects.active().select_related("account_owner").order_by("name", "id")
    page = Paginator(clients, 50).get_page(request.GET.get("page"))
    return render(request, "clients/client_list.html", {"page": page})


def client_detail(request, pk: int):
    client = get_object_or_404(Client.objects.select_related("account_owner", "backup_owner"), pk=pk)
    return render(request, "clients/client_detail.html", {"client": client})


def search(request):
    query = request.GET.get("q", "").strip()
    results = Client.objects.active().filter(name__icontains=query)[:50] if query else []
    return render(request, "clients/search.html", {"query": query, "results": results})
