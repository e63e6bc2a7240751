"""JSON API for passwords: the strength check behind every password form, and the change."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.events import RequestContext
from security.passwords.changes import (
    WRONG_CURRENT_PASSWORD,
    WrongCurrentPassword,
    change_password,
    user_in_reset,
)
from security.passwords.report import check_password_strength
from security.passwords.rules import FailureCode
from security.throttles import PasswordChangeThrottle, PasswordCheckThrottle, PasswordReuseCheckThrottle

User = get_user_model()


class PasswordCheckSerializer(serializers.Serializer):
    # Longer than the 128-character rule so that the answer names the rule instead of a field error.
    password = serializers.CharField(max_length=4096, trim_whitespace=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)


class FailureSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=[code.value for code in FailureCode])
    message = serializers.CharField()


class StrengthReportSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    score = serializers.IntegerField(min_value=0, max_value=4)
    failures = FailureSerializer(many=True)
    suggestions = serializers.ListField(child=serializers.CharField())


@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class PasswordCheckView(APIView):
    """Every password rule applied as the person types, signed in or not.

    Signed out, the details of the form (e-mail, names, date of birth) stand in for the account;
    signed in, or holding a valid reset link, the account's own details count, and so do its last
    five passwords.
    """

    permission_classes = [AllowAny]
    throttle_classes = [PasswordCheckThrottle]

    @extend_schema(request=PasswordCheckSerializer, responses=StrengthReportSerializer)
    def post(self, request):
        serializer = PasswordCheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if request.user.is_authenticated:
            user = request.user
        elif (held := user_in_reset(request._request)) is not None:
            user = held
        else:
            user = User(
                email=data.get("email", "").strip(),
                first_name=data.get("first_name", "").strip(),
                last_name=data.get("last_name", "").strip(),
                date_of_birth=data.get("date_of_birth"),
            )
        # Whether a guess is one of the account's passwords, the current one included, is worth
        # knowing to whoever holds a stolen session: the answer is rationed per account like the
        # change itself, so the meter cannot be used to test guesses at the current password.
        history = (
            (lambda: PasswordReuseCheckThrottle(user).allow_request(request, self)) if user.pk else False
        )
        report = check_password_strength(data["password"], user, history=history)
        # Built by hand: the serializer documents the shape, but instantiating it costs more than
        # the check itself, and this endpoint answers every pause in typing.
        return Response(
            {
                "ok": report.ok,
                "score": report.score,
                "failures": [{"code": f.code, "message": f.message} for f in report.failures],
                "suggestions": report.suggestions,
            }
        )


class PasswordChangeSerializer(serializers.Serializer):
    current_password = serializers.CharField(max_length=4096, trim_whitespace=False)
    new_password = serializers.CharField(max_length=4096, trim_whitespace=False)


class PasswordChangedSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["ok"])
    sessions_ended = serializers.IntegerField()


@method_decorator(sensitive_post_parameters("current_password", "new_password"), name="dispatch")
class PasswordChangeView(APIView):
    """Change the password: the current one is required, and every other session ends."""

    throttle_classes = [PasswordChangeThrottle]

    @extend_schema(request=PasswordChangeSerializer, responses=PasswordChangedSerializer)
    def post(self, request):
        serializer = PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            ended = change_password(
                request.user,
                current_password=serializer.validated_data["current_password"],
                new_password=serializer.validated_data["new_password"],
                context=RequestContext.from_request(request),
                request=request._request,
            )
        except WrongCurrentPassword:
            raise serializers.ValidationError({"current_password": [WRONG_CURRENT_PASSWORD]}) from None
        except DjangoValidationError as refusal:
            raise serializers.ValidationError(
                {
                    "new_password": [
                        serializers.ErrorDetail(str(e.message), code=e.code) for e in refusal.error_list
                    ]
                }
            ) from None
        return Response({"status": "ok", "sessions_ended": ended})
