"""The secretariat's review of applications."""

import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from alliance.admin_history import HistoryAdmin
from alliance.admin_log import log_bulk_change
from networks.admin.paging import FoldedCitySearch
from networks.admin.scoped import NetworkScoped
from networks.admin.spreadsheet_io import LoggedExport
from networks.applications.forms import DecisionForm
from networks.applications.services import (
    application_approve,
    application_reject,
    application_request_info,
    application_start_review,
)
from networks.models import Application, ApplicationEvent


class CountryFilter(admin.SimpleListFilter):
    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        from django_countries import countries

        applications = model_admin.get_queryset(request)
        codes = set(
            applications.exclude(city__isnull=True).values_list("city__country", flat=True)
        ) | set(applications.exclude(city_country="").values_list("city_country", flat=True))
        return [(code, countries.name(code)) for code in sorted(codes) if code]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(Q(city__country=self.value()) | Q(city_country=self.value()))
        return queryset


class AgeFilter(admin.SimpleListFilter):
    title = _("waiting for")
    parameter_name = "age"
    DAYS = {"7": 7, "30": 30, "90": 90}

    def lookups(self, request, model_admin):
        return [
            ("7", _("more than a week")),
            ("30", _("more than a month")),
            ("90", _("more than three months")),
        ]

    def queryset(self, request, queryset):
        days = self.DAYS.get(self.value() or "")
        if days is None:
            return queryset
        cutoff = timezone.now() - datetime.timedelta(days=days)
        return queryset.open().filter(submitted_at__lt=cutoff)


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    fields = ["at", "status", "by", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


def _short_date(moment):
    """A timestamp as the day it fell on, with the exact time in a tooltip ("-" if none)."""
    if moment is None:
        return "-"
    local = timezone.localtime(moment)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        local.isoformat(),
        formats.date_format(local, "DATETIME_FORMAT"),
        formats.date_format(local, "SHORT_DATE_FORMAT"),
    )


def _each(modeladmin, request, queryset, service, done_message, **kwargs):
    done = []
    for application in queryset:
        try:
            service(application=application, reviewer=request.user, **kwargs)
        except ValidationError as error:
            modeladmin.message_user(
                request, f"{application}: {' '.join(error.messages)}", messages.ERROR
            )
        except PermissionDenied as error:
            modeladmin.message_user(request, f"{application}: {error}", messages.ERROR)
        else:
            done.append(application)
    if done:
        log_bulk_change(request, done, _action_log_message(request))
        modeladmin.message_user(request, done_message(len(done)), messages.SUCCESS)


def _action_log_message(request) -> str:
    """What the admin's log says a bulk action did: the action's own description."""
    action = request.POST.get("action", "")
    func = getattr(ApplicationAdmin, action, None)
    description = getattr(func, "short_description", action)
    return _("%(action)s (from the list)") % {"action": description}


def _with_message(modeladmin, request, queryset, service, title, done_message, argument):
    """An action that needs a written message: ask for it on an intermediate page."""
    form = DecisionForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        _each(
            modeladmin,
            request,
            queryset,
            service,
            done_message,
            **{argument: form.cleaned_data["message"]},
        )
        return None
    return render(
        request,
        "admin/networks/application/decision.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "form": form,
            "applications": queryset,
            "action": request.POST.get("action"),
            "opts": modeladmin.model._meta,
        },
    )


@admin.register(Application)
class ApplicationAdmin(FoldedCitySearch, NetworkScoped, LoggedExport, HistoryAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # Dates as dates (the time is in the cell's tooltip) and the applicant under their
    # own heading: with the filters beside it the list fits a 1366px screen.
    list_display = [
        "display_city_name",
        "network",
        "status",
        "applicant_column",
        "submitted",
        "decided",
    ]
    list_filter = ["status", "network", CountryFilter, AgeFilter]
    search_fields = ["city__name", "city_name", "applicant_name", "applicant_email"]
    folded_name_fields = ("city_search_name",)
    list_select_related = ["city", "network"]
    autocomplete_fields = ["city", "network", "applicant"]
    readonly_fields = ["status", "submitted_at", "decided_at", "decided_by", "consented_at"]
    filter_horizontal = ["principles"]
    inlines = [ApplicationEventInline]
    actions = ["take_under_review", "approve", "request_more_information", "reject"]
    date_hierarchy = "submitted_at"
    # The decision and its dates change only through the review actions, which tell the
    # applicant (and on approval add the city and its membership); what the applicant
    # wrote reverts like any content.
    revert_keeps = ("status", "submitted_at", "decided_at", "decided_by", "consented_at")

    def revert_refusal(self, request, current, version):
        refusal = super().revert_refusal(request, current, version)
        if refusal or current is None or version.status == current.status:
            return refusal
        return gettext(
            "This version is from when the application was “%(then)s”; it is now “%(now)s”. "
            "An application's status changes only through the review actions, which tell "
            "the applicant, so a revert cannot change it."
        ) % {"then": version.get_status_display(), "now": current.get_status_display()}

    def get_ordering(self, request):
        # Waiting applications first, the oldest at the top; decided ones after.
        waiting_first = Case(
            When(status__in=Application.OPEN, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return [waiting_first.asc(), "submitted_at", "id"]

    @admin.display(description=_("city"), ordering="city_name")
    def display_city_name(self, application):
        return application.display_city_name

    # The model's label is the public form's ("Your name"), which reads wrong here.
    @admin.display(description=_("applicant"), ordering="applicant_name")
    def applicant_column(self, application):
        return application.applicant_name

    @admin.display(description=_("submitted"), ordering="submitted_at")
    def submitted(self, application):
        return _short_date(application.submitted_at)

    @admin.display(description=_("decided"), ordering="decided_at")
    def decided(self, application):
        return _short_date(application.decided_at)

    class Media:
        css = {"all": ["css/admin.css"]}

    @admin.action(
        description=_("Take the selected applications under review"), permissions=["change"]
    )
    def take_under_review(self, request, queryset):
        _each(
            self,
            request,
            queryset,
            application_start_review,
            lambda n: (
                ngettext("%d application under review.", "%d applications under review.", n) % n
            ),
        )

    @admin.action(description=_("Approve the selected applications"), permissions=["change"])
    def approve(self, request, queryset):
        _each(
            self,
            request,
            queryset,
            application_approve,
            lambda n: ngettext("%d application approved.", "%d applications approved.", n) % n,
        )

    @admin.action(description=_("Ask the applicants for more information…"), permissions=["change"])
    def request_more_information(self, request, queryset):
        return _with_message(
            self,
            request,
            queryset,
            application_request_info,
            _("Ask for more information"),
            lambda n: ngettext("%d applicant asked.", "%d applicants asked.", n) % n,
            "message",
        )

    @admin.action(description=_("Reject the selected applications…"), permissions=["change"])
    def reject(self, request, queryset):
        return _with_message(
            self,
            request,
            queryset,
            application_reject,
            _("Reject applications"),
            lambda n: ngettext("%d application rejected.", "%d applications rejected.", n) % n,
            "reason",
        )
