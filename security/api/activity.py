"""JSON API for sessions and the security log: account/sessions, account/events, shops/<slug>/events."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import ShopGrant, membership_or_404
from audit.events import RequestContext
from audit.models import EventKind, SecurityEvent
from permissions.registry import Grant
from security import event_text, selectors, sessions
from security.models import UserSession


class SessionSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField()

    class Meta:
        model = UserSession
        # second_step: "totp", "email" or "recovery_code" when the sign-in passed one, else "".
        fields = ["id", "current", "device", "ip", "created", "last_seen", "second_step"]

    def get_current(self, row) -> bool:
        return row.session_key == self.context["request"].session.session_key


class EventSerializer(serializers.ModelSerializer):
    summary = serializers.SerializerMethodField(
        help_text=gettext_lazy("The details in words, as the log pages show them.")
    )
    device = serializers.SerializerMethodField(
        help_text=gettext_lazy('The browser as a name, such as "Chrome on macOS".')
    )

    class Meta:
        model = SecurityEvent
        fields = ["id", "kind", "ip", "user_agent", "device", "created", "details", "summary"]

    def get_summary(self, event) -> str:
        return event_text.sentence(event.kind, event.details)

    def get_device(self, event) -> str:
        return event_text.device(event)


class EventFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EventKind.choices, required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def validate(self, data):
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise serializers.ValidationError(
                {"date_to": [_("The end date must not be before the start date.")]}
            )
        return data


EVENT_FILTERS = [
    OpenApiParameter("kind", OpenApiTypes.STR, enum=EventKind.values, description="Only this kind."),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="From this day (UTC), inclusive."),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Up to this day (UTC), inclusive."),
]


class SessionListView(generics.ListAPIView):
    """The caller's active sessions, newest first."""

    serializer_class = SessionSerializer

    def get_queryset(self):
        return selectors.active_sessions(self.request.user)

    @extend_schema(
        operation_id="account_sessions_end_others",
        request=None,
        responses=inline_serializer("SessionsEnded", {"ended": serializers.IntegerField()}),
    )
    def delete(self, request):
        """End every session of the caller but this one."""
        ended = sessions.end_other_sessions(
            request.user,
            current_key=request.session.session_key,
            context=RequestContext.from_request(request),
        )
        return Response({"ended": ended})


class SessionDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        """End one of the caller's sessions: it is signed out on its next request."""
        try:
            ended = sessions.end_session(
                request.user,
                pk,
                current_key=request.session.session_key,
                context=RequestContext.from_request(request),
            )
        except sessions.CurrentSessionError as error:
            return Response(
                {"detail": str(error), "code": "current_session"}, status=status.HTTP_409_CONFLICT
            )
        if not ended:
            raise exceptions.NotFound(_("No such session."))
        return Response(status=status.HTTP_204_NO_CONTENT)


class _EventListView(generics.ListAPIView):
    serializer_class = EventSerializer

    def events(self):
        raise NotImplementedError

    def get_queryset(self):
        filters = EventFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.filter_events(self.events(), **filters.validated_data)

    @extend_schema(parameters=EVENT_FILTERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class AccountEventsView(_EventListView):
    """The caller's own security log, newest first."""

    def events(self):
        return selectors.events_of_user(self.request.user)


class ShopEventsView(_EventListView):
    """The shop's security log, for its owner (users.manage), newest first."""

    permission_classes = [*_EventListView.permission_classes, ShopGrant]
    required_grant = Grant.USERS_MANAGE

    def events(self):
        return selectors.events_of_shop(membership_or_404(self.request, self.kwargs["slug"]).shop)
