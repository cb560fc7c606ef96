"""The secretariat's side of pledges and partnership enquiries.

Hosts have no permission on either (alliance.roles.HOST_PERMISSIONS): both concern the
Alliance as a whole, not one network. Pledges change state only through the actions,
which call the services; a history revert keeps the state (revert_keeps).
"""

from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alliance.admin_history import HistoryAdmin
from networks.involvement import services
from networks.involvement.models import PartnerEnquiry, Pledge


@admin.register(Pledge)
class PledgeAdmin(HistoryAdmin):
    list_display = [
        "organisation",
        "kind",
        "country",
        "status",
        "may_be_listed",
        "created_at",
        "confirmed_at",
    ]
    list_filter = ["status", "kind", "country", "may_be_listed"]
    search_fields = ["organisation", "contact_name", "contact_email"]
    list_select_related = ["city"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "status",
        "language",
        "city",
        "submitted_by",
        "created_at",
        "confirmed_at",
        "decided_at",
    ]
    filter_horizontal = ["principles"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # as the public form
    actions = ["publish", "decline"]
    revert_keeps = ("status", "confirmed_at", "decided_at")

    def has_add_permission(self, request):
        return False  # pledges come from their contacts, who confirm them

    @admin.action(description=_("Publish the selected pledges"), permissions=["change"])
    def publish(self, request, queryset):
        count = services.pledges_publish(pledges=queryset, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(n)d pledge published (unconfirmed ones are left as they are).",
                "%(n)d pledges published (unconfirmed ones are left as they are).",
                count,
            )
            % {"n": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Decline the selected pledges"), permissions=["change"])
    def decline(self, request, queryset):
        count = services.pledges_decline(pledges=queryset, by=request.user)
        self.message_user(
            request,
            ngettext("%(n)d pledge declined.", "%(n)d pledges declined.", count) % {"n": count},
            messages.SUCCESS,
        )


@admin.register(PartnerEnquiry)
class PartnerEnquiryAdmin(HistoryAdmin):
    list_display = ["organisation", "kind", "contact_name", "status", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["organisation", "contact_name", "contact_email"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "organisation",
        "kind",
        "contact_name",
        "contact_email",
        "message",
        "language",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False  # enquiries come from the public form
