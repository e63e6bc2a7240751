from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("link/", views.open_link, name="link"),
]
