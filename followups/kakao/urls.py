"""KakaoTalk: the webhook, /settings/kakao/ and the conversation panel's actions.

Included by followups/urls.py under the shared app namespace `followups`."""

from django.urls import path

from . import views

urlpatterns = [
    path("kakao/inbound/<str:secret>/", views.kakao_inbound, name="kakao_inbound"),
    path("settings/kakao/", views.kakao_settings, name="kakao_settings"),
    path("settings/kakao/test/", views.kakao_settings_test, name="kakao_settings_test"),
    path("settings/kakao/webhook/", views.kakao_webhook_rotate, name="kakao_webhook_rotate"),
    path("settings/kakao/templates/", views.kakao_template_add, name="kakao_template_add"),
    path("settings/kakao/templates/<int:pk>/delete/", views.kakao_template_delete, name="kakao_template_delete"),
    path("kakao/attachments/<int:pk>/", views.kakao_attachment, name="kakao_attachment"),
    path("conversations/<int:pk>/alimtalk/", views.kakao_alimtalk, name="kakao_alimtalk"),
    path("conversations/<int:pk>/kakao-end/", views.kakao_chat_end, name="kakao_chat_end"),
    path("conversations/<int:pk>/kakao-preference/", views.kakao_preference, name="kakao_preference"),
]
