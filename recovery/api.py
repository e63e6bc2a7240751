"""JSON API of recovery (SPEC §10): a request, a case's status and its documents, for people who
cannot sign in. The e-mailed token travels in the body, never in the path."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import parsers, serializers, status
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from audit.events import RequestContext
from notifications import links
from recovery.documents import DocumentRefused
from recovery.models import CaseStatus, DocumentKind
from recovery.selectors import next_step
from recovery.services import cases, documents, notices
from recovery.services.cases import DESCRIPTION_MAX_LENGTH
from recovery.services.errors import CaseRefused
from recovery.throttles import RecoveryLinkThrottle, RecoveryRequestThrottle
from recovery.uploads import PlainNameMultiPartAPIParser

REFERENCE = OpenApiParameter(
    "reference", str, OpenApiParameter.PATH, description="The case's reference, such as RC-7K4M-Q2XD."
)
LINK_NOT_FOUND = gettext_lazy(
    "No case matches this reference and token: the link may be wrong, used up, expired or replaced by a "
    "newer e-mail. Ask for a new one on the status page."
)


class Refusal(APIException):
    """An error answered with its own status and stable code."""

    def __init__(self, detail: str, code: str, status_code: int):
        super().__init__(detail, code)
        self.status_code = status_code


class CaseRequestSerializer(serializers.Serializer):
    account_email = serializers.EmailField(max_length=254)
    contact_email = serializers.EmailField(max_length=254)
    description = serializers.CharField(max_length=DESCRIPTION_MAX_LENGTH)
    make_sign_in_address = serializers.BooleanField(required=False, default=False)


class ReferenceSerializer(serializers.Serializer):
    reference = serializers.CharField()


class CaseRequestView(APIView):
    """Ask to recover an account. The answer is the same whether or not an account uses the address."""

    permission_classes = [AllowAny]
    throttle_classes = [RecoveryRequestThrottle]

    @extend_schema(request=CaseRequestSerializer, responses={202: ReferenceSerializer})
    def post(self, request):
        serializer = CaseRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = cases.submit_request(
            account_email=data["account_email"],
            contact_email=data["contact_email"],
            description=data["description"],
            wants_sign_in_address=data["make_sign_in_address"],
            context=RequestContext.from_request(request),
        )
        return Response({"reference": case.reference}, status=status.HTTP_202_ACCEPTED)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=200)


class CaseStatusSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    status_display = serializers.CharField()
    next_step = serializers.CharField()
    uploads_left = serializers.IntegerField()


def _case_of_token(token: str, reference: str):
    """The case the upload token was sent for, when it is the one named in the path; 404 otherwise."""
    try:
        link = links.find(token, notices.UPLOAD_PURPOSE)
    except links.LinkInvalid:
        raise Refusal(LINK_NOT_FOUND, "link_invalid", 404) from None
    case = documents.case_of_link(link)
    if case.reference != reference.strip().upper():
        raise Refusal(LINK_NOT_FOUND, "link_invalid", 404)
    return case, link


class CaseStatusView(APIView):
    """Where a case stands and what happens next, for the holder of its upload link."""

    permission_classes = [AllowAny]
    throttle_classes = [RecoveryLinkThrottle]
    error_codes = {
        404: {"link_invalid": "The token is wrong, used up, expired or replaced, or is another case's."}
    }

    @extend_schema(request=TokenSerializer, responses=CaseStatusSerializer, parameters=[REFERENCE])
    def post(self, request, reference):
        serializer = TokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case, link = _case_of_token(serializer.validated_data["token"], reference)
        return Response(
            {
                "reference": case.reference,
                "status": case.status,
                "status_display": case.get_status_display(),
                "next_step": next_step(case),
                "uploads_left": link.uses_left if case.accepts_documents else 0,
            }
        )


class DocumentUploadSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField(allow_empty_file=False)


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    name = serializers.CharField()
    size = serializers.IntegerField(help_text="Bytes, as stored (images are re-encoded).")


class CaseDocumentView(APIView):
    """Send a document (multipart: token, kind, file): a PDF, JPEG or PNG of at most 10 MB, checked by
    its content. 404 for a wrong or spent token, 400 for a file we refuse, 413 over 10 MB, 409 when
    the case takes no documents now."""

    permission_classes = [AllowAny]
    throttle_classes = [RecoveryLinkThrottle]
    # Multipart through the checks of recovery/uploads.py; any other body (JSON) parses as everywhere
    # else in the API, to a clear 400.
    parser_classes = [
        PlainNameMultiPartAPIParser,
        *(p for p in api_settings.DEFAULT_PARSER_CLASSES if not issubclass(p, parsers.MultiPartParser)),
    ]

    error_codes = {
        404: {"link_invalid": "The token is wrong, used up, expired or replaced, or is another case's."},
        409: {
            "case_closed_for_documents": "The case takes no documents now (decided or closed).",
            "round_full": "This round already has its 5 files.",
        },
        413: {"file_too_large": "The file is over 10 MB."},
    }

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
        parameters=[REFERENCE],
    )
    def post(self, request, reference):
        serializer = DocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case, link = _case_of_token(data["token"], reference)
        try:
            document = documents.add_document(
                case,
                kind=data["kind"],
                upload=data["file"],
                context=RequestContext.from_request(request),
                link=link,
            )
        except DocumentRefused as refused:
            if refused.status == 400:
                # A file we refuse is the `file` field's error, in the shape of every 400.
                raise serializers.ValidationError({"file": [refused.message]}, code=refused.code) from None
            raise Refusal(refused.message, refused.code, refused.status) from None
        except CaseRefused as refused:
            raise Refusal(refused.message, refused.code, refused.status) from None
        except links.LinkInvalid:
            raise Refusal(LINK_NOT_FOUND, "link_invalid", 404) from None
        body = {"id": document.pk, "kind": document.kind, "name": document.name, "size": document.size}
        return Response(body, status=status.HTTP_201_CREATED)
