"""JSON API: /api/v1/auth/… and /api/v1/me."""

from django.middleware.csrf import get_token
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.serializers import LoginResultSerializer, LoginSerializer, MeSerializer
from security import two_step
from security.events import RequestContext


class CsrfView(APIView):
    """Sets the CSRF cookie and returns the token to send as X-CSRFToken."""

    permission_classes = [AllowAny]

    @extend_schema(responses=inline_serializer("Csrf", {"csrf_token": serializers.CharField()}))
    def get(self, request):
        return Response({"csrf_token": get_token(request)})


@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class LoginView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(request=LoginSerializer, responses=LoginResultSerializer)
    def post(self, request):
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        context = RequestContext.from_request(request)
        try:
            user = services.check_credentials(
                request._request,
                serializer.validated_data["email"],
                serializer.validated_data["password"],
                context,
            )
        except services.LoginRefused as refusal:
            body = {"detail": refusal.message, "code": refusal.code}
            return refusal.add_headers(Response(body, status=refusal.http_status))
        if services.sign_in(request._request, user, context):
            return Response({"status": "2sv_required", "methods": two_step.available_methods(user)})
        return Response({"status": "ok", "methods": []})


class LogoutView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        services.sign_out(request._request, RequestContext.from_request(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


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
                    "two_step_enabled": two_step.is_enabled(user),
                    "shops": selectors.memberships_of(user),
                }
            ).data
        )
