"""Support staff read the security log; nobody adds, changes or deletes a row."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from audit.models import EventKind, SecurityEvent


class KindFilter(admin.SimpleListFilter):
    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return EventKind.choices

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    # The person by the e-mail kept on the row, and by id: the account may have been deleted since.
    list_display = ["created", "kind_label", "user_email", "shop", "ip", "user_agent"]
    list_filter = [KindFilter, ("created", admin.DateFieldListFilter)]
    search_fields = ["user_email", "shop__slug", "ip"]
    date_hierarchy = "created"
    list_select_related = ["shop"]
    readonly_fields = ["created", "kind", "user_email", "user_id", "shop", "ip", "user_agent", "details"]
    fields = readonly_fields

    @admin.display(description=gettext_lazy("kind"), ordering="kind")
    def kind_label(self, event):
        return event.get_kind_display()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
