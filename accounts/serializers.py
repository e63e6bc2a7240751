from rest_framework import serializers

from permissions.registry import ROLES


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
