"""`{{ country|country_chip }}`: a country's flag and name, as cities/_country.html drew
them, without an {% include %} per row (a network page draws some 120 of them, and
each include costs a template context push and a loader lookup).

`country`: a django-countries Country, or its ISO 3166 code as a string (what a
values() query gives), or anything false: nothing is drawn. The flag is decorative
(alt=""), the name says the country.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django_countries.fields import Country

register = template.Library()

# {(ISO code, language): chip}: at most some 250 countries × 4 languages. A chip depends
# on nothing else (its flag's URL is fixed for the process), and drawing one took some
# 40 µs: a network page's sections draw about 100 of them.
_chips: dict[tuple[str, str], str] = {}


@register.filter
def country_chip(country) -> str:
    """The chip's HTML (safe), or "" when there is no country."""
    if not country:
        return ""
    code = country if isinstance(country, str) else country.code
    key = (code, get_language())
    chip = _chips.get(key)
    if chip is None:
        chip = _chips[key] = _drawn(Country(code=code))
    return chip


def _drawn(country: Country) -> str:
    flag = (
        format_html('<img class="flag" src="{}" alt="" width="16" height="11">', country.flag)
        if country.flag
        else ""
    )
    return format_html(
        '<span class="country">{}<span class="country__name">{}</span></span>', flag, country.name
    )
