"""The product's URLs plus the bench's stock baselines under /bench/stock/."""

from django.contrib.auth.views import LoginView
from django.urls import path

from bench import views
from sellercenter.urls import urlpatterns as product_urlpatterns

urlpatterns = [
    path("bench/stock/login/", LoginView.as_view(template_name="bench/stock_login.html"), name="stock-login"),
    path("bench/stock/shop/<slug:slug>/", views.stock_dashboard, name="stock-dashboard"),
    *product_urlpatterns,
]
