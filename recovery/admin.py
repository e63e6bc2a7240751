"""The support queue and case page in Django admin (SPEC §8 step 4).

Cases are read here, never edited as forms: every change is one of the actions of recovery/
admin_views.py, each a page with a reason, its own permission ("review recovery cases") and a
service under the case's row lock. The queue reads in a fixed number of queries per page, however
many cases there are.
"""

from django.contrib import admin
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy

from recovery import admin_views, selectors
from recovery.models import OPEN_STATUSES, WAITING_FOR_STAFF, RecoveryCase


class QueueFilter(admin.SimpleListFilter):
    """Open cases by default: the queue is what still needs someone."""

    title = gettext_lazy("queue")
    parameter_name = "queue"
    GROUPS = {
        "open": (gettext_lazy("Open"), {"status__in": OPEN_STATUSES}),
        "waiting": (gettext_lazy("Waiting for support"), {"status__in": WAITING_FOR_STAFF}),
        "closed": (gettext_lazy("Closed"), {"closed_at__isnull": False}),
        "all": (gettext_lazy("All"), {}),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _) in self.GROUPS.items()]

    def value(self):
        return super().value() or "open"

    def queryset(self, request, queryset):
        _, lookup = self.GROUPS.get(self.value(), self.GROUPS["open"])
        return queryset.filter(**lookup)

    def choices(self, changelist):
        for key, label in self.lookup_choices:
            yield {
                "selected": self.value() == key,
                "query_string": changelist.get_query_string({self.parameter_name: key}),
                "display": label,
            }


@admin.register(RecoveryCase)
class RecoveryCaseAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "status_badge",
        "account",
        "contact_email",
        "documents",
        "four_eyes",
        "age",
        "waiting",
    ]
    list_display_links = ["reference"]
    list_filter = [QueueFilter, "status", "origin", "four_eyes", ("created", admin.DateFieldListFilter)]
    search_fields = ["reference", "account_email", "contact_email", "user__email"]
    ordering = ["status_changed_at", "id"]
    list_per_page = 50
    # Counting every case for "N total" is one more query of the whole table on every page.
    show_full_result_count = False
    change_form_template = "admin/recovery/recoverycase/change_form.html"
    change_list_template = "admin/recovery/recoverycase/change_list.html"
    fields = [
        "reference",
        "status",
        "origin",
        "user",
        "account_email",
        "contact_email",
        "wants_sign_in_address",
        "documents_round",
        "four_eyes",
        "first_approved_by",
        "approved_by",
        "approved_at",
        "sign_in_address_confirmed",
        "access_reset_at",
        "password_set_at",
        "decision_reason",
        "created",
        "status_changed_at",
        "closed_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return selectors.queue()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_badge(self, case):
        waiting = case.status in WAITING_FOR_STAFF
        return (
            format_html("<strong>{}</strong>", case.get_status_display())
            if waiting
            else case.get_status_display()
        )

    @admin.display(description=gettext_lazy("account"), ordering="account_email")
    def account(self, case):
        if case.user_id is None:
            return format_html("{} <em>(no account)</em>", case.account_email)
        return case.user.email

    @admin.display(description=gettext_lazy("files"), ordering="document_count")
    def documents(self, case):
        return case.document_count

    @admin.display(description=gettext_lazy("age"), ordering="created")
    def age(self, case):
        return timesince(case.created, timezone.now(), depth=1)

    @admin.display(description=gettext_lazy("in this status for"), ordering="status_changed_at")
    def waiting(self, case):
        return timesince(case.status_changed_at, timezone.now(), depth=1)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("freeze/", wrap(admin_views.staff_freeze), name="recovery_freeze"),
            path("<int:pk>/act/<slug:action>/", wrap(admin_views.case_action), name="recovery_case_action"),
            path("document/<int:pk>/", wrap(admin_views.download_document), name="recovery_document"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self.get_object(request, object_id)
        extra = admin_views.case_page_context(request, case) if case is not None else {}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def changelist_view(self, request, extra_context=None):
        extra = {"freeze_url": reverse("admin:recovery_freeze")}
        return super().changelist_view(request, {**(extra_context or {}), **extra})
