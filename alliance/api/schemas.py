"""The shapes of the API's answers, from which the OpenAPI schema is generated.

Descriptions are marked with gettext_noop: the schema is English, and the
documentation page (alliance/api/docs.py) shows each one translated.
"""

import datetime
from enum import Enum

from django.utils.translation import gettext_noop
from django_countries import countries
from ninja import Field, Schema

from cities.models import Principle as CityPrinciple
from cities.regions import Region
from cities.sizes import SizeClass
from networks.directory.filters import SORTS
from networks.models import Membership, Network

RegionCode = Enum("RegionCode", {value: value for value in Region.values}, type=str)
SizeCode = Enum("SizeCode", {value: value for value in SizeClass.values}, type=str)
RoleCode = Enum("RoleCode", {value: value for value in Membership.Role.values}, type=str)
KindCode = Enum("KindCode", {value: value for value in Network.Kind.values}, type=str)
CountryCode = Enum("CountryCode", {code: code for code in sorted(countries.countries)}, type=str)
PrincipleCode = Enum(
    "PrincipleCode", {value: value for value in CityPrinciple.Code.values}, type=str
)
SortCode = Enum("SortCode", {value: value for value in SORTS}, type=str)


class Problem(Schema):
    type: str = Field(
        description=gettext_noop("Always about:blank: the status says what went wrong.")
    )
    title: str = Field(description=gettext_noop("The status's meaning, in the client's language."))
    status: int
    detail: str | None = None
    instance: str | None = Field(None, description=gettext_noop("The path that was asked for."))
    errors: dict[str, list[str]] | None = Field(
        None, description=gettext_noop("For a bad filter: the message of each refused parameter.")
    )


class CityMembership(Schema):
    network: str = Field(description=gettext_noop("The network's slug."))
    network_name: str
    role: RoleCode
    role_label: str


class CitySummary(Schema):
    slug: str
    name: str
    country: str = Field(description=gettext_noop("ISO 3166-1 alpha-2 code."))
    country_name: str
    region: RegionCode | None
    region_label: str
    size: SizeCode | None = Field(description=gettext_noop("OECD size class, from the population."))
    size_label: str
    population: int | None
    member_since: datetime.date | None
    url: str = Field(description=gettext_noop("The city's page on the portal."))
    api_url: str
    memberships: list[CityMembership] = Field(
        description=gettext_noop("Active memberships of active networks.")
    )


class CityPage(Schema):
    count: int = Field(description=gettext_noop("Cities matching the filters, on every page."))
    count_is_exact: bool = Field(
        description=gettext_noop("False beyond 10,000 matches: the count is then an estimate.")
    )
    next: str | None = Field(
        description=gettext_noop("The next page's URL, or null on the last page.")
    )
    previous: str | None = Field(
        description=gettext_noop("The previous page's URL, or null on the first page.")
    )
    results: list[CitySummary]


class Principle(Schema):
    code: str
    label: str


class MembershipDetail(CityMembership):
    joined_on: datetime.date | None


class LinkedCity(Schema):
    slug: str
    name: str
    country: str
    network: str
    focus: str = Field(
        description=gettext_noop("The model policy the mentoring concentrates on, or empty.")
    )
    status: str


class Links(Schema):
    count: int
    results: list[LinkedCity] = Field(
        description=gettext_noop("100 at most, in the order recorded.")
    )
    next: str | None = Field(
        description=gettext_noop("The URL of the next 100, or null after the last.")
    )


class Contact(Schema):
    name: str
    position: str
    role: str
    role_label: str
    email: str
    phone: str
    is_primary_contact: bool


class HiddenContacts(Schema):
    members: int = Field(
        description=gettext_noop("Contacts shown to signed-in partners and members.")
    )
    secretariat: int = Field(description=gettext_noop("Contacts shown to the secretariat only."))


class CityDetail(Schema):
    slug: str
    name: str
    alternate_names: list[str]
    country: str
    country_name: str
    region: RegionCode | None
    region_label: str
    subdivision: str
    population: int | None
    size: SizeCode | None
    size_label: str
    latitude: float | None
    longitude: float | None
    time_zone: str
    website: str
    profile: str
    logo: str | None
    member_since: datetime.date | None
    url: str
    principles: list[Principle]
    memberships: list[MembershipDetail]
    mentoring: Links
    mentored_by: Links
    contacts: list[Contact] = Field(
        description=gettext_noop("The contacts the token's owner may see, as on the city's page.")
    )
    contacts_hidden: HiddenContacts


class NetworkSummary(Schema):
    slug: str
    name: str
    kind: KindCode
    kind_label: str
    scope: str = Field(description=gettext_noop("The region or country covered, or Worldwide."))
    host_organisation: str
    host_city: str | None = Field(description=gettext_noop("The host city's slug."))
    launched_on: datetime.date | None
    member_count: int
    url: str
    members_url: str


class NetworkDetail(NetworkSummary):
    description: str
    members_by_role: dict[str, int]
    partners: list[str] = Field(
        description=gettext_noop("Slugs of the partners supporting the network.")
    )


class Partner(Schema):
    slug: str
    name: str
    kind: str
    kind_label: str
    tier: str
    tier_label: str
    website: str
    description: str
    logo: str | None
    networks: list[str]


class Meeting(Schema):
    id: int
    title: str
    network: str
    network_name: str
    status: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    duration_minutes: int
    place: str
    online_url: str
    agenda: str
    url: str


class MeetingPage(Schema):
    next: str | None
    results: list[Meeting]
