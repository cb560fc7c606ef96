"""Helpers of the member directory tests: a member city, and the page read as a visitor.

Imported by the directory tests and by other suites that read the directory page. The
`networks` fixture (three networks of each kind) is in this folder's conftest.
"""

import datetime
import html
import re
from urllib.parse import parse_qsl

from django.urls import reverse

from tests.factories import CityFactory, MembershipFactory, NetworkFactory

URL = reverse("directory")


def member(name, network=None, role="member", joined=None, **city_fields):
    city = CityFactory(name=name, **city_fields)
    MembershipFactory(
        city=city,
        network=network or NetworkFactory(),
        role=role,
        joined_on=joined or datetime.date(2021, 3, 1),
    )
    return city


ROW = re.compile(r'class="table__city"><a href="/cities/([^/"]+)/">([^<]*)</a>')


def names(response):
    """The cities the page lists, as a visitor reads them."""
    assert response.status_code == 200, response.content[:500]
    return [html.unescape(name) for _slug, name in ROW.findall(response.content.decode())]


def slugs(response):
    return [slug for slug, _name in ROW.findall(response.content.decode())]


def total(response):
    """The number of cities the page says it found ("3 cities", "about 180,000 cities")."""
    found = re.search(r'class="directory-count">\s*([^<]*?)\s*</p>', response.content.decode())
    return found.group(1)


def pager_link(response, rel):
    """The query string of the pager's "next" or "prev" link, or None."""
    found = re.search(rf'rel="{rel}" href="[^"?]*\?([^"]+)"', response.content.decode())
    return found and dict(parse_qsl(html.unescape(found.group(1))))
