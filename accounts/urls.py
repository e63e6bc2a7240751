from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("shops/", views.shop_list, name="shops"),
    path("shop/<slug:slug>/", views.shop_dashboard, name="dashboard"),
]
