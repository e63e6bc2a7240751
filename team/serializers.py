"""Shapes of the team API (SPEC §10). Input serializers check types and lengths only: the rules are
the services', whose ValidationErrors come back as field errors the same way."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from accounts.acting import MAX_ROLES_GIVEN
from accounts.models import InvitationStatus, MembershipStatus
from permissions.registry import ROLES


class MemberSerializer(serializers.Serializer):
    """A member (accounts.selectors.MemberRow), with two-step status and last sign-in."""

    id = serializers.IntegerField()
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.ChoiceField(choices=list(ROLES)), source="role_names")
    status = serializers.ChoiceField(choices=MembershipStatus.values)
    is_owner = serializers.BooleanField()
    two_step_enabled = serializers.BooleanField(source="has_two_step")
    last_sign_in = serializers.DateTimeField(allow_null=True)
    joined = serializers.DateTimeField(source="created")


class InvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    roles = serializers.ListField(child=serializers.ChoiceField(choices=list(ROLES)))
    status = serializers.ChoiceField(choices=InvitationStatus.values, source="shown_status")
    created = serializers.DateTimeField()
    sent_at = serializers.DateTimeField()
    expires = serializers.DateTimeField()
    invited_by = serializers.EmailField(source="invited_by.email", allow_null=True, default=None)


def _roles_field(**options):
    # Any string, so that "owner" or an unknown name is answered by the service's own message.
    return serializers.ListField(
        child=serializers.CharField(max_length=64), max_length=MAX_ROLES_GIVEN, **options
    )


class InviteSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    roles = _roles_field()


class MemberChangeSerializer(serializers.Serializer):
    roles = _roles_field(required=False)
    status = serializers.ChoiceField(choices=MembershipStatus.values, required=False)

    def validate(self, data):
        if not data:
            raise serializers.ValidationError(_("Give roles, status or both."), code="required")
        return data


class ResetTwoStepSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class MemberSettingsSerializer(serializers.Serializer):
    invite_domains = serializers.ListField(
        child=serializers.CharField(max_length=253), max_length=20, required=False
    )
    require_two_step = serializers.BooleanField(required=False)


class AcceptSerializer(serializers.Serializer):
    """The token of the e-mailed link; a new person adds their names and a password."""

    token = serializers.CharField(max_length=200)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    password = serializers.CharField(max_length=4096, required=False, trim_whitespace=False, default="")


class AcceptedSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["accepted"])
    shop = serializers.CharField(source="shop.slug")
    roles = serializers.ListField(child=serializers.CharField())
    signed_in = serializers.BooleanField()
