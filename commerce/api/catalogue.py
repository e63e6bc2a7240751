"""shops/<slug>/products: list, create, read, change, activate, delist."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status

from commerce import selectors
from commerce.api.base import (
    CurrencyMixin,
    ModelSerializer,
    MoneyField,
    ObjectAction,
    ShopEndpoint,
    ShopList,
    filtered_status,
)
from commerce.models import Product, ProductStatus
from commerce.services import products as services
from permissions.registry import ACTIONS, Grant


class ProductSerializer(CurrencyMixin, ModelSerializer):
    price = MoneyField()

    class Meta:
        model = Product
        fields = ["id", "name", "sku", "price", "currency", "stock", "status", "created", "updated"]
        read_only_fields = fields


class ProductInput(serializers.Serializer):
    name = serializers.CharField(max_length=400, allow_blank=True)
    sku = serializers.CharField(max_length=200, allow_blank=True)
    price = MoneyField()
    stock = serializers.IntegerField(min_value=0, max_value=services.MAX_STOCK)


class ProductList(ShopList):
    serializer_class = ProductSerializer
    grants_by_method = {"GET": Grant.PRODUCTS_VIEW, "POST": ACTIONS["products.create"].grant}

    @extend_schema(
        parameters=[
            OpenApiParameter("status", enum=ProductStatus.values),
            OpenApiParameter("q", description="A fragment of the name or SKU."),
        ]
    )
    def get(self, request, slug):
        """The shop's products, by name."""
        rows = selectors.products_for(
            self.membership,
            status=filtered_status(request, ProductStatus),
            search=request.query_params.get("q", "").replace("\x00", "")[:100],
        )
        return self.paginated(rows)

    @extend_schema(request=ProductInput, responses={201: ProductSerializer})
    def post(self, request, slug):
        """Create a product (products.manage); it goes on sale at once."""
        product = services.create_product(self.shop, **self.valid(ProductInput))
        return self.output(product, status_code=status.HTTP_201_CREATED)


class ProductDetail(ShopEndpoint):
    serializer_class = ProductSerializer
    grants_by_method = {"GET": Grant.PRODUCTS_VIEW, "PATCH": ACTIONS["products.edit"].grant}

    def get(self, request, slug, pk):
        return self.output(selectors.product_for(self.membership, pk))

    @extend_schema(request=ProductInput(partial=True), responses=ProductSerializer)
    def patch(self, request, slug, pk):
        """Change a product's name, SKU, price or stock; fields left out keep their value."""
        product = selectors.product_for(self.membership, pk)
        current = {"name": product.name, "sku": product.sku, "price": product.price, "stock": product.stock}
        serializer = ProductInput(data=request.data, partial=True, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return self.output(services.edit_product(product, **{**current, **serializer.validated_data}))


class ProductActivate(ObjectAction):
    conflicts = {"product_already_active": "The product is already on sale."}
    action = "products.activate"
    find = staticmethod(selectors.product_for)
    serializer_class = ProductSerializer

    def perform(self, product, data):
        return services.activate_product(product)


class ProductDelist(ObjectAction):
    conflicts = {"product_already_delisted": "The product is already delisted."}
    action = "products.delist"
    find = staticmethod(selectors.product_for)
    serializer_class = ProductSerializer

    def perform(self, product, data):
        return services.delist_product(product)
