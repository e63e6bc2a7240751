"""Django admin for people, shops and memberships, as support staff use it: to look things up.

Nobody changes roles, memberships or passwords here, superusers included (SPEC §5): those writes go
through the product's services, where step-up, the security log and the e-mails to the people
concerned apply. A recovery case's approval, worked in the admin, runs through those services too.
Django's admin password pages are switched off. Access flags (staff, groups) stay with superusers.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.errors import OwnerProtected
from accounts.models import Invitation, Membership, Shop, User
from accounts.services import suspend_by_staff
from audit.events import RequestContext
from permissions.registry import ROLES


def _role_labels(membership: Membership) -> str:
    return ", ".join(str(ROLES[name].label) for name in membership.role_names) or "—"


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Membership
    fields = ["user", "role_labels", "status", "created"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    verbose_name = gettext_lazy("member")
    verbose_name_plural = gettext_lazy("members")

    @admin.display(description=gettext_lazy("roles"))
    def role_labels(self, membership):
        return _role_labels(membership)


class UserMembershipInline(MembershipInline):
    """A person's shops, shown on their account."""

    fields = ["shop", "role_labels", "status", "created"]
    readonly_fields = fields
    verbose_name = gettext_lazy("shop")
    verbose_name_plural = gettext_lazy("shops")


class StaffAccountCreationForm(forms.ModelForm):
    """A support agent's account: the e-mail only. The person sets a password through "Forgot your
    password?", so no password is ever typed, seen or sent by someone else."""

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.by_email(email).exists():
            raise ValidationError(_("An account with this e-mail address already exists."), code="unique")
        return email

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        user.is_staff = True
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = StaffAccountCreationForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "frozen", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", ("frozen_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [UserMembershipInline]
    fieldsets = (
        (None, {"fields": ("email",)}),
        (gettext_lazy("Personal details"), {"fields": ("first_name", "last_name", "date_of_birth")}),
        (
            gettext_lazy("Security"),
            {"fields": ("preferred_two_step_method", "frozen_at", "frozen_reason", "freeze_scope")},
        ),
        (
            gettext_lazy("Access"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (gettext_lazy("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "first_name", "last_name")}),)

    @admin.display(boolean=True, description=gettext_lazy("frozen"), ordering="frozen_at")
    def frozen(self, user):
        return user.is_frozen

    def has_add_permission(self, request):
        # New support agents only; sellers sign up or are invited.
        return request.user.is_superuser

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        readonly = [
            "email",
            "first_name",
            "last_name",
            "date_of_birth",
            "preferred_two_step_method",
            "frozen_at",
            "frozen_reason",
            "freeze_scope",
            "is_active",
            "last_login",
            "date_joined",
        ]
        if not request.user.is_superuser:
            # Access flags would let staff raise their own powers, or lock out the people above them.
            readonly += ["is_staff", "is_superuser", "groups", "user_permissions"]
        return readonly

    def get_urls(self):
        # Django's "change password" page would write a password with no event, e-mail or history.
        refused = path("<id>/password/", self.admin_site.admin_view(self.password_change_refused))
        return [refused, *(url for url in super().get_urls() if not str(url.pattern).endswith("password/"))]

    def password_change_refused(self, request, id):
        raise PermissionDenied(_("Passwords are set by their owner, or through a recovery case."))


@admin.register(Shop)
class ShopAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "owner", "require_two_step", "member_count", "created"]
    list_filter = ["require_two_step"]
    search_fields = ["name", "slug", "owner__email"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner").annotate(_members=Count("memberships"))

    @admin.display(description=gettext_lazy("members"), ordering="_members")
    def member_count(self, shop):
        return shop._members


class EmergencySuspensionForm(forms.Form):
    reason = forms.CharField(
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Shown to the shop's owner and the member, and kept in the shop's security log."
        ),
    )


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "shop", "role_labels", "status", "is_owner_display", "created"]
    list_filter = ["status"]
    search_fields = ["user__email", "shop__name", "shop__slug"]
    list_select_related = ["user", "shop"]
    fields = ["user", "shop", "role_labels", "status", "created"]
    readonly_fields = fields
    actions = ["suspend_in_emergency"]

    def has_suspend_permission(self, request):
        return request.user.has_perm("accounts.suspend_membership")

    @admin.action(
        description=gettext_lazy("Suspend in an emergency (asks for a reason)"), permissions=["suspend"]
    )
    def suspend_in_emergency(self, request, queryset):
        """The one change staff make to memberships (SPEC §5): a suspension with a reason, logged as
        staff's and e-mailed to the owner and the member. The owner reactivates from the product."""
        form = EmergencySuspensionForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            suspended, refused = 0, []
            context = RequestContext.from_request(request)
            for membership in queryset.select_related("user", "shop__owner"):
                try:
                    suspended += suspend_by_staff(
                        membership, by=request.user, reason=form.cleaned_data["reason"], context=context
                    )
                except OwnerProtected as refusal:
                    refused.append(f"{membership}: {refusal.message}")
            if suspended:
                self.message_user(
                    request,
                    _("Suspended %(count)d membership(s); their owners were e-mailed.")
                    % {"count": suspended},
                    messages.SUCCESS,
                )
            for line in refused:
                self.message_user(request, line, messages.ERROR)
            return None
        return TemplateResponse(
            request,
            "admin/accounts/membership/suspend_in_emergency.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Suspend in an emergency"),
                "opts": self.model._meta,
                "memberships": queryset.select_related("user", "shop"),
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.display(description=gettext_lazy("roles"))
    def role_labels(self, membership):
        return _role_labels(membership)

    @admin.display(boolean=True, description=gettext_lazy("owner"))
    def is_owner_display(self, membership):
        return membership.is_owner


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Support looks up invitations; only the shop's owner sends, resends or revokes them."""

    list_display = ["email", "shop", "role_labels", "status", "invited_by", "sent_at", "expires"]
    list_filter = ["status"]
    search_fields = ["email", "shop__name", "shop__slug"]
    list_select_related = ["shop", "invited_by"]
    fields = [
        "email",
        "shop",
        "role_labels",
        "status",
        "invited_by",
        "created",
        "sent_at",
        "expires",
        "closed_at",
    ]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("roles"))
    def role_labels(self, invitation):
        return ", ".join(str(ROLES[name].label) for name in invitation.roles if name in ROLES) or "—"
