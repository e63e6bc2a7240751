from rest_framework import serializers

from permissions.registry import ROLES


class LoginSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class LoginResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["ok", "2sv_required"])
    methods = serializers.ListField(child=serializers.CharField())


class ShopMembershipSerializer(serializers.Serializer):
    slug = serializers.CharField(source="shop.slug")
    name = serializers.CharField(source="shop.name")
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
