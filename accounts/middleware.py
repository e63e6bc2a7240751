"""Pages show times in the signed-in person's time zone (User.time_zone); the API stays in UTC.

Dates and times are stored in UTC (USE_TZ). This middleware only changes the zone Django renders
them in for the length of one page request, so templates, the `date` filter and form fields that
read or show a date all speak the viewer's clock. JSON answers keep UTC with an explicit offset, as
integrators expect (SPEC §10).
"""

from django.utils import timezone

from accounts.time_zones import zone_of

API_PREFIX = "/api/"


class TimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(API_PREFIX):
            return self.get_response(request)
        with timezone.override(zone_of(user.time_zone)):
            return self.get_response(request)
