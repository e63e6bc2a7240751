"""shops/<slug>/marketing/campaigns, affiliate/plans (+ creators), advertising/plans."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status

from commerce import money, selectors
from commerce.api.base import (
    CurrencyMixin,
    ModelSerializer,
    MoneyField,
    ObjectAction,
    ShopEndpoint,
    ShopList,
    filtered_status,
)
from commerce.models import AdPlan, AffiliatePlan, Campaign, CampaignStatus, CreatorContact, PlanStatus
from commerce.services import marketing as services
from permissions.registry import ACTIONS, Grant

PERCENT = {"max_digits": 6, "decimal_places": 2}


class CampaignSerializer(ModelSerializer):
    class Meta:
        model = Campaign
        fields = ["id", "name", "discount_percent", "starts_on", "ends_on", "status"]
        read_only_fields = fields


class CampaignInput(serializers.Serializer):
    name = serializers.CharField(max_length=400, allow_blank=True)
    discount_percent = serializers.DecimalField(**PERCENT)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class AffiliatePlanSerializer(CurrencyMixin, ModelSerializer):
    sales = MoneyField()
    commission_earned = serializers.SerializerMethodField()
    creators_contacted = serializers.IntegerField()
    creators_joined = serializers.IntegerField()

    class Meta:
        model = AffiliatePlan
        fields = [
            "id",
            "name",
            "commission_percent",
            "status",
            "clicks",
            "orders",
            "sales",
            "commission_earned",
            "currency",
            "creators_contacted",
            "creators_joined",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "decimal"})
    def get_commission_earned(self, plan):
        return str(money.quantize(plan.commission_earned, self.context["shop"].currency))


class AffiliatePlanInput(serializers.Serializer):
    name = serializers.CharField(max_length=400, allow_blank=True)
    commission_percent = serializers.DecimalField(**PERCENT)


class CreatorSerializer(ModelSerializer):
    class Meta:
        model = CreatorContact
        fields = ["id", "handle", "channel", "message", "status", "created"]
        read_only_fields = fields


class CreatorInput(serializers.Serializer):
    handle = serializers.CharField(max_length=200, allow_blank=True)
    channel = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    message = serializers.CharField(max_length=4000, allow_blank=True)


class AdPlanSerializer(CurrencyMixin, ModelSerializer):
    daily_budget = MoneyField()
    spend = MoneyField()
    sales = MoneyField()
    click_through_rate = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    return_on_ad_spend = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)

    class Meta:
        model = AdPlan
        fields = [
            "id",
            "name",
            "daily_budget",
            "currency",
            "status",
            "impressions",
            "clicks",
            "click_through_rate",
            "spend",
            "sales",
            "return_on_ad_spend",
        ]
        read_only_fields = fields


class AdPlanInput(serializers.Serializer):
    name = serializers.CharField(max_length=400, allow_blank=True)
    daily_budget = MoneyField()


# Campaigns.


class CampaignList(ShopList):
    serializer_class = CampaignSerializer
    grants_by_method = {"GET": Grant.MARKETING_VIEW, "POST": ACTIONS["marketing.create"].grant}

    @extend_schema(parameters=[OpenApiParameter("status", enum=CampaignStatus.values)])
    def get(self, request, slug):
        return self.paginated(
            selectors.campaigns_for(self.membership, status=filtered_status(request, CampaignStatus))
        )

    @extend_schema(request=CampaignInput, responses={201: CampaignSerializer})
    def post(self, request, slug):
        """Create a campaign starting today or later."""
        campaign = services.create_campaign(self.shop, **self.valid(CampaignInput))
        return self.output(campaign, status_code=status.HTTP_201_CREATED)


class CampaignDetail(ShopEndpoint):
    error_codes_by_method = {"PATCH": {409: {"campaign_ended": "An ended campaign cannot change."}}}
    serializer_class = CampaignSerializer
    grants_by_method = {"GET": Grant.MARKETING_VIEW, "PATCH": ACTIONS["marketing.change"].grant}

    def get(self, request, slug, pk):
        return self.output(selectors.campaign_for(self.membership, pk))

    @extend_schema(request=CampaignInput(partial=True), responses=CampaignSerializer)
    def patch(self, request, slug, pk):
        """Change a campaign that has not ended (409 campaign_ended otherwise)."""
        campaign = selectors.campaign_for(self.membership, pk)
        current = {
            "name": campaign.name,
            "discount_percent": campaign.discount_percent,
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
        }
        serializer = CampaignInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return self.output(services.change_campaign(campaign, **{**current, **serializer.validated_data}))


class CampaignEnd(ObjectAction):
    conflicts = {"campaign_ended": "The campaign has already ended."}
    action = "marketing.end"
    find = staticmethod(selectors.campaign_for)
    serializer_class = CampaignSerializer

    def perform(self, campaign, data):
        return services.end_campaign(campaign)


# Affiliate plans.


class AffiliatePlanList(ShopList):
    serializer_class = AffiliatePlanSerializer
    grants_by_method = {"GET": Grant.AFFILIATE_VIEW, "POST": ACTIONS["affiliate.create"].grant}

    @extend_schema(parameters=[OpenApiParameter("status", enum=PlanStatus.values)])
    def get(self, request, slug):
        """Affiliate plans with their performance and the creators contacted."""
        return self.paginated(
            selectors.affiliate_plans_for(self.membership, status=filtered_status(request, PlanStatus))
        )

    @extend_schema(request=AffiliatePlanInput, responses={201: AffiliatePlanSerializer})
    def post(self, request, slug):
        plan = services.create_affiliate_plan(self.shop, **self.valid(AffiliatePlanInput))
        return self.output(
            selectors.affiliate_plan_for(self.membership, plan.pk), status_code=status.HTTP_201_CREATED
        )


class AffiliatePlanDetail(ShopEndpoint):
    error_codes_by_method = {"PATCH": {409: {"plan_ended": "An ended plan cannot change."}}}
    serializer_class = AffiliatePlanSerializer
    grants_by_method = {"GET": Grant.AFFILIATE_VIEW, "PATCH": ACTIONS["affiliate.change"].grant}

    def get(self, request, slug, pk):
        return self.output(selectors.affiliate_plan_for(self.membership, pk))

    @extend_schema(request=AffiliatePlanInput(partial=True), responses=AffiliatePlanSerializer)
    def patch(self, request, slug, pk):
        plan = selectors.affiliate_plan_for(self.membership, pk)
        current = {"name": plan.name, "commission_percent": plan.commission_percent}
        serializer = AffiliatePlanInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.change_affiliate_plan(plan, **{**current, **serializer.validated_data})
        return self.output(selectors.affiliate_plan_for(self.membership, pk))


class CreatorList(ShopList):
    error_codes_by_method = {"POST": {409: {"plan_ended": "The plan has ended."}}}
    serializer_class = CreatorSerializer
    grants_by_method = {"GET": Grant.AFFILIATE_VIEW, "POST": ACTIONS["affiliate.contact"].grant}

    def get(self, request, slug, pk):
        """The creators contacted about the plan, newest first."""
        return self.paginated(selectors.creators_of(selectors.affiliate_plan_for(self.membership, pk)))

    @extend_schema(request=CreatorInput, responses={201: CreatorSerializer})
    def post(self, request, slug, pk):
        """Record that the shop contacted a creator about the plan."""
        plan = selectors.affiliate_plan_for(self.membership, pk)
        contact = services.contact_creator(plan, by=request.user, **self.valid(CreatorInput))
        return self.output(contact, status_code=status.HTTP_201_CREATED)


def _plan_move(name, area, transition, find, serializer):
    return type(
        name,
        (ObjectAction,),
        {
            "action": f"{area}.change",
            "find": staticmethod(find),
            "serializer_class": serializer,
            "perform": lambda self, plan, data: services.move_plan(plan, transition),
            "conflicts": {
                services.PLAN_MOVES[transition][0]: services.PLAN_MOVES[transition][1] % {"status": "…"}
            },
            "__module__": __name__,
        },
    )


AffiliatePlanPause = _plan_move(
    "AffiliatePlanPause", "affiliate", "pause", selectors.affiliate_plan_for, AffiliatePlanSerializer
)
AffiliatePlanResume = _plan_move(
    "AffiliatePlanResume", "affiliate", "resume", selectors.affiliate_plan_for, AffiliatePlanSerializer
)
AffiliatePlanEnd = _plan_move(
    "AffiliatePlanEnd", "affiliate", "end", selectors.affiliate_plan_for, AffiliatePlanSerializer
)


# Ad plans.


class AdPlanList(ShopList):
    serializer_class = AdPlanSerializer
    grants_by_method = {"GET": Grant.ADVERTISING_VIEW, "POST": ACTIONS["advertising.create"].grant}

    @extend_schema(parameters=[OpenApiParameter("status", enum=PlanStatus.values)])
    def get(self, request, slug):
        """Ad plans with their budgets and results."""
        return self.paginated(
            selectors.ad_plans_for(self.membership, status=filtered_status(request, PlanStatus))
        )

    @extend_schema(request=AdPlanInput, responses={201: AdPlanSerializer})
    def post(self, request, slug):
        plan = services.create_ad_plan(self.shop, **self.valid(AdPlanInput))
        return self.output(plan, status_code=status.HTTP_201_CREATED)


class AdPlanDetail(ShopEndpoint):
    error_codes_by_method = {"PATCH": {409: {"plan_ended": "An ended plan cannot change."}}}
    serializer_class = AdPlanSerializer
    grants_by_method = {"GET": Grant.ADVERTISING_VIEW, "PATCH": ACTIONS["advertising.change"].grant}

    def get(self, request, slug, pk):
        return self.output(selectors.ad_plan_for(self.membership, pk))

    @extend_schema(request=AdPlanInput(partial=True), responses=AdPlanSerializer)
    def patch(self, request, slug, pk):
        plan = selectors.ad_plan_for(self.membership, pk)
        current = {"name": plan.name, "daily_budget": plan.daily_budget}
        serializer = AdPlanInput(data=request.data, partial=True, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return self.output(services.change_ad_plan(plan, **{**current, **serializer.validated_data}))


AdPlanPause = _plan_move("AdPlanPause", "advertising", "pause", selectors.ad_plan_for, AdPlanSerializer)
AdPlanResume = _plan_move("AdPlanResume", "advertising", "resume", selectors.ad_plan_for, AdPlanSerializer)
AdPlanEnd = _plan_move("AdPlanEnd", "advertising", "end", selectors.ad_plan_for, AdPlanSerializer)
