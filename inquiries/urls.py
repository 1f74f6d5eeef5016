from django.urls import path

from . import views

app_name = "inquiries"
urlpatterns = [
    path("inquiries/", views.inquiry_list, name="list"),
]
