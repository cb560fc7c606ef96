from django import forms
from django.utils.translation import gettext_lazy as _

from cities.forms import WEBSITE_ERROR, PrincipleChoiceField
from cities.models import City, Principle
from networks.applications.models import MOTIVATION_MAX
from networks.models import Application, Network

# What describes a city that is not in the directory yet.
NEW_CITY_FIELDS = [
    "city_name",
    "city_country",
    "city_region",
    "city_population",
    "city_time_zone",
    "city_website",
]


class ApplicationForm(forms.ModelForm):
    """The application, for a city in the directory (`city`) or a new one (city_* fields)."""

    city = forms.ModelChoiceField(
        queryset=City.objects.all(), to_field_name="slug", required=False, widget=forms.HiddenInput
    )
    network = forms.ModelChoiceField(
        queryset=Network.objects.active(), label=_("Network you apply to"), empty_label=None
    )
    principles = PrincipleChoiceField(
        queryset=Principle.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Principles your city pledges to"),
        error_messages={"required": _("Choose at least one principle.")},
    )
    city_population = forms.IntegerField(
        label=_("Population"),
        required=False,
        min_value=1,
        max_value=100_000_000,
        # A text box, so "about 400k" reaches the server and gets a clear message.
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Enter the population as a positive whole number, such as 250000."),
            "min_value": _("Enter the population as a positive whole number, such as 250000."),
        },
    )
    city_website = forms.URLField(
        label=_("City website"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": WEBSITE_ERROR},
    )
    motivation = forms.CharField(
        label=_("What does your city want from the network?"),
        max_length=MOTIVATION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Up to %(max)s characters.") % {"max": MOTIVATION_MAX},
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that the secretariat processes "
            "these details to review the application."
        ),
        error_messages={"required": _("You need to accept the privacy notice to apply.")},
    )
    # Hidden from people by CSS and labelled for screen readers as "leave empty".
    fax_number = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = Application
        fields = [
            "city",
            *NEW_CITY_FIELDS,
            "network",
            "applicant_name",
            "applicant_position",
            "applicant_email",
            "applicant_phone",
            "principles",
            "motivation",
        ]
        help_texts = {
            "city_time_zone": _("An IANA time zone name, such as America/Bogota or Asia/Kolkata."),
            "applicant_email": _("The address at the city government where we can reach you."),
        }

    NEW_CITY_REQUIRED = ["city_name", "city_country", "city_population", "city_time_zone"]

    def __init__(self, *args, existing_city: City | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_city = existing_city
        if existing_city is not None:
            self.initial["city"] = existing_city.slug
            for name in NEW_CITY_FIELDS:
                del self.fields[name]
        else:
            del self.fields["city"]
            for name in self.NEW_CITY_REQUIRED:
                self.fields[name].required = True

    def clean_city_website(self):
        website = self.cleaned_data.get("city_website", "")
        if website and not website.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(WEBSITE_ERROR)
        return website

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("fax_number"))

    def clean(self):
        data = super().clean()
        if self.existing_city is not None:
            data["city"] = self.existing_city
        return data


class CitySearchForm(forms.Form):
    q = forms.CharField(label=_("City name"), max_length=100, required=False)


class DecisionForm(forms.Form):
    """The secretariat's message when rejecting or asking for more information."""

    message = forms.CharField(
        label=_("Message to the applicant"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
    )
