"""JSON API of the team (SPEC §10): members, invitations, member settings, leaving a shop, and
accepting an invitation. Tokens of e-mailed links travel in request bodies, never in paths.

Every shop endpoint checks, in order: signed in (401), a member of the shop (404), users.manage
(403), then the grants and fresh second step of the registry actions the request does (team.access).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import invitations, selectors
from accounts.errors import RateLimited, TeamRefusal
from accounts.serializers import ShopMembershipSerializer
from accounts.services import change_member, leave_shop, remove_member
from audit.events import RequestContext
from notifications import links
from permissions.registry import USER_MANAGEMENT
from team import services
from team.access import TEAM_API_PERMISSIONS
from team.serializers import (
    AcceptedSerializer,
    AcceptSerializer,
    InvitationSerializer,
    InviteSerializer,
    MemberChangeSerializer,
    MemberSerializer,
    MemberSettingsSerializer,
    ResetTwoStepSerializer,
)


class Refused(exceptions.APIException):
    """A TeamRefusal as the API answers it: its status and stable code."""

    def __init__(self, refusal: TeamRefusal):
        self.status_code = refusal.status
        super().__init__(refusal.message, code=refusal.code)


class TooMany(exceptions.Throttled):
    # The message already says how long to wait.
    extra_detail_singular = extra_detail_plural = ""


def refused(refusal: TeamRefusal | links.LinkInvalid) -> exceptions.APIException:
    if isinstance(refusal, RateLimited):
        return TooMany(wait=refusal.wait, detail=refusal.message, code=refusal.code)
    if isinstance(refusal, links.LinkInvalid):
        error = exceptions.APIException(
            refusal.message, code="link_gone" if refusal.status == 410 else "invalid_link"
        )
        error.status_code = refusal.status
        return error
    return Refused(refusal)


def _details(errors) -> list[serializers.ErrorDetail]:
    # Iterating a ValidationError gives its messages with their parameters filled in.
    return [serializers.ErrorDetail(next(iter(error)), code=error.code) for error in errors]


def field_errors(error: DjangoValidationError) -> serializers.ValidationError:
    """A service's ValidationError as a 400 with each field's messages and codes."""
    if not hasattr(error, "error_dict"):
        return serializers.ValidationError(_details(error.error_list))
    return serializers.ValidationError(
        {field: _details(errors) for field, errors in error.error_dict.items()}
    )


def call(service, *args, **kwargs):
    """Run a service, turning its refusals into API errors."""
    try:
        return service(*args, **kwargs)
    except DjangoValidationError as error:
        raise field_errors(error) from None
    except (TeamRefusal, links.LinkInvalid) as refusal:
        raise refused(refusal) from None


class TeamView(APIView):
    """A User Management endpoint of the shop in the URL; `actions` maps a method to the registry
    actions it does (none: viewing, which needs the area's grant only)."""

    permission_classes = TEAM_API_PERMISSIONS
    required_grant = USER_MANAGEMENT.view_grant
    actions: dict[str, tuple[str, ...]] = {}

    def actions_for(self, request) -> tuple[str, ...]:
        return self.actions.get(request.method, ())

    @property
    def membership(self):
        return self.request.membership

    def context(self) -> RequestContext:
        return RequestContext.from_request(self.request)

    def member(self, member_id):
        found = selectors.member_of(self.membership.shop, member_id)
        if found is None:
            raise Http404(_("No such member."))
        return found

    def member_data(self, member_id) -> dict:
        return MemberSerializer(selectors.MemberRow.of(self.member(member_id))).data

    def invitation(self, invitation_id):
        found = selectors.invitation_of(self.membership.shop, invitation_id)
        if found is None:
            raise Http404(_("No such invitation."))
        return found


class MembersView(TeamView, generics.ListAPIView):
    """GET: the shop's members, owner first. POST {email, roles}: invite someone (201, the
    invitation); a fresh second step is needed."""

    serializer_class = MemberSerializer
    actions = {"POST": ("users.invite",)}

    def get_queryset(self):
        return selectors.MemberList(self.membership.shop)

    @extend_schema(request=InviteSerializer, responses={201: InvitationSerializer})
    def post(self, request, slug):
        data = InviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = call(services.invite, self.membership, context=self.context(), **data.validated_data)
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class MemberView(TeamView):
    """GET one member. PATCH {roles?, status?}: change them (effective from the member's next
    request). DELETE: remove them. Changes need a fresh second step; the owner is untouchable."""

    actions = {"DELETE": ("users.remove",)}

    def actions_for(self, request) -> tuple[str, ...]:
        if request.method == "PATCH":
            body = request.data if isinstance(request.data, dict) else {}
            asked = [
                key
                for field, key in (("roles", "users.change"), ("status", "users.suspend"))
                if field in body
            ]
            return tuple(asked) or ("users.change",)
        return super().actions_for(request)

    @extend_schema(responses=MemberSerializer)
    def get(self, request, slug, member_id):
        return Response(self.member_data(member_id))

    @extend_schema(request=MemberChangeSerializer, responses=MemberSerializer)
    def patch(self, request, slug, member_id):
        target = self.member(member_id)
        data = MemberChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call(change_member, target, acting=self.membership, context=self.context(), **data.validated_data)
        return Response(self.member_data(member_id))

    @extend_schema(responses={204: None})
    def delete(self, request, slug, member_id):
        call(remove_member, self.member(member_id), acting=self.membership, context=self.context())
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemberResetTwoStepView(TeamView):
    """POST {reason?}: reset the member's two-step verification (they lost their phone and codes)."""

    actions = {"POST": ("users.reset_two_step",)}

    @extend_schema(request=ResetTwoStepSerializer, responses=MemberSerializer)
    def post(self, request, slug, member_id):
        target = self.member(member_id)
        data = ResetTwoStepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call(
            services.reset_member_two_step,
            self.membership,
            target,
            context=self.context(),
            **data.validated_data,
        )
        return Response(self.member_data(member_id))


class MemberRemindView(TeamView):
    """POST: e-mail the member a reminder to turn on two-step verification (202)."""

    actions = {"POST": ("users.remind",)}

    @extend_schema(
        request=None, responses={202: inline_serializer("ReminderSent", {"status": serializers.CharField()})}
    )
    def post(self, request, slug, member_id):
        call(services.remind, self.membership, self.member(member_id), context=self.context())
        return Response({"status": "sent"}, status=status.HTTP_202_ACCEPTED)


class InvitationsView(TeamView, generics.ListAPIView):
    """GET: the shop's pending invitations, newest first; "expired" ones can be resent."""

    serializer_class = InvitationSerializer

    def get_queryset(self):
        return selectors.pending_invitations(self.membership.shop)


class InvitationView(TeamView):
    """GET one invitation. DELETE: revoke it; its link stops working at once."""

    actions = {"DELETE": ("users.invite",)}

    @extend_schema(responses=InvitationSerializer)
    def get(self, request, slug, invitation_id):
        return Response(InvitationSerializer(self.invitation(invitation_id)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, slug, invitation_id):
        call(invitations.revoke, self.membership, self.invitation(invitation_id), context=self.context())
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationResendView(TeamView):
    """POST: send a pending invitation again, with a new 72-hour link; the old link dies."""

    actions = {"POST": ("users.invite",)}

    @extend_schema(request=None, responses=InvitationSerializer)
    def post(self, request, slug, invitation_id):
        invitation = call(
            services.resend, self.membership, self.invitation(invitation_id), context=self.context()
        )
        return Response(InvitationSerializer(invitation).data)


class MemberSettingsView(TeamView):
    """GET/PATCH {invite_domains, require_two_step}: the shop's member settings. Turning the
    two-step requirement off needs a fresh second step, like every change here, and e-mails every
    member."""

    actions = {"PATCH": ("users.settings",)}

    def payload(self):
        shop = self.membership.shop
        return {"invite_domains": shop.invite_domains, "require_two_step": shop.require_two_step}

    @extend_schema(responses=MemberSettingsSerializer)
    def get(self, request, slug):
        return Response(self.payload())

    @extend_schema(request=MemberSettingsSerializer, responses=MemberSettingsSerializer)
    def patch(self, request, slug):
        data = MemberSettingsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call(services.set_member_settings, self.membership, context=self.context(), **data.validated_data)
        return Response(self.payload())


class ShopsView(generics.ListAPIView):
    """GET: the shops the signed-in person is an active member of, in name order, with their roles
    (SPEC §10); a suspended membership is not listed."""

    permission_classes = [IsAuthenticated]
    serializer_class = ShopMembershipSerializer

    def get_queryset(self):
        return selectors.memberships_of(self.request.user)


class MembershipView(APIView):
    """DELETE: leave the shop (the member's own act; the owner cannot). Works without two-step
    verification even where the shop requires it: leaving only takes access away."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request, slug):
        membership = selectors.active_membership(request.user, slug)
        if membership is None:
            raise Http404(_("No such shop."))
        call(leave_shop, membership, context=RequestContext.from_request(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


@method_decorator(sensitive_post_parameters("token", "password"), name="dispatch")
class AcceptInvitationView(APIView):
    """POST {token, first_name?, last_name?, password?}: accept an invitation.

    Signed in as the invited address: join (200). Signed in as anyone else: 403 "wrong_account", and
    nothing changes. Not signed in, and the address has an account: 409 "sign_in_required". Not
    signed in, no account: `password` (SPEC §4) makes the account, joins and signs in (201); the
    response says whether the session is signed in (a shop that requires two-step verification
    answers 403 "two_step_enrolment_required" until the new member enrols).
    """

    permission_classes = [AllowAny]

    @extend_schema(request=AcceptSerializer, responses={200: AcceptedSerializer, 201: AcceptedSerializer})
    def post(self, request):
        data = AcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        link = call(links.find, values["token"], invitations.INVITATION_PURPOSE)
        context = RequestContext.from_request(request)
        if request.user.is_authenticated:
            membership = call(invitations.accept, link, request.user, context=context)
            return Response(self.accepted(membership, signed_in=True))
        if not values["password"]:
            raise serializers.ValidationError(
                {
                    "password": [
                        serializers.ErrorDetail(_("Choose a password for your new account."), code="required")
                    ]
                }
            )
        membership, result = call(
            services.accept_as_new_person,
            request._request,
            link,
            first_name=" ".join(values["first_name"].split()),
            last_name=" ".join(values["last_name"].split()),
            password=values["password"],
            context=context,
        )
        return Response(
            self.accepted(membership, signed_in=services.signed_in(result)), status=status.HTTP_201_CREATED
        )

    @staticmethod
    def accepted(membership, *, signed_in: bool) -> dict:
        return {
            "status": "accepted",
            "shop": membership.shop.slug,
            "roles": membership.roles,
            "signed_in": signed_in,
        }
