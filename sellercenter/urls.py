from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

import accounts.api_urls
import commerce.api_urls
import security.api_urls
import team.api_urls

api_v1 = [
    *accounts.api_urls.urlpatterns,
    *security.api_urls.urlpatterns,
    *commerce.api_urls.urlpatterns,
    *team.api_urls.urlpatterns,
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="accounts:shops", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file, so the docs work under script-src 'self'.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("notifications.urls")),
    path("", include("security.urls")),
    path("", include("accounts.urls")),
    # Before commerce: /shop/<slug>/<module>/ would take /shop/<slug>/users/ for a module.
    path("", include("team.urls")),
    path("", include("commerce.urls")),
]
