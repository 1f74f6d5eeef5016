from django.urls import path

from . import views

app_name = "clients"
urlpatterns = [
    path("clients/", views.client_list, name="list"),
    path("clients/new/", views.client_create, name="create"),
    path("clients/export.csv", views.client_export, name="export"),
    path("clients/import/", views.client_import, name="import"),
    path("clients/import/confirm/", views.client_import_confirm, name="import_confirm"),
    path("clients/<int:pk>/", views.client_detail, name="detail"),
    path("clients/<int:pk>/edit/", views.client_edit, name="edit"),
    path("clients/<int:pk>/notes/", views.note_add, name="note_add"),
    path("clients/<int:pk>/notes/<int:note_pk>/edit/", views.note_edit, name="note_edit"),
    path("clients/<int:pk>/notes/<int:note_pk>/delete/", views.note_delete, name="note_delete"),
    path("clients/<int:pk>/contacts/new/", views.contact_add, name="contact_add"),
    path("clients/<int:pk>/contacts/<int:contact_pk>/edit/", views.contact_edit, name="contact_edit"),
    path(
        "clients/<int:pk>/contacts/<int:contact_pk>/sign-out/", views.contact_links_revoke, name="contact_links_revoke"
    ),
    path("clients/<int:pk>/archive/", views.client_archive, name="archive"),
    path("clients/<int:pk>/restore/", views.client_restore, name="restore"),
    path("search/", views.search, name="search"),
    path("staff/", views.staff_list, name="staff"),
    path("staff/<int:user_pk>/offboard/", views.staff_offboard, name="staff_offboard"),
]
