"""JSON API of signing in: /api/v1/auth/login and /api/v1/auth/logout."""

from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.events import RequestContext
from security.sign_in import Outcome, sign_in, sign_out


class LoginSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class LoginResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[Outcome.SIGNED_IN.value, Outcome.SECOND_STEP_DUE.value])
    methods = serializers.ListField(child=serializers.CharField())


@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class LoginView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(request=LoginSerializer, responses=LoginResultSerializer)
    def post(self, request):
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = sign_in(
            request._request,
            serializer.validated_data["email"],
            serializer.validated_data["password"],
            RequestContext.from_request(request),
        )
        if result.refused:
            body = {"detail": result.message, "code": result.outcome.value}
            return result.add_headers(Response(body, status=result.http_status))
        return Response({"status": result.outcome.value, "methods": result.methods})


class LogoutView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        sign_out(request._request, RequestContext.from_request(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
