"""The public forms of the ways in: a pledge, a city's pledge, a partnership enquiry."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cities.forms import WEBSITE_ERROR, PrincipleChoiceField
from cities.models import Principle
from networks.involvement.models import MESSAGE_MAX, OrganisationKind, PartnerEnquiry, Pledge

CONSENT_ERROR = _("You need to accept the privacy notice to send this form.")


class HoneypotMixin(forms.Form):
    """The bots' trap the application form uses: a field people never see nor fill."""

    # Hidden from people by CSS and labelled for screen readers as "leave empty".
    fax_number = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("fax_number"))


def consent_field(label):
    return forms.BooleanField(label=label, error_messages={"required": CONSENT_ERROR})


def principles_field(label):
    return PrincipleChoiceField(
        queryset=Principle.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label=label,
        error_messages={"required": _("Choose at least one principle.")},
    )


class PledgeForm(HoneypotMixin, forms.ModelForm):
    """Any organisation's pledge; every principle is ticked to begin with."""

    principles = principles_field(_("Principles your organisation supports"))
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": WEBSITE_ERROR},
    )
    consent = consent_field(
        _(
            "I have read the privacy notice and agree that the secretariat processes these "
            "details to confirm and publish the pledge."
        )
    )

    class Meta:
        model = Pledge
        fields = [
            "organisation",
            "kind",
            "country",
            "website",
            "contact_name",
            "contact_email",
            "principles",
            "may_be_listed",
        ]
        labels = {
            "organisation": _("Name of the organisation or government"),
            "may_be_listed": _("The Alliance may list our organisation as a supporter"),
        }
        help_texts = {
            "contact_email": _("We send a link to this address to confirm the pledge."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("principles", list(Principle.objects.all()))

    def clean_website(self):
        website = self.cleaned_data.get("website", "")
        if website and not website.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(WEBSITE_ERROR)
        return website


class CityPledgeForm(forms.Form):
    """A member city's pledge, made by one of its officials from the city's page."""

    principles = principles_field(_("Principles your city pledges to"))
    may_be_listed = forms.BooleanField(
        label=_("The Alliance may list our city as a supporter"), required=False, initial=True
    )


class PartnerEnquiryForm(HoneypotMixin, forms.ModelForm):
    message = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Up to %(max)s characters.") % {"max": MESSAGE_MAX},
    )
    consent = consent_field(
        _(
            "I have read the privacy notice and agree that the secretariat processes these "
            "details to answer my enquiry."
        )
    )

    class Meta:
        model = PartnerEnquiry
        fields = ["organisation", "kind", "contact_name", "contact_email", "message"]


KIND_CHOICES = OrganisationKind.choices
