"""JSON API for two-step verification: the login's second step, enrolment and recovery codes."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from security import two_step
from security.events import RequestContext


class VerifySerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=["totp", "email", "recovery_code"])
    code = serializers.CharField(max_length=64)


class VerifyView(APIView):
    @extend_schema(request=VerifySerializer, responses={200: None})
    def post(self, request):
        serializer = VerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        context = RequestContext.from_request(request)
        if two_step.verify_second_step(request._request, serializer.validated_data["code"], context):
            return Response({"status": "ok"})
        return Response(
            {"detail": "That code is not valid. Check it and try again.", "code": "invalid_code"},
            status=status.HTTP_400_BAD_REQUEST,
        )
