"""The map's filters: a network and a world region, in the URL (a GET form)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cities.regions import Region
from networks.models import Network


class MapFilter(forms.Form):
    """?network=<slug>&region=<code>, both optional; an unknown value is a field error."""

    network = forms.ModelChoiceField(
        label=_("Network"),
        queryset=Network.objects.active(),
        to_field_name="slug",
        required=False,
        empty_label=_("All networks"),
    )
    region = forms.ChoiceField(
        label=_("World region"),
        choices=[("", _("All regions")), *Region.choices],
        required=False,
    )
