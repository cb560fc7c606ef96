from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from alliance.admin_history import HistoryAdmin
from networks.admin_io import ImportLoggedExport, LoggedExport
from networks.admin_paging import EstimatedCountPaginator, FastMembershipSearch
from networks.admin_scope import NetworkScoped, managed_networks
from networks.models import (
    DirectoryExport,
    Membership,
    MembershipStatusChange,
    Network,
    PioneerLink,
    ReminderRule,
)
from networks.reminders import network_ensure_default_rules, reminders_sync_network
from networks.resources import MembershipResource


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


class NetworkRuleInline(admin.TabularInline):
    model = ReminderRule
    fk_name = "network"
    extra = 0
    fields = ["minutes_before", "is_active"]


@admin.register(Network)
class NetworkAdmin(TranslationAdmin):
    list_display = ["name", "kind", "scope_display", "host_organisation", "host_city", "is_active"]
    list_filter = ["kind", "is_active", "default_language"]
    search_fields = ["name", "host_organisation"]
    list_select_related = ["host_city"]
    autocomplete_fields = ["host_city", "hosts"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [NetworkMembershipInline, PioneerLinkInline, NetworkRuleInline]

    def get_queryset(self, request):
        return super().get_queryset(request) & managed_networks(request)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            network_ensure_default_rules(obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        reminders_sync_network(network=form.instance)


class StatusChangeInline(admin.TabularInline):
    model = MembershipStatusChange
    extra = 0
    fields = ["status", "changed_at", "changed_by", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(FastMembershipSearch, NetworkScoped, ImportLoggedExport, HistoryAdmin):
    resource_classes = [MembershipResource]
    list_display = ["city", "network", "role", "status", "joined_on", "status_changed_at"]
    list_filter = ["network", "role", "status", "joined_on"]
    search_fields = ["city__name"]  # shows the box; FastMembershipSearch does the searching
    list_select_related = ["city", "network"]
    autocomplete_fields = ["city", "network"]
    readonly_fields = ["status_changed_at"]
    # Newest first by primary key: ordering by network and city name would sort every row.
    ordering = ["-id"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    inlines = [StatusChangeInline]

    # The form (and a history revert) can change who is a member: the network's
    # reminders follow, as they do after membership_set_status().
    def save_model(self, request, obj, form, change):
        # A membership moved to another network leaves the old one to sync too.
        obj._synced_networks = {obj.network_id, form.initial.get("network")} - {None}
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        synced = getattr(form.instance, "_synced_networks", {form.instance.network_id})
        for network in Network.objects.filter(pk__in=synced):
            reminders_sync_network(network=network)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        reminders_sync_network(network=obj.network)

    def delete_queryset(self, request, queryset):
        networks = list(Network.objects.filter(memberships__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for network in networks:
            reminders_sync_network(network=network)


@admin.register(PioneerLink)
class PioneerLinkAdmin(NetworkScoped, LoggedExport, HistoryAdmin):
    list_display = ["pioneer", "mentee", "network", "status", "focus", "started_on"]
    list_filter = ["network", "status", "focus"]
    search_fields = ["pioneer__name", "mentee__name"]
    list_select_related = ["pioneer", "mentee", "network"]
    autocomplete_fields = ["pioneer", "mentee", "network"]


@admin.register(DirectoryExport)
class DirectoryExportAdmin(admin.ModelAdmin):
    """The log of directory exports: read-only."""

    list_display = ["at", "user", "filters"]
    list_filter = ["at"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    readonly_fields = ["at", "user", "filters"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # an audit log

    def has_change_permission(self, request, obj=None):
        return False


from networks import application_admin, meeting_admin  # noqa: E402,F401  (registers ApplicationAdmin)
