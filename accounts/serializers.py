from django.utils.translation import gettext as _
from rest_framework import serializers

from accounts.validators import clean_anti_phishing_phrase, validate_date_of_birth, validate_time_zone
from permissions.registry import ROLES


class ShopMembershipSerializer(serializers.Serializer):
    """One of the person's shops with their roles and grants in it (GET /api/v1/me, GET /api/v1/shops)."""

    slug = serializers.CharField(source="shop.slug")
    name = serializers.CharField(source="shop.name")
    currency = serializers.CharField(source="shop.currency", help_text="ISO 4217 code of the shop's money.")
    is_owner = serializers.BooleanField()
    require_two_step = serializers.BooleanField(source="shop.require_two_step")
    roles = serializers.ListField(child=serializers.ChoiceField(choices=list(ROLES)), source="role_names")
    grants = serializers.SerializerMethodField()

    def get_grants(self, membership) -> list[str]:
        return sorted(grant.value for grant in membership.grants)


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    two_step_enabled = serializers.BooleanField()
    shops = ShopMembershipSerializer(many=True)


class ProfileSerializer(serializers.Serializer):
    """Account Information (SPEC §10): PATCH any of the writable fields; the e-mail address changes
    through POST account/email, which asks for a second step and a confirmation link."""

    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(read_only=True)
    first_name = serializers.CharField(max_length=150, allow_blank=True, required=False)
    last_name = serializers.CharField(max_length=150, allow_blank=True, required=False)
    date_of_birth = serializers.DateField(
        allow_null=True, required=False, validators=[validate_date_of_birth]
    )
    # Checked after spaces are folded (clean_anti_phishing_phrase), so the field's own bound is loose.
    anti_phishing_phrase = serializers.CharField(
        max_length=1000, allow_blank=True, required=False, trim_whitespace=False
    )
    time_zone = serializers.CharField(max_length=64, required=False, validators=[validate_time_zone])

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - {name for name, f in self.fields.items() if not f.read_only})
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: [
                            _("Change the e-mail address with POST /api/v1/account/email.")
                            if name == "email"
                            else _("This field cannot be changed here.")
                        ]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)

    def validate_anti_phishing_phrase(self, value):
        return clean_anti_phishing_phrase(value)
