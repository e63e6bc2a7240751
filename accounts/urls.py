from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("shops/", views.shop_list, name="shops"),
    path("shop/<slug:slug>/", views.shop_dashboard, name="dashboard"),
]
urlpatterns += [
    path("shop/<slug:slug>/users/", views.shop_members, name="members"),
]
