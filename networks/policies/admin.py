"""The secretariat's review of submitted policies, and the roadmap in the admin.

A policy changes state only through `services.policy_decide` (the change form's
"decision" and the bulk actions), which emails the submitter; a history revert keeps
the state (revert_keeps). Hosts have no permission on policies (alliance.roles): the
library is the Alliance's as a whole. Roadmap steps are city data: hosts see and edit
those of the cities in their scope (CityScoped), the secretariat all.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alliance.admin_history import HistoryAdmin
from networks.admin.scoped import CityScoped
from networks.policies import services, views
from networks.policies.forms import https_links
from networks.policies.models import Policy, RoadmapEntry

Status = Policy.Status


class PolicyAdminForm(forms.ModelForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[("", _("No change"))] + [c for c in Status.choices if c[0] != Status.SUBMITTED],
        help_text=_(
            "Asking for more information or declining needs the question or reason below: "
            "the submitter receives it by email, in their language."
        ),
    )

    class Meta:
        model = Policy
        formfield_callback = https_links
        fields = [
            "title",
            "kind",
            "adopter",
            "country",
            "city",
            "principles",
            "model_policies",
            "summary",
            "adopted_on",
            "policy_language",
            "link",
            "submitter_name",
            "submitter_email",
            "decision_note",
            "is_illustrative",
        ]

    def clean(self):
        # The service checks the same; here the reason shows on the form, nothing saved.
        data = super().clean()
        decision = data.get("decision")
        if decision and self.instance.pk:
            current = Policy.objects.filter(pk=self.instance.pk).values_list("status", flat=True)
            if Status(decision) not in services.NEXT[Status(current.first())]:
                self.add_error(
                    "decision", _("This decision is not possible from the current state.")
                )
            elif (
                Status(decision) in services.NEEDS_NOTE
                and not data.get("decision_note", "").strip()
            ):
                self.add_error(
                    "decision_note",
                    _("Write the question or the reason: the submitter receives it."),
                )
        return data


@admin.register(Policy)
class PolicyAdmin(HistoryAdmin):
    form = PolicyAdminForm
    list_display = ["title", "adopter", "country", "kind", "status", "created_at"]
    list_filter = ["status", "kind", "country", "policy_language", "is_illustrative"]
    search_fields = ["title", "adopter", "submitter_email"]
    date_hierarchy = "created_at"
    filter_horizontal = ["principles"]
    raw_id_fields = ["city"]
    readonly_fields = [
        "status",
        "pdf_link",
        "language",
        "submitted_by",
        "created_at",
        "resubmitted_at",
        "decided_at",
    ]
    exclude = ["pdf"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # as the public form
    actions = ["start_review", "accept"]
    revert_keeps = ("status", "decided_at", "resubmitted_at", "decision_note")

    def has_add_permission(self, request):
        return False  # policies come from their submitters

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj):
        if not obj.pdf:
            return "—"
        url = reverse("admin:networks_policy_pdf", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download the PDF"))

    def get_urls(self):
        pdf = path(
            "<path:object_id>/pdf/",
            self.admin_site.admin_view(self.pdf_view),
            name="networks_policy_pdf",
        )
        return [pdf, *super().get_urls()]

    def pdf_view(self, request, object_id):
        # The admin site has checked that object_id is a key of this model (admin_site.py).
        policy = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, policy):
            raise PermissionDenied
        return views.pdf_response(policy)

    def save_model(self, request, obj, form, change):
        decision = form.cleaned_data.get("decision")
        super().save_model(request, obj, form, change)
        if decision:
            try:
                services.policy_decide(
                    policy=obj, status=decision, note=obj.decision_note, by=request.user
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)

    def _decide(self, request, queryset, status):
        changed = 0
        for policy in queryset:
            try:
                services.policy_decide(policy=policy, status=status, by=request.user)
            except ValidationError:
                continue
            changed += 1
        self.message_user(
            request,
            ngettext("%(n)d policy changed.", "%(n)d policies changed.", changed) % {"n": changed},
            messages.SUCCESS,
        )

    @admin.action(description=_("Start reviewing the selected policies"), permissions=["change"])
    def start_review(self, request, queryset):
        self._decide(request, queryset, Status.UNDER_REVIEW)

    @admin.action(
        description=_("Accept the selected policies into the library"), permissions=["change"]
    )
    def accept(self, request, queryset):
        self._decide(request, queryset, Status.ACCEPTED)


@admin.register(RoadmapEntry)
class RoadmapEntryAdmin(CityScoped, HistoryAdmin):
    list_display = ["city", "model_policy", "status", "since", "updated_at"]
    list_filter = ["model_policy", "status"]
    list_select_related = ["city"]
    autocomplete_fields = ["city"]
    raw_id_fields = ["evidence_policy"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
