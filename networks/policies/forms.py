"""The policy submission form (and its resubmission), and a city's roadmap form."""

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.forms import WEBSITE_ERROR
from cities.models import City
from networks.involvement.forms import HoneypotMixin, consent_field, principles_field
from networks.models.pioneers import ModelPolicy
from networks.policies.files import MAX_BYTES, check_pdf
from networks.policies.models import SUMMARY_MAX, Policy, RoadmapEntry


def https_links(db_field, **kwargs):
    """The form field of `db_field`; a link typed without a scheme is read as https://
    (the declared link fields say so too; this covers the model-built defaults, which
    Django builds before replacing them, and would otherwise warn about Django 6.0)."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


CITY_MAX = 200


def _http_only(value: str) -> str:
    if value and not value.lower().startswith(("http://", "https://")):
        raise forms.ValidationError(WEBSITE_ERROR)
    return value


class PolicyForm(forms.ModelForm):
    """What a submitter writes about a policy; used again to answer a question."""

    principles = principles_field(_("Principles the policy relates to"))
    model_policies = forms.MultipleChoiceField(
        label=_("Model policies of the roadmap it relates to"),
        choices=ModelPolicy.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    city_name = forms.CharField(
        label=_("City in the Alliance’s directory (optional)"),
        max_length=CITY_MAX,
        required=False,
        help_text=_("The address of its page in the directory, e.g. /cities/bilbao-es/."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Up to %(max)s characters.") % {"max": SUMMARY_MAX},
    )
    link = forms.URLField(
        label=_("Link to the policy"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": WEBSITE_ERROR},
    )
    pdf = forms.FileField(
        label=_("PDF of the policy"),
        required=False,
        help_text=_("A PDF of up to %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)},
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
    )

    class Meta:
        model = Policy
        formfield_callback = https_links
        fields = [
            "title",
            "kind",
            "adopter",
            "country",
            "principles",
            "summary",
            "adopted_on",
            "policy_language",
            "link",
            "pdf",
            "submitter_name",
            "submitter_email",
        ]
        labels = {"adopter": _("Who adopted it (government or organisation)")}
        widgets = {"adopted_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("model_policies", self.instance.model_policy_values)
            if self.instance.city_id:
                self.initial.setdefault("city_name", self.instance.city.slug)

    def clean_city_name(self):
        text = self.cleaned_data.get("city_name", "").strip().strip("/")
        if not text:
            return None
        slug = text.rsplit("/", 1)[-1][:100]
        city = City.objects.filter(slug=slug).only("pk", "slug").first()
        if city is None:
            raise forms.ValidationError(_("No city of the directory has this address."))
        return city

    def clean_link(self):
        return _http_only(self.cleaned_data.get("link", ""))

    def clean_pdf(self):
        pdf = self.cleaned_data.get("pdf")
        if pdf and hasattr(pdf, "content_type"):  # a new upload, not the stored file
            check_pdf(pdf)
        return pdf

    def clean_adopted_on(self):
        day = self.cleaned_data.get("adopted_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("Give the day the policy was adopted, not a future one."))
        return day

    def clean(self):
        data = super().clean()
        if not data.get("link") and not data.get("pdf") and not self.errors.get("pdf"):
            raise forms.ValidationError(_("Give a link to the policy, or attach its PDF."))
        return data

    def apply(self, policy: Policy) -> Policy:
        """Copy what is not a model field of the form onto `policy` (not saved)."""
        values = self.cleaned_data.get("model_policies") or []
        policy.model_policies = f",{','.join(values)}," if values else ""
        policy.city = self.cleaned_data.get("city_name")
        return policy


class PolicySubmitForm(HoneypotMixin, PolicyForm):
    """The public form: the pledge form's honeypot and a consent to the privacy notice."""

    consent = consent_field(
        _(
            "I have read the privacy notice and agree that the secretariat processes these "
            "details to review the policy and write to me about it."
        )
    )


class PolicyResubmitForm(PolicyForm):
    """The same fields, less the submitter's address (the signed link was sent to it)."""

    class Meta(PolicyForm.Meta):
        fields = [f for f in PolicyForm.Meta.fields if f != "submitter_email"]


class PolicyChoiceField(forms.ModelChoiceField):
    """A policy by id; a value that is no id (or too big for one) is an invalid choice."""

    def to_python(self, value):
        # An id no database column holds is just not a valid choice (not a 500).
        if value not in self.empty_values:
            text = str(value)
            if not text.isdigit() or len(text) > 18:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                )
        return super().to_python(value)


class RoadmapEntryForm(forms.ModelForm):
    """One model policy's step, on a city's roadmap page (prefix: the model policy)."""

    evidence_url = forms.URLField(
        label=_("Evidence: a link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": WEBSITE_ERROR},
    )
    evidence_policy = PolicyChoiceField(
        queryset=Policy.objects.none(),
        required=False,
        label=_("Evidence: a policy of the library"),
    )

    class Meta:
        model = RoadmapEntry
        formfield_callback = https_links
        fields = ["status", "since", "evidence_url", "evidence_policy"]
        widgets = {"since": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        # The city's own accepted policies (bounded: a city contributes a handful).
        self.fields["evidence_policy"].queryset = Policy.objects.in_library().filter(city=city)

    def clean_evidence_url(self):
        return _http_only(self.cleaned_data.get("evidence_url", ""))

    def clean_since(self):
        day = self.cleaned_data.get("since")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("Give a day that has passed."))
        return day
