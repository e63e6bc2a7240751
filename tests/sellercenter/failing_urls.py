"""The product's URLs plus one page that fails, to see the 500 page a person would get."""

from django.urls import path

from sellercenter.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", broken), path("api/v1/broken", broken), *urlpatterns]
