"""JSON API for the e-mail address: POST account/email asks for a change, DELETE cancels it."""

from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.events import RequestContext
from security import email_change
from security.api.two_step import raise_for
from security.throttles import EmailChangeThrottle
from security.two_step import errors
from security.two_step.step_up import FreshSecondStep
from security.two_step.step_up import step_up as pass_step_up


class EmailChangeSerializer(serializers.Serializer):
    new_email = serializers.CharField(max_length=254)
    code = serializers.CharField(
        max_length=64,
        required=False,
        help_text="A code from the authenticator app or a recovery code; not needed when this session "
        "passed a step-up within the last 10 minutes.",
    )


class PendingEmailChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["pending"])
    new_email = serializers.EmailField()
    expires = serializers.DateTimeField()


class EmailChangeRefused(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_email"

    def __init__(self, refusal: email_change.EmailChangeRefused):
        super().__init__(refusal.message, code=refusal.code)
        self.status_code = refusal.status


@method_decorator(sensitive_post_parameters("code"), name="dispatch")
class EmailChangeView(APIView):
    """Move the account to a new e-mail address (SPEC §6, §10).

    Needs a fresh second step: a `code` from the app or a recovery code in the body, or a step-up of
    this session within the last 10 minutes (else 403 "step_up_required"). Answers 202: a link goes
    to the new address, and the change happens only when it is opened.
    """

    throttle_classes = [EmailChangeThrottle]

    @extend_schema(request=EmailChangeSerializer, responses={202: PendingEmailChangeSerializer})
    def post(self, request):
        serializer = EmailChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        context = RequestContext.from_request(request)
        if data.get("code"):
            try:
                pass_step_up(request._request, None, data["code"], context)
            except errors.TwoStepError as error:
                raise_for(error)
        else:
            FreshSecondStep().has_permission(request, self)
        try:
            change = email_change.request_email_change(request.user, data["new_email"], context=context)
        except email_change.EmailChangeRefused as refusal:
            raise EmailChangeRefused(refusal) from None
        return Response(
            {"id": change.pk, "status": "pending", "new_email": change.new_email, "expires": change.expires},
            status=status.HTTP_202_ACCEPTED,
        )

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        """Cancel the pending change; its link stops working. 404 when none is pending."""
        if not email_change.cancel_email_change(request.user, context=RequestContext.from_request(request)):
            raise exceptions.NotFound(_("No e-mail address change is waiting."))
        return Response(status=status.HTTP_204_NO_CONTENT)
