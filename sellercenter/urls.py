from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularSwaggerSplitView

import accounts.api_urls
import commerce.api_urls
import recovery.api_urls
import security.api_urls
import team.api_urls
from sellercenter.api.schema_views import SchemaView

api_v1 = [
    *accounts.api_urls.urlpatterns,
    *security.api_urls.urlpatterns,
    *commerce.api_urls.urlpatterns,
    *team.api_urls.urlpatterns,
    *recovery.api_urls.urlpatterns,
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="accounts:shops", permanent=False)),
    # Browsers ask for it on pages that name no icon (the admin, the API docs).
    path("favicon.ico", RedirectView.as_view(url=static("favicon.ico"), permanent=True)),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    # YAML or JSON for tools, a readable page for a browser.
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file, so the docs work under script-src 'self'.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("notifications.urls")),
    path("", include("security.urls")),
    path("", include("accounts.urls")),
    # Before commerce: /shop/<slug>/<module>/ would take /shop/<slug>/users/ for a module.
    path("", include("team.urls")),
    path("", include("commerce.urls")),
    path("", include("recovery.urls")),
]

# Error pages in the product's layout; JSON under /api/ (sellercenter/errors.py).
handler400 = "sellercenter.errors.bad_request"
handler403 = "sellercenter.errors.permission_denied"
handler404 = "sellercenter.errors.page_not_found"
handler500 = "sellercenter.errors.server_error"
