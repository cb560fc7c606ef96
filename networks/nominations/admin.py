"""Calls for nominations and nominations in the admin, scoped to a host's networks.

Decisions (shortlist, invite, decline) are actions that call
`services.nominations_decide`, which checks the acting user's scope itself; the
nomination's own fields are what a stranger sent and stay read-only.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from alliance.admin_history import HistoryAdmin
from alliance.roles import sees_all_networks
from networks.admin.scoped import NetworkScoped, managed_networks
from networks.models import Meeting
from networks.nominations import services
from networks.nominations.models import Nomination, NominationCall


@admin.register(NominationCall)
class NominationCallAdmin(NetworkScoped, HistoryAdmin, TranslationAdmin):
    network_path = "meeting__network"
    list_display = ["meeting", "deadline", "nomination_count"]
    list_select_related = ["meeting__network"]
    search_fields = ["meeting__title"]
    fields = ["meeting", "summary", "deadline"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(nominations_n=Count("nominations"))

    @admin.display(description=_("nominations"), ordering="nominations_n")
    def nomination_count(self, obj):
        return obj.nominations_n

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "meeting":
            meetings = Meeting.objects.scheduled().select_related("network")
            if not sees_all_networks(request.user):
                meetings = meetings.filter(network__in=managed_networks(request))
            kwargs["queryset"] = meetings
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return ["meeting"] if obj else []

    def save_model(self, request, obj, form, change):
        # The last guard, also for a history revert: the meeting is the host's.
        if not managed_networks(request).filter(pk=obj.meeting.network_id).exists():
            raise PermissionDenied
        super().save_model(request, obj, form, change)


@admin.register(Nomination)
class NominationAdmin(NetworkScoped, HistoryAdmin):
    network_path = "call__meeting__network"
    list_display = ["nominee_name", "call", "organisation", "country", "status", "created_at"]
    list_filter = ["status", "call__meeting__network", "country"]
    search_fields = ["nominee_name", "nominee_email", "organisation"]
    list_select_related = ["call__meeting"]
    readonly_fields = [f.name for f in Nomination._meta.fields if f.name not in ("id",)]
    actions = ["shortlist", "invite", "decline"]
    # Decisions go through the service (emails, the reminder ledger); a revert keeps them.
    revert_keeps = ("status", "decided_at")

    def has_add_permission(self, request):
        return False  # nominations come from the public form

    def _decide(self, request, queryset, status):
        count = services.nominations_decide(nominations=queryset, status=status, by=request.user)
        self.message_user(
            request,
            ngettext("%(n)d nomination changed.", "%(n)d nominations changed.", count)
            % {"n": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Shortlist the selected nominations"), permissions=["change"])
    def shortlist(self, request, queryset):
        self._decide(request, queryset, Nomination.Status.SHORTLISTED)

    @admin.action(
        description=_("Invite the selected nominees (sends the invitation)"),
        permissions=["change"],
    )
    def invite(self, request, queryset):
        self._decide(request, queryset, Nomination.Status.INVITED)

    @admin.action(description=_("Decline the selected nominations"), permissions=["change"])
    def decline(self, request, queryset):
        self._decide(request, queryset, Nomination.Status.DECLINED)
