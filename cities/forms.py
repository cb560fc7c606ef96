from django import forms
from django.utils.translation import gettext_lazy as _

from cities.images import reencode_image
from cities.models import City, CityOfficial, Principle

WEBSITE_ERROR = _("Enter a web address starting with http:// or https://.")


MAX_ID = 2**63 - 1  # the largest id any of our databases stores


class PrincipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_code_display()

    def _check_values(self, value):
        # Django passes a number too big for the database to the query, which fails
        # there (a 500); to the person who sent it, it is just not a valid choice.
        for pk in value:
            try:
                too_big = abs(int(str(pk))) > MAX_ID
            except ValueError:
                continue  # Django reports it as an invalid value
            if too_big:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class ReencodedLogoMixin:
    """A ModelForm's new `logo` upload is decoded and re-encoded, or refused (admin too)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("logo")
        if isinstance(field, forms.ImageField):
            # The model's ImageField would open the upload with Pillow before clean_logo
            # and refuse an oversized one as "not an image"; reencode_image checks the
            # size from the header first and says what is wrong.
            self.fields["logo"] = forms.FileField(
                label=field.label,
                required=field.required,
                help_text=field.help_text,
                widget=field.widget,
                max_length=field.max_length,
            )

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, not the stored file
            return reencode_image(logo)
        return logo


class CityProfileForm(ReencodedLogoMixin, forms.ModelForm):
    principles = PrincipleChoiceField(
        queryset=Principle.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Principles your city pledges to"),
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": WEBSITE_ERROR},
    )
    logo = forms.FileField(
        label=_("Photo or logo"),
        required=False,
        help_text=_("JPEG, PNG, WebP or GIF, up to 3 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )

    class Meta:
        model = City
        fields = ["profile", "website", "logo", "principles"]
        widgets = {"profile": forms.Textarea(attrs={"rows": 6})}
        labels = {"profile": _("Description")}

    def clean_website(self):
        website = self.cleaned_data.get("website", "")
        if website and not website.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(WEBSITE_ERROR)
        return website


class ContactAudienceForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out of a submission, the official's current choice stands.
        self.fields["contact_audience"].required = False

    def clean_contact_audience(self):
        return self.cleaned_data.get("contact_audience") or self.instance.contact_audience

    class Meta:
        model = CityOfficial
        fields = ["contact_audience"]
        widgets = {"contact_audience": forms.RadioSelect}
        labels = {"contact_audience": _("Who may see your email address and phone number")}
