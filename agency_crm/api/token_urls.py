from django.urls import path

from . import tokens_page

app_name = "api_tokens"

urlpatterns = [
    path("settings/tokens/", tokens_page.token_list, name="list"),
    path("settings/tokens/<uuid:public_id>/revoke/", tokens_page.token_revoke, name="revoke"),
]
