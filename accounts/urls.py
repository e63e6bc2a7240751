from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("account/information/", views.account_information, name="account-information"),
    path("account/information/anti-phishing/", views.anti_phishing_phrase, name="anti-phishing-phrase"),
    path("shops/", views.shop_list, name="shops"),
    path("shop/<slug:slug>/", views.shop_dashboard, name="dashboard"),
    path("shop/<slug:slug>/users/", views.shop_members, name="members"),
]
