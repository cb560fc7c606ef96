"""/api/v1/: the read-only REST API (django-ninja) and its routes (errors: errors.py).

django-ninja rather than Django REST framework: the API's answers are the directory's
cached pages as JSON, so what the library adds per request is most of what a page
costs, and ninja's operation (auth, throttles, query parsing with pydantic) measured
less than DRF's view stack (request wrapping, content negotiation); the OpenAPI 3
schema comes from the same type hints that parse the query.
"""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, NinjaAPI, Query, Schema

from alliance.api import conditional, errors, listing, resources
from alliance.api import schemas as s
from alliance.api.access import AddressThrottle, Token, TokenThrottle
from alliance.api.problems import problem
from cities.models import City
from networks.models import Network

PUBLIC = Token(required=False)
TOKEN = Token(required=True)
ERRORS = {400: s.Problem, 401: s.Problem, 429: s.Problem}
NOT_FOUND = {**ERRORS, 404: s.Problem}


class Api(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """ninja's schema, saying that a token is optional where it is (no token: the
        public fields) and describing the errors as problem details."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for methods in schema["paths"].values():
            for operation in methods.values():
                if operation.get("operationId") not in TOKEN_REQUIRED:
                    operation["security"] = [{}, *operation.get("security", [])]
                for status, answer in operation.get("responses", {}).items():
                    if str(status) >= "400" and "content" in answer:
                        answer["content"] = {
                            "application/problem+json": answer["content"]["application/json"]
                        }
                # Every operation answers conditional requests (alliance.api.conditional).
                operation.setdefault("responses", {}).update(conditional.SCHEMA_ANSWERS)
        return schema


api = Api(
    title="G20 Global Smart Cities Alliance: open data API",
    version="1",
    description=gettext_noop(
        "The Alliance's member directory, networks and partners, read-only. Anyone may "
        "read the public fields; a token from your account page shows what the portal "
        "shows you when signed in."
    ),
    urls_namespace="api",
    openapi_url="/schema/",
    docs_url=None,
    auth=PUBLIC,
    throttle=[AddressThrottle(), TokenThrottle()],
)
TOKEN_REQUIRED = {"list_meetings"}


class MemberFilters(Schema):
    q: str | None = Field(
        None,
        max_length=100,
        description=gettext_noop("Part of the name, in any script, case and accents ignored."),
    )
    kind: s.KindCode | None = Field(None, description=gettext_noop("A kind of network."))
    region: s.RegionCode | None = Field(None, description=gettext_noop("A world region."))
    country: s.CountryCode | None = Field(
        None, description=gettext_noop("ISO 3166-1 alpha-2 code.")
    )
    size: s.SizeCode | None = Field(None, description=gettext_noop("An OECD size class."))
    role: s.RoleCode | None = Field(None, description=gettext_noop("A role in a network."))
    principle: s.PrincipleCode | None = Field(
        None, description=gettext_noop("A principle's code, pledged by the city.")
    )
    joined_since: str | None = Field(
        None,
        pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        json_schema_extra={"format": "date"},
        description=gettext_noop("Joined on or after this day (network, kind and role apply too)."),
    )
    sort: s.SortCode | None = Field(
        None, description=gettext_noop("The order; by name when omitted.")
    )
    after: str | None = Field(
        None, max_length=400, description=gettext_noop("Cursor of a next link.")
    )
    before: str | None = Field(
        None, max_length=400, description=gettext_noop("Cursor of a previous link.")
    )
    last: bool = Field(False, description=gettext_noop("The last page."))


class CityFilters(MemberFilters):
    network: str | None = Field(None, max_length=100, description=gettext_noop("A network's slug."))


def _json(payload) -> HttpResponse:
    return HttpResponse(
        json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
        content_type="application/json",
    )


def _unknown(request, known) -> HttpResponse | None:
    """A 400 problem naming the query parameters the operation does not take: a
    misspelt filter must not silently list everything."""
    names = set(known.model_fields) if hasattr(known, "model_fields") else set(known)
    unknown = sorted(set(request.GET) - names)
    if not unknown:
        return None
    message = _("This parameter is not one the operation takes.")
    return problem(
        400,
        _("Unknown parameters: %(names)s.") % {"names": ", ".join(unknown)},
        request=request,
        errors={name: [message] for name in unknown},
    )


def _private(request) -> bool:
    return bool(getattr(request.auth, "is_authenticated", False))


@api.get(
    "/cities/",
    response={200: s.CityPage, **ERRORS},
    url_name="cities",
    operation_id="list_cities",
    summary=gettext_noop("Member cities"),
    description=gettext_noop(
        "The directory: cities with an active membership, with its filters, search and "
        "sorts, 50 a page. Follow next and previous; last=1 is the last page."
    ),
)
def list_cities(request, filters: Query[CityFilters]):
    return _unknown(request, CityFilters) or listing.city_page(request, filters)


@api.get(
    "/cities/{slug}/",
    response={200: s.CityDetail, **NOT_FOUND},
    url_name="city",
    operation_id="get_city",
    summary=gettext_noop("One city"),
    description=gettext_noop(
        "Its profile, networks and roles, pioneer links and pledged principles, and the "
        "contacts the token's owner may see."
    ),
)
def get_city(request, slug: str):
    if refused := _unknown(request, ()):
        return refused
    detail = resources.city_detail(request.auth, slug)
    return conditional.by_digest(request, _json(detail), private=_private(request))


class LinkQuery(Schema):
    after: int | None = Field(
        None, ge=0, le=2**63 - 1, description=gettext_noop("Cursor of a next link.")
    )


def _city_links(request, slug: str, direction: str, query: LinkQuery):
    unknown = _unknown(request, LinkQuery)
    if unknown:
        return unknown
    city = get_object_or_404(City, slug=slug)
    page = resources.city_links(city, direction, query.after)
    return conditional.by_digest(request, _json(page))


@api.get(
    "/cities/{slug}/mentoring/",
    response={200: s.Links, **NOT_FOUND},
    url_name="city_mentoring",
    operation_id="list_city_mentoring",
    summary=gettext_noop("The cities a city mentors"),
    description=gettext_noop("Its pioneer links as a pioneer, 100 a page, by a next link."),
)
def list_city_mentoring(request, slug: str, query: Query[LinkQuery]):
    return _city_links(request, slug, "mentoring", query)


@api.get(
    "/cities/{slug}/mentored-by/",
    response={200: s.Links, **NOT_FOUND},
    url_name="city_mentored_by",
    operation_id="list_city_mentored_by",
    summary=gettext_noop("The pioneer cities mentoring a city"),
    description=gettext_noop("Its pioneer links as a mentee, 100 a page, by a next link."),
)
def list_city_mentored_by(request, slug: str, query: Query[LinkQuery]):
    return _city_links(request, slug, "mentored_by", query)


@api.get(
    "/networks/",
    response={200: list[s.NetworkSummary], **ERRORS},
    url_name="networks",
    operation_id="list_networks",
    summary=gettext_noop("Networks"),
    description=gettext_noop("The active networks, with their member counts."),
)
def list_networks(request):
    if refused := _unknown(request, ()):
        return refused
    return conditional.by_digest(request, _json(resources.networks()))


@api.get(
    "/networks/{slug}/",
    response={200: s.NetworkDetail, **NOT_FOUND},
    url_name="network",
    operation_id="get_network",
    summary=gettext_noop("One network"),
    description=gettext_noop("A network with its members counted by role and its partners."),
)
def get_network(request, slug: str):
    if refused := _unknown(request, ()):
        return refused
    return conditional.by_digest(request, _json(resources.network_detail(slug)))


@api.get(
    "/networks/{slug}/members/",
    response={200: s.CityPage, **NOT_FOUND},
    url_name="network_members",
    operation_id="list_network_members",
    summary=gettext_noop("A network's member cities"),
    description=gettext_noop(
        "The directory filtered by the network, with the same filters and pages."
    ),
)
def list_network_members(request, slug: str, filters: Query[MemberFilters]):
    if refused := _unknown(request, MemberFilters):
        return refused
    if not Network.objects.active().filter(slug=slug).exists():
        raise Http404
    return listing.city_page(request, filters, fixed={"network": slug})


@api.get(
    "/partners/",
    response={200: list[s.Partner], **ERRORS},
    url_name="partners",
    operation_id="list_partners",
    summary=gettext_noop("Partners"),
    description=gettext_noop("The Alliance's published partners and the networks they support."),
)
def list_partners(request):
    if refused := _unknown(request, ()):
        return refused
    return conditional.by_digest(request, _json(resources.partners()))


@api.get(
    "/meetings/",
    response={200: s.MeetingPage, **ERRORS},
    auth=TOKEN,
    url_name="meetings",
    operation_id="list_meetings",
    summary=gettext_noop("Your networks' meetings"),
    description=gettext_noop(
        "With a token: the meetings of the networks the token's owner belongs to or "
        "looks after, from twelve months ago on, by start, 50 a page."
    ),
)
def list_meetings(
    request,
    after: str | None = Query(
        None, max_length=400, description=gettext_noop("Cursor of a next link.")
    ),
):
    if refused := _unknown(request, {"after"}):
        return refused
    try:
        page = resources.meetings(request.auth, request.path, after)
    except resources.BadMeetingCursor:
        return problem(400, _("The page cursor is not valid."), request=request)
    return conditional.by_digest(request, _json(page), private=True)


errors.answer_with_problems(api)
