"""The nomination form, and the events page's choice of time zone."""

import functools
import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from networks.involvement.forms import CONSENT_ERROR, HoneypotMixin
from networks.nominations.models import WHY_MAX, Nomination

NOMINATOR_FIELDS = ["nominator_name", "nominator_email", "nominator_organisation"]


@functools.cache
def zone_choices() -> tuple:
    """Every IANA time zone name, sorted (the tz database zoneinfo ships)."""
    return tuple((name, name) for name in sorted(zoneinfo.available_timezones()))


class TimeZoneForm(forms.Form):
    """?tz= on /events/: show the times in this zone too."""

    tz = forms.ChoiceField(label=_("Show times in"), choices=(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tz"].choices = [("", _("The event’s own time zone")), *zone_choices()]


class NominationForm(HoneypotMixin, forms.ModelForm):
    is_self = forms.TypedChoiceField(
        label=_("Who are you nominating?"),
        choices=[("1", _("Myself")), ("0", _("A colleague"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    why = forms.CharField(
        label=_("Why should this person take part?"),
        max_length=WHY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Up to %(max)s characters.") % {"max": WHY_MAX},
    )
    time_zone = forms.ChoiceField(
        label=_("The nominee’s time zone"),
        help_text=_("Invitations and reminders give the event’s time in this zone."),
        choices=(),
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that the secretariat processes these "
            "details to select the participants; a nominated colleague is told about it."
        ),
        error_messages={"required": CONSENT_ERROR},
    )

    class Meta:
        model = Nomination
        fields = [
            "is_self",
            "nominee_name",
            "nominee_email",
            "organisation",
            "position",
            "country",
            "languages",
            "time_zone",
            "why",
            *NOMINATOR_FIELDS,
        ]
        help_texts = {
            "languages": _("For example: Spanish, English."),
            "nominee_email": _("We write to this address, and the nominee can decline."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = zone_choices()

    def clean(self):
        data = super().clean()
        if data.get("is_self") is False:
            for name in ("nominator_name", "nominator_email"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Tell us who you are when you nominate someone else."))
        elif data.get("is_self"):
            for name in NOMINATOR_FIELDS:
                data[name] = ""  # nobody else is involved
        return data
