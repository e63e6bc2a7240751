from django.urls import path

from commerce import views

app_name = "commerce"

urlpatterns = [
    path("shop/<slug:slug>/<str:module>/", views.module_page, name="module"),
]
