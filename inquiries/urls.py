from django.urls import path

from . import views

app_name = "inquiries"
urlpatterns = [
    path("inquiries/", views.inquiry_list, name="list"),
    path("inquiries/new/", views.inquiry_create, name="create"),
    path("inquiries/<int:pk>/", views.inquiry_detail, name="detail"),
    path("inquiries/<int:pk>/edit/", views.inquiry_edit, name="edit"),
    path("inquiries/<int:pk>/status/", views.inquiry_status, name="status"),
    path("inquiries/<int:pk>/discovery/", views.inquiry_discovery, name="discovery"),
    path("inquiries/<int:pk>/delivered/", views.inquiry_delivered, name="delivered"),
    path("inquiries/<int:pk>/items/add/", views.scope_item_add, name="item_add"),
    path("inquiries/<int:pk>/items/<int:item_id>/edit/", views.scope_item_edit, name="item_edit"),
    path("inquiries/<int:pk>/items/<int:item_id>/delete/", views.scope_item_delete, name="item_delete"),
    path("inquiries/<int:pk>/items/<int:item_id>/move/", views.scope_item_move, name="item_move"),
    path("inquiries/<int:pk>/proposals/send/", views.proposal_send, name="proposal_send"),
    path("inquiries/<int:pk>/proposals/<int:number>/", views.proposal_detail, name="proposal"),
    # The client's signed link (no login; the token is checked by the view).
    path("p/<str:token>/", views.public_proposal, name="public_proposal"),
    path("p/<str:token>/accept/", views.public_proposal_accept, name="public_proposal_accept"),
]
