"""Meetings in the admin: start entered in the network's time zone, the ledger on show."""

import zoneinfo

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alliance.admin_history import HistoryAdmin
from alliance.admin_log import log_bulk_change
from alliance.local_time import LocalDateTimeField, aware_from_local
from alliance.mail import delivery
from networks.access import scope_error
from networks.admin.one_sync import OneLedgerSync
from networks.admin.scoped import NetworkScoped
from networks.admin.spreadsheet_io import LoggedExport
from networks.meetings.reminders import next_due, reminder_message, resend_failed
from networks.meetings.services import meeting_cancel, meeting_reschedule, meeting_schedule
from networks.models import Meeting, Network, Reminder, ReminderRule


class MeetingForm(forms.ModelForm):
    local_start = LocalDateTimeField(
        label=_("Start (network's local time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        help_text=_("In the time zone of the network, e.g. America/Bogota for Latin America."),
    )

    class Meta:
        model = Meeting
        fields = ["network", "title", "agenda", "duration_minutes", "place", "online_url"]

    online_url = forms.URLField(
        label=_("Online link"), required=False, max_length=500, assume_scheme="https"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            network = self._own_network()
            zone = zoneinfo.ZoneInfo(network.time_zone if network else "UTC")
            self.initial["local_start"] = timezone.make_naive(self.instance.starts_at, zone)

    def _own_network(self):
        """The meeting's network; None when an old version names one deleted since."""
        return Network.objects.filter(pk=self.instance.network_id).first()

    def clean(self):
        data = super().clean()
        # On the change page the network is read-only, so it is not in the form's data.
        network = data.get("network") or (self._own_network() if self.instance.pk else None)
        if self.instance.pk and network is None:
            raise ValidationError(_("The network of this version no longer exists."))
        local = data.get("local_start")
        if self.instance.pk and local and "local_start" not in self.changed_data:
            # Untouched: keep the stored instant, even the second of a twice-occurring time,
            # which the typed text alone would read as the first.
            data["starts_at"] = self.instance.starts_at
        elif network and local:
            try:
                data["starts_at"] = aware_from_local(local, network.time_zone)
            except ValidationError as error:
                self.add_error("local_start", error)
                return data
            if not self.instance.pk and data["starts_at"] <= timezone.now():
                self.add_error("local_start", _("A new meeting must start in the future."))
        return data


class MeetingRuleInline(admin.TabularInline):
    model = ReminderRule
    fk_name = "meeting"
    extra = 0
    fields = ["minutes_before", "is_active"]
    verbose_name_plural = _("reminder rules for this meeting (replace the network's)")


@admin.register(Meeting)
class MeetingAdmin(OneLedgerSync, NetworkScoped, LoggedExport, HistoryAdmin):
    form = MeetingForm
    list_display = ["title", "network", "local_start", "status", "place"]
    list_filter = ["status", "network"]
    search_fields = ["title", "agenda", "place"]
    list_select_related = ["network"]
    autocomplete_fields = ["network"]
    date_hierarchy = "starts_at"
    inlines = [MeetingRuleInline]
    actions = ["cancel_meetings"]
    change_form_template = "admin/networks/meeting/change_form.html"

    # A revert saves like the change page: a new start is a reschedule, and what follows
    # is networks.facts.meetings'. Status changes only by cancelling, which no revert
    # undoes (revert_refusal); a deleted meeting is not re-created from a version.
    has_lifecycle = True

    def revert_refusal(self, request, current, version):
        refusal = super().revert_refusal(request, current, version)
        if refusal or current is None:
            return refusal
        if version.status != current.status:
            return gettext(
                "This version is from before the meeting was cancelled. Its members were "
                "told it is cancelled and their calendars removed it, so a revert cannot "
                "bring it back: schedule a new meeting instead."
            )
        if current.status == Meeting.Status.CANCELLED and version.starts_at != current.starts_at:
            return gettext("A cancelled meeting cannot be rescheduled.")
        return None

    def get_readonly_fields(self, request, obj=None):
        return ["network"] if obj else []

    class Media:
        css = {"all": ["css/admin.css"]}

    @admin.display(description=_("Start (network's local time)"), ordering="starts_at")
    def local_start(self, obj):
        # As the form asks for it: the server's UTC put a New Year's Day meeting in
        # Auckland on 31 December.
        with timezone.override(obj.network.time_zone):
            moment = date_format(timezone.localtime(obj.starts_at), "DATETIME_FORMAT")
        return f"{moment} ({obj.network.time_zone})"

    def save_model(self, request, obj, form, change):
        """The services check who may and whether a new start is allowed; what follows
        (SEQUENCE, ledger, members told) is networks.facts.meetings' for every writer."""
        starts_at = form.cleaned_data["starts_at"]
        if not change:
            obj.starts_at = starts_at
            meeting_schedule(meeting=obj, by=request.user)
            return
        refused = scope_error(request.user, obj)  # e.g. a history revert
        if refused:
            raise PermissionDenied(refused)
        # A revert's instance carries the old version's start: compare with the stored one.
        obj.starts_at = Meeting.objects.values_list("starts_at", flat=True).get(pk=obj.pk)
        if starts_at != obj.starts_at:
            try:
                meeting_reschedule(meeting=obj, starts_at=starts_at, by=request.user)
                return
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        obj.save()

    @admin.action(
        description=_("Cancel the selected meetings (tells every member)"), permissions=["change"]
    )
    def cancel_meetings(self, request, queryset):
        cancelled = [m for m in queryset if m.status != Meeting.Status.CANCELLED]
        for meeting in cancelled:
            meeting_cancel(meeting=meeting, by=request.user)
        log_bulk_change(request, cancelled, str(_("Cancelled (from the list)")))
        self.message_user(request, _("Meetings cancelled."), messages.SUCCESS)

    def get_urls(self):
        return [
            path(
                "<int:pk>/resend-failed/",
                self.admin_site.admin_view(self.resend_failed_view),
                name="networks_meeting_resend_failed",
            ),
            path(
                "<int:pk>/test-reminder/",
                self.admin_site.admin_view(self.test_reminder_view),
                name="networks_meeting_test_reminder",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        meeting = self.get_object(request, object_id)
        if meeting is not None:
            counts = dict(
                meeting.reminders.values_list("status").annotate(n=Count("id")).order_by()
            )
            extra_context = {
                **(extra_context or {}),
                "ledger_counts": [
                    (label, counts.get(value, 0)) for value, label in Reminder.Status.choices
                ],
                "ledger_problems": meeting.reminders.filter(
                    status__in=[Reminder.Status.FAILED, Reminder.Status.MISSED]
                ).select_related("recipient", "rule")[:200],
                "ledger_next": next_due(meeting),
                "ledger_url": reverse("admin:networks_reminder_changelist")
                + f"?meeting__id__exact={meeting.pk}",
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def _meeting_or_404(self, request, pk):
        meeting = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, meeting):
            raise PermissionDenied
        return meeting

    def resend_failed_view(self, request, pk):
        meeting = self._meeting_or_404(request, pk)
        if request.method != "POST":
            return redirect("admin:networks_meeting_change", pk)
        count = resend_failed(meeting=meeting)
        self.message_user(request, _("%(n)d failed reminders will be sent again.") % {"n": count})
        return redirect("admin:networks_meeting_change", pk)

    def test_reminder_view(self, request, pk):
        """Send this meeting's reminder to the staff member, now, outside the ledger."""
        meeting = self._meeting_or_404(request, pk)
        if request.method != "POST":
            return redirect("admin:networks_meeting_change", pk)
        rule = (
            next(iter(meeting.reminder_rules.all()), None) or meeting.network.reminder_rules.first()
        )
        sample = Reminder(meeting=meeting, recipient=request.user, rule=rule, pk=0)
        message = reminder_message(sample, test=True)
        try:
            delivery.send_now(message)
        except OSError as exc:
            self.message_user(
                request, _("The test reminder failed: %(e)s") % {"e": exc}, messages.ERROR
            )
        else:
            self.message_user(
                request, _("A test reminder was sent to %(email)s.") % {"email": request.user.email}
            )
        return redirect("admin:networks_meeting_change", pk)


@admin.register(Reminder)
class ReminderAdmin(NetworkScoped, admin.ModelAdmin):
    """The ledger: every reminder that is due, went out, failed or was cancelled."""

    network_path = "meeting__network"
    list_display = [
        "meeting",
        "recipient",
        "nomination",
        "rule",
        "due_at",
        "status",
        "attempts",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status", "meeting__network"]
    search_fields = ["recipient__email", "meeting__title"]
    list_select_related = ["meeting", "recipient", "nomination__call__meeting", "rule"]
    date_hierarchy = "due_at"
    show_full_result_count = False
    readonly_fields = [f.name for f in Reminder._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
