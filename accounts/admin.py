"""Django admin for users, shops and memberships, as support staff use it.

Support staff (is_staff, in the "Support" group) read accounts and shops and may suspend or re-role
members; the rules of SPEC §5 hold here too: nobody changes the owner's roles or removes the owner.
What gives access to money or to an account (e-mail, password, staff and superuser flags, the freeze)
stays with superusers and with the recovery process.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.forms.models import BaseInlineFormSet

from accounts import services
from accounts.models import Membership, MembershipStatus, Shop, User
from permissions.registry import ROLE_CHOICES, ROLES
from security.events import RequestContext

OWNER_PROTECTED = "This is the shop owner's membership: the owner's roles and status cannot be changed."


def _role_labels(membership: Membership) -> str:
    return ", ".join(ROLES[name].label for name in membership.role_names) or "—"


class MembershipAdminForm(forms.ModelForm):
    """Roles as check boxes from the registry, validated by the same rule as everywhere else."""

    roles = forms.MultipleChoiceField(
        choices=ROLE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Membership
        fields = ["user", "shop", "roles", "status"]

    def clean_roles(self):
        try:
            return services.clean_roles(list(self.cleaned_data.get("roles") or []))
        except ValueError as error:
            raise ValidationError(str(error), code="invalid_role") from error

    def clean(self):
        cleaned = super().clean()
        membership = self.instance
        if membership.pk and {"user", "shop"} & set(self.changed_data):
            raise ValidationError(
                "A membership stays with its person and shop: remove it and add a new one instead.",
                code="membership_moved",
            )
        if membership.pk and membership.is_owner and {"roles", "status"} & set(self.changed_data):
            raise ValidationError(OWNER_PROTECTED, code="owner_protected")
        return cleaned


class MembershipInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk and form.instance.is_owner:
                raise ValidationError(services.OWNER_NOT_REMOVABLE, code="owner_protected")


def _record_membership_change(request, membership: Membership, *, change: bool, changed_fields) -> None:
    services.record_membership_saved(
        membership,
        by=request.user,
        context=RequestContext.from_request(request),
        added=not change,
        changed_fields=changed_fields,
        via="admin",
    )


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipAdminForm
    formset = MembershipInlineFormSet
    fields = ["user", "roles", "status", "created"]
    readonly_fields = ["created"]
    autocomplete_fields = ["user"]
    extra = 0
    verbose_name = "member"
    verbose_name_plural = "members"


class UserMembershipInline(admin.TabularInline):
    """A person's shops, shown on their account; memberships are changed from the shop."""

    model = Membership
    fields = ["shop", "role_labels", "status", "created"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "shops"

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="roles")
    def role_labels(self, membership):
        return _role_labels(membership)


class SellerUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError("An account with this e-mail address already exists.", code="unique")
        return email


class SellerUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = SellerUserChangeForm
    add_form = SellerUserCreationForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "frozen", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", ("frozen_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "first_name", "last_name"]
    readonly_fields = ["last_login", "date_joined", "frozen_at", "frozen_reason"]
    inlines = [UserMembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal details", {"fields": ("first_name", "last_name", "date_of_birth")}),
        ("Security", {"fields": ("preferred_two_step_method", "frozen_at", "frozen_reason")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),
    )

    @admin.display(boolean=True, description="frozen", ordering="frozen_at")
    def frozen(self, user):
        return user.is_frozen

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser:
            return fieldsets
        # Without the password field there is no "Reset password" link for support staff to follow.
        return tuple(
            (name, {**options, "fields": tuple(f for f in options["fields"] if f != "password")})
            for name, options in fieldsets
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # The e-mail address and the password are how an account is taken over; support changes
            # them only through a recovery case. Access flags would let staff raise their own powers,
            # or lock out the people above them.
            readonly += ["email", "is_active", "is_staff", "is_superuser", "groups", "user_permissions"]
        return readonly

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied("Passwords are reset by their owner or through a recovery case.")
        return super().user_change_password(request, id, form_url)


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "owner", "require_two_step", "member_count", "created"]
    list_filter = ["require_two_step"]
    search_fields = ["name", "slug", "owner__email"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["owner"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner").annotate(_members=Count("memberships"))

    @admin.display(description="members", ordering="_members")
    def member_count(self, shop):
        return shop._members

    def get_readonly_fields(self, request, obj=None):
        # Handing a shop to another owner is a change of who controls its money: not an admin edit.
        return ["owner", "created"] if obj else ["created"]

    @transaction.atomic
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        shop = form.instance
        # The owner's membership is always active and carries no stored roles, whatever an inline row
        # for them said: their powers come from Shop.owner.
        Membership.objects.update_or_create(
            shop=shop, user=shop.owner, defaults={"roles": [], "status": MembershipStatus.ACTIVE}
        )

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            services.remove_member(
                obj, by=request.user, context=RequestContext.from_request(request), via="admin"
            )
        changed = {f.instance.pk: f.changed_data for f in formset.forms if f.instance.pk}
        for membership in instances:
            is_new = membership.pk is None
            membership.save()
            _record_membership_change(
                request, membership, change=not is_new, changed_fields=changed.get(membership.pk, [])
            )
        formset.save_m2m()


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipAdminForm
    list_display = ["user", "shop", "role_labels", "status", "is_owner_display", "created"]
    list_filter = ["status", "shop"]
    search_fields = ["user__email", "shop__name", "shop__slug"]
    list_select_related = ["user", "shop"]
    autocomplete_fields = ["user", "shop"]

    @admin.display(description="roles")
    def role_labels(self, membership):
        return _role_labels(membership)

    @admin.display(boolean=True, description="owner")
    def is_owner_display(self, membership):
        return membership.is_owner

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["created"]
        if obj.is_owner:
            # "roles" too, so the form drops its check boxes and cannot post an empty list.
            return ["user", "shop", "roles", "roles_display", "status", "created"]
        return ["user", "shop", "created"]

    def get_fields(self, request, obj=None):
        if obj is not None and obj.is_owner:
            return ["user", "shop", "roles_display", "status", "created"]
        return ["user", "shop", "roles", "status", "created"] if obj else ["user", "shop", "roles", "status"]

    @admin.display(description="roles")
    def roles_display(self, membership):
        return _role_labels(membership)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_owner:
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        # The changelist's bulk delete must not take the owner with it either.
        if any(m.is_owner for m in queryset.select_related("shop")):
            raise PermissionDenied(services.OWNER_NOT_REMOVABLE)
        for membership in queryset.select_related("user", "shop"):
            self.delete_model(request, membership)

    def delete_model(self, request, obj):
        services.remove_member(
            obj, by=request.user, context=RequestContext.from_request(request), via="admin"
        )

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _record_membership_change(request, obj, change=change, changed_fields=form.changed_data)
