from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from alliance.admin_history import HistoryAdmin
from alliance.admin_log import log_bulk_change
from alliance.models import FaqEntry, LoginFailure, OutboundEmail, Partner, PartnerPerson, User
from alliance.resources import PartnerResource
from alliance.services import partner_invite, partner_send_invitation
from cities.forms import ReencodedLogoMixin
from networks.admin.spreadsheet_io import SpreadsheetImportExport


class UserChangeForm(BaseUserAdmin.form):
    def clean(self):
        """Staff rights go only to an account whose address is confirmed (issue #15, s. 3)."""
        from alliance.promotion import require_verified

        data = super().clean()
        granted = [
            name
            for name in ("is_staff", "is_superuser")
            if data.get(name) and not self.initial.get(name)
        ]
        if granted and self.instance.pk:
            require_verified(self.instance)
        return data


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]


class PartnerAdminForm(ReencodedLogoMixin, forms.ModelForm):
    pass


@admin.register(Partner)
class PartnerAdmin(SpreadsheetImportExport, HistoryAdmin, TranslationAdmin):
    form = PartnerAdminForm
    resource_classes = [PartnerResource]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "tier", "kind", "website", "is_published"]
    list_filter = ["tier", "kind", "is_published", "networks"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["networks"]


@admin.register(FaqEntry)
class FaqEntryAdmin(TranslationAdmin):
    list_display = ["question", "order", "is_published"]
    list_editable = ["order", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["question", "answer"]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """Every email that went out or failed; read-only, with a retry for failures."""

    list_display = ["created_at", "template", "to", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]
    actions = ["retry"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        """The bodies for operators only: a password-reset email, a partner invitation
        or an address confirmation carries a link that takes the account, and the
        secretariat and auditors (read-only) would otherwise read it here. What was
        sent, to whom and how the delivery went is enough to diagnose a failure."""
        fields = super().get_fields(request, obj)
        if request.user.is_superuser:
            return fields
        return [name for name in fields if name not in ("body_text", "body_html")]

    def lookup_allowed(self, lookup, value, request):
        # Nor searched: ?body_text__contains= reads a link one character at a time.
        if lookup.startswith(("body_text", "body_html")) and not request.user.is_superuser:
            return False
        return super().lookup_allowed(lookup, value, request)

    def has_retry_permission(self, request):
        return request.user.has_perm("alliance.change_outboundemail")

    @admin.action(description=_("Send the selected failed emails again"), permissions=["retry"])
    def retry(self, request, queryset):
        from alliance.mail.outbox import enqueue_delivery

        failed = list(queryset.filter(status=OutboundEmail.Status.FAILED))
        for email in failed:
            OutboundEmail.objects.filter(pk=email.pk).update(
                status=OutboundEmail.Status.PENDING, next_attempt_at=timezone.now(), attempts=0
            )
            enqueue_delivery(email.pk)
        log_bulk_change(request, failed, str(_("Queued again (from the list)")))
        self.message_user(request, _("%(n)d emails queued again.") % {"n": len(failed)})


class PartnerPersonAddForm(forms.ModelForm):
    email = forms.EmailField(label=_("Email address"))
    first_name = forms.CharField(label=_("First name"), required=False, max_length=150)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=150)

    class Meta:
        model = PartnerPerson
        fields = ["partner"]

    def clean_email(self):
        email = self.cleaned_data["email"]
        if PartnerPerson.objects.filter(user__email__iexact=email).exists():
            raise forms.ValidationError(_("This person has already been invited."))
        return email


@admin.register(PartnerPerson)
class PartnerPersonAdmin(admin.ModelAdmin):
    """Invite partners' people; the invitation email lets them choose a password."""

    list_display = ["user", "partner", "invited_at", "invited_by"]
    list_filter = ["partner"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "partner__name"]
    list_select_related = ["user", "partner", "invited_by"]
    autocomplete_fields = ["partner"]
    readonly_fields = ["user", "invited_at", "invited_by"]
    actions = ["send_again"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = PartnerPersonAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["partner", "email", "first_name", "last_name"]
        return ["user", "partner", "invited_at", "invited_by"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        person = partner_invite(
            partner=form.cleaned_data["partner"],
            email=form.cleaned_data["email"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            invited_by=request.user,
        )
        obj.pk, obj.user = person.pk, person.user
        obj._state.adding = False

    @admin.action(description=_("Send the invitation again"), permissions=["change"])
    def send_again(self, request, queryset):
        people = list(queryset.select_related("user", "partner"))
        for person in people:
            partner_send_invitation(person=person)
        log_bulk_change(request, people, str(_("Invitation sent again (from the list)")))
        self.message_user(request, _("Invitations sent again."))


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    """Failed sign-ins, for the operators (superusers): read-only."""

    list_display = ["at", "identifier", "ip_address", "path"]
    list_filter = ["at"]
    search_fields = ["identifier", "ip_address"]
    readonly_fields = [f.name for f in LoginFailure._meta.fields]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
