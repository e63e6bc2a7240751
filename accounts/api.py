"""JSON API: /api/v1/auth/csrf, /api/v1/me and /api/v1/account/profile."""

from django.db import transaction
from django.middleware.csrf import get_token
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors
from accounts.serializers import MeSerializer, ProfileSerializer
from accounts.services import set_anti_phishing_phrase, update_profile
from audit.events import RequestContext


class CsrfView(APIView):
    """Sets the CSRF cookie and returns the token to send as X-CSRFToken."""

    permission_classes = [AllowAny]

    @extend_schema(responses=inline_serializer("Csrf", {"csrf_token": serializers.CharField()}))
    def get(self, request):
        return Response({"csrf_token": get_token(request)})


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        return Response(
            MeSerializer(
                {
                    "id": user.id,
                    "email": user.email,
                    "first_name": user.first_name,
                    "last_name": user.last_name,
                    "two_step_enabled": selectors.two_step_enabled(user),
                    "shops": selectors.memberships_of(user),
                }
            ).data
        )


class ProfileView(APIView):
    """The caller's Account Information: names, birth date, time zone and anti-phishing phrase."""

    @extend_schema(responses=ProfileSerializer)
    def get(self, request):
        return Response(ProfileSerializer(request.user).data)

    @extend_schema(request=ProfileSerializer, responses=ProfileSerializer)
    def patch(self, request):
        serializer = ProfileSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        phrase = changes.pop("anti_phishing_phrase", None)
        context = RequestContext.from_request(request)
        with transaction.atomic():
            update_profile(request.user, context=context, **changes)
            if phrase is not None:
                set_anti_phishing_phrase(request.user, phrase, context=context)
        return Response(ProfileSerializer(request.user).data)
