"""JSON API for two-step verification: the login's second step, step-up, enrolment and recovery codes."""

from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import SecondStepMethod
from audit.events import RequestContext
from security import sessions
from security.reauthentication import RecentAuthentication
from security.two_step import devices, enrolment, errors
from security.two_step.sign_in_step import send_email_code, verify_second_step
from security.two_step.step_up import FreshSecondStep
from security.two_step.step_up import step_up as pass_step_up


class TwoStepConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class TwoStepRefused(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_code"


class CodesThrottled(exceptions.Throttled):
    # Our message already says how long to wait; DRF would add a second sentence saying it again.
    extra_detail_singular = extra_detail_plural = ""


def raise_for(error: errors.TwoStepError):
    """The API's answer to a refused second-step action: 400, 409 or 429 with a stable code."""
    if isinstance(error, errors.Throttled):
        raise CodesThrottled(wait=error.wait, detail=error.message, code="throttled")
    if error.status == status.HTTP_409_CONFLICT:
        raise TwoStepConflict(error.message, code=error.code)
    raise TwoStepRefused(error.message, code=error.code)


class CodeSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=SecondStepMethod.values)
    code = serializers.CharField(max_length=64)


class StepUpSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=[m.value for m in devices.STEP_UP_METHODS])
    code = serializers.CharField(max_length=64)


class ConfirmSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=64)


StatusResponse = inline_serializer("TwoStepStatus", {"status": serializers.CharField()})
RecoveryCodesResponse = inline_serializer(
    "RecoveryCodes", {"recovery_codes": serializers.ListField(child=serializers.CharField())}
)


def _require_pending(request):
    if not request.session.get(sessions.TWO_STEP_PENDING):
        raise TwoStepConflict(_("This session has no second step waiting."), code="two_step_not_pending")


@method_decorator(sensitive_post_parameters("code"), name="dispatch")
class VerifyView(APIView):
    """The sign-in's second step: a code from the app, the e-mail or a recovery code."""

    @extend_schema(request=CodeSerializer, responses={200: StatusResponse})
    def post(self, request):
        _require_pending(request._request)
        serializer = CodeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            verify_second_step(
                request._request, data["method"], data["code"], RequestContext.from_request(request)
            )
        except errors.TwoStepError as error:
            raise_for(error)
        return Response({"status": "ok"})


class EmailCodeView(APIView):
    """E-mail a sign-in code: a fallback for accounts with an authenticator app."""

    @extend_schema(request=None, responses={202: StatusResponse})
    def post(self, request):
        _require_pending(request._request)
        try:
            send_email_code(request.user, RequestContext.from_request(request))
        except errors.TwoStepError as error:
            raise_for(error)
        return Response({"status": "sent"}, status=status.HTTP_202_ACCEPTED)


@method_decorator(sensitive_post_parameters("code"), name="dispatch")
class StepUpView(APIView):
    """A fresh second step for sensitive actions (app or recovery code, never e-mail)."""

    @extend_schema(request=StepUpSerializer, responses={200: StatusResponse})
    def post(self, request):
        serializer = StepUpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            pass_step_up(request._request, data["method"], data["code"], RequestContext.from_request(request))
        except errors.TwoStepError as error:
            raise_for(error)
        return Response({"status": "ok"})


class TotpView(APIView):
    """POST starts enrolling an authenticator app; DELETE turns two-step verification off and ends
    the other sessions. Both need a recent authentication (or `password` in the body); DELETE a
    fresh second step too."""

    def get_permissions(self):
        if self.request.method == "DELETE":
            return [IsAuthenticated(), RecentAuthentication(), FreshSecondStep()]
        return [IsAuthenticated(), RecentAuthentication()]

    @extend_schema(
        request=None,
        responses={
            201: inline_serializer(
                "TotpEnrolment", {"otpauth_uri": serializers.CharField(), "secret": serializers.CharField()}
            )
        },
    )
    def post(self, request):
        try:
            device = enrolment.pending_totp_device(request.user, restart=True)
        except errors.TwoStepError as error:
            raise_for(error)
        # The secret is a credential: no cache, shared or private, may keep it.
        return Response(
            {"otpauth_uri": devices.otpauth_uri(device), "secret": devices.base32_secret(device)},
            status=status.HTTP_201_CREATED,
            headers={"Cache-Control": "no-store"},
        )

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        try:
            enrolment.disable(
                request.user,
                RequestContext.from_request(request),
                keep_session_key=request.session.session_key,
            )
        except errors.TwoStepError as error:
            raise_for(error)
        enrolment.forget_verification(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


@method_decorator(sensitive_post_parameters("code"), name="dispatch")
class TotpConfirmView(APIView):
    """Confirm the app with a code from it (needs a recent authentication, or `password` in the
    body); the answer holds the recovery codes, shown only once."""

    permission_classes = [IsAuthenticated, RecentAuthentication]

    @extend_schema(request=ConfirmSerializer, responses={200: RecoveryCodesResponse})
    def post(self, request):
        serializer = ConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            codes = enrolment.confirm_totp(
                request._request, serializer.validated_data["code"], RequestContext.from_request(request)
            )
        except errors.TwoStepError as error:
            raise_for(error)
        return Response({"recovery_codes": codes}, headers={"Cache-Control": "no-store"})


class RecoveryCodesView(APIView):
    """Regenerate the recovery codes (needs a recent authentication, or `password` in the body, and a
    fresh second step); the old ones stop working and the other sessions end."""

    permission_classes = [IsAuthenticated, RecentAuthentication, FreshSecondStep]

    @extend_schema(request=None, responses={200: RecoveryCodesResponse})
    def post(self, request):
        try:
            codes = enrolment.regenerate_recovery_codes(
                request.user,
                RequestContext.from_request(request),
                keep_session_key=request.session.session_key,
            )
        except errors.TwoStepError as error:
            raise_for(error)
        return Response({"recovery_codes": codes}, headers={"Cache-Control": "no-store"})
