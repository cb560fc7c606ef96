from django.contrib import admin

from networks.models import Membership, MembershipStatusChange, Network, PioneerLink


class NetworkMembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "network"
    extra = 0
    fields = ["city", "role", "status", "joined_on"]
    autocomplete_fields = ["city"]
    show_change_link = True


class PioneerLinkInline(admin.TabularInline):
    model = PioneerLink
    extra = 0
    fields = ["pioneer", "mentee", "status", "focus", "started_on"]
    autocomplete_fields = ["pioneer", "mentee"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "scope_display", "host_organisation", "host_city", "is_active"]
    list_filter = ["kind", "is_active", "default_language"]
    search_fields = ["name", "host_organisation"]
    list_select_related = ["host_city"]
    autocomplete_fields = ["host_city"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [NetworkMembershipInline, PioneerLinkInline]


class StatusChangeInline(admin.TabularInline):
    model = MembershipStatusChange
    extra = 0
    fields = ["status", "changed_at", "changed_by", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["city", "network", "role", "status", "joined_on", "status_changed_at"]
    list_filter = ["network", "role", "status"]
    search_fields = ["city__name", "network__name"]
    list_select_related = ["city", "network"]
    autocomplete_fields = ["city", "network"]
    readonly_fields = ["status_changed_at"]
    date_hierarchy = "joined_on"
    show_full_result_count = False
    inlines = [StatusChangeInline]


@admin.register(PioneerLink)
class PioneerLinkAdmin(admin.ModelAdmin):
    list_display = ["pioneer", "mentee", "network", "status", "focus", "started_on"]
    list_filter = ["network", "status", "focus"]
    search_fields = ["pioneer__name", "mentee__name"]
    list_select_related = ["pioneer", "mentee", "network"]
    autocomplete_fields = ["pioneer", "mentee", "network"]


from networks import application_admin  # noqa: E402,F401  (registers ApplicationAdmin)
