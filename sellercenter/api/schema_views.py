"""The schema's address: YAML or JSON for tools, and a page of the product for a person's browser."""

from django.template.loader import render_to_string
from drf_spectacular.renderers import OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView
from rest_framework.renderers import BaseRenderer


class SchemaPageRenderer(BaseRenderer):
    """The schema as a page of the product, for a browser that asks for HTML."""

    media_type = "text/html"
    format = "html"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        request = (renderer_context or {}).get("request")
        text = OpenApiYamlRenderer().render(data, renderer_context=renderer_context).decode()
        return render_to_string("api/schema.html", {"schema_text": text}, request=request)


class SchemaView(SpectacularAPIView):
    """The schema: YAML or JSON by content negotiation or ?format=, and a readable page for browsers."""

    renderer_classes = [*SpectacularAPIView.renderer_classes, SchemaPageRenderer]
