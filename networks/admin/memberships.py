from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from alliance.admin_history import HistoryAdmin
from alliance.admin_log import log_bulk_change
from networks import access
from networks.admin.one_sync import OneLedgerSync
from networks.admin.paging import (
    LIST_PER_PAGE,
    EstimatedCountPaginator,
    FastMembershipSearch,
    FoldedCitySearch,
)
from networks.admin.resources import MembershipResource
from networks.admin.scoped import NetworkScoped, managed_networks
from networks.admin.spreadsheet_io import BackgroundImportLoggedExport, LoggedExport
from networks.meetings.reminders import network_ensure_default_rules
from networks.models import (
    DirectoryExport,
    Membership,
    MembershipStatusChange,
    Network,
    PioneerLink,
    ReminderRule,
)
from networks.services import memberships_set_status


class NetworkMembershipInline(NetworkScoped, admin.TabularInline):
    model = Membership
    fk_name = "network"
    extra = 0
    fields = ["city", "role", "status", "joined_on"]
    autocomplete_fields = ["city"]
    show_change_link = True


class PioneerLinkInline(NetworkScoped, admin.TabularInline):
    model = PioneerLink
    extra = 0
    fields = ["pioneer", "mentee", "status", "focus", "started_on"]
    autocomplete_fields = ["pioneer", "mentee"]


class NetworkRuleInline(NetworkScoped, admin.TabularInline):
    model = ReminderRule
    fk_name = "network"
    extra = 0
    fields = ["minutes_before", "is_active"]


class NetworkAdminForm(forms.ModelForm):
    def clean_hosts(self):
        """A new host's account must have confirmed its address (issue #15, section 3)."""
        from alliance.promotion import require_verified

        hosts = self.cleaned_data.get("hosts")
        if not hosts:
            return hosts
        already = (
            set(self.instance.hosts.values_list("pk", flat=True)) if self.instance.pk else set()
        )
        errors = []
        for user in hosts:
            if user.pk not in already:
                try:
                    require_verified(user)
                except ValidationError as error:
                    errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return hosts


@admin.register(Network)
class NetworkAdmin(OneLedgerSync, TranslationAdmin):
    form = NetworkAdminForm
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


class StatusChangeInline(admin.TabularInline):
    model = MembershipStatusChange
    extra = 0
    fields = ["status", "changed_at", "changed_by", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class MembershipAdminForm(forms.ModelForm):
    acting_user = None  # set per request by MembershipAdmin.get_form

    def _post_clean(self):
        super()._post_clean()  # the instance now carries the new values
        if self.acting_user is not None:
            refused = access.membership_error(self.acting_user, self.instance)
            if refused:
                self.add_error("status" if "status" in self.fields else None, refused)


@admin.register(Membership)
class MembershipAdmin(
    OneLedgerSync, FastMembershipSearch, NetworkScoped, BackgroundImportLoggedExport, HistoryAdmin
):
    resource_classes = [MembershipResource]
    import_kind = "memberships"
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
    list_per_page = LIST_PER_PAGE
    inlines = [StatusChangeInline]
    form = MembershipAdminForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.acting_user = request.user  # a class made for this request by modelform_factory
        return form

    # A status restored from the history is a status change like any other
    # (networks.facts.memberships); a deleted membership is not re-created from one.
    has_lifecycle = True
    actions = ["mark_lapsed", "mark_suspended", "mark_withdrawn"]

    def _set_status(self, request, queryset, status):
        """One batch (networks.services.memberships_set_status): a status-change row
        each, the ledger synced once per meeting; refused as a whole if one is not the
        user's to change."""
        try:
            changed = memberships_set_status(
                changes=[(membership, status) for membership in queryset.select_related("city")],
                by=request.user,
                note=gettext("Changed from the list"),
            )
        except PermissionDenied as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return
        log_bulk_change(request, changed, gettext("Changed from the list"))
        self.message_user(
            request,
            ngettext("%(n)d membership changed.", "%(n)d memberships changed.", len(changed))
            % {"n": len(changed)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Mark the selected memberships as lapsed"), permissions=["change"])
    def mark_lapsed(self, request, queryset):
        self._set_status(request, queryset, Membership.Status.LAPSED)

    @admin.action(
        description=_("Mark the selected memberships as suspended"), permissions=["change"]
    )
    def mark_suspended(self, request, queryset):
        self._set_status(request, queryset, Membership.Status.SUSPENDED)

    @admin.action(
        description=_("Mark the selected memberships as withdrawn"), permissions=["change"]
    )
    def mark_withdrawn(self, request, queryset):
        self._set_status(request, queryset, Membership.Status.WITHDRAWN)


@admin.register(PioneerLink)
class PioneerLinkAdmin(FoldedCitySearch, NetworkScoped, LoggedExport, HistoryAdmin):
    city_search_fields = ("pioneer", "mentee")
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
