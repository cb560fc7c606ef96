"""The site's header and footer are rendered once per kind of page, not per request,
and never carry one visitor's token, address or page into another's (issue #21)."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from alliance.templatetags import chrome
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NEXT = re.compile(r'<input name="next" type="hidden" value="([^"]*)">')


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_header_and_footer_are_rendered_once_per_kind_of_page(client, monkeypatch):
    chrome._kept.clear()
    rendered = []
    real = chrome.render_to_string
    monkeypatch.setattr(
        chrome,
        "render_to_string",
        lambda name, *a, **kw: rendered.append(name) or real(name, *a, **kw),
    )
    for _ in range(3):
        page(client, reverse("faq"))
    assert sorted(rendered) == ["_site_footer.html", "_site_header.html"]
    page(client, reverse("privacy"))  # another page: its own aria-current
    assert len(rendered) == 4


def test_each_visitor_gets_their_own_address_and_token():
    ana, ben = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    ana.force_login(UserFactory(email="ana@bogota.gov.co"))
    ben.force_login(UserFactory(email="ben@pune.gov.in"))
    ana_page, ben_page = page(ana, reverse("faq")), page(ben, reverse("faq"))
    assert "ana@bogota.gov.co" in ana_page and "ben@pune.gov.in" not in ana_page
    assert "ben@pune.gov.in" in ben_page and "ana@bogota.gov.co" not in ben_page
    # Each page's token is good for its own visitor's session: the language form posts.
    for client, html in ((ana, ana_page), (ben, ben_page)):
        token = TOKEN.search(html).group(1)
        response = client.post(
            reverse("set_language"),
            {"csrfmiddlewaretoken": token, "language": "es", "next": "/faq/"},
        )
        assert response.status_code == 302


def test_an_anonymous_visitor_can_change_the_language_with_the_token_of_the_page():
    visitor = Client(enforce_csrf_checks=True)
    html = page(visitor, reverse("faq"))
    token = TOKEN.search(html).group(1)
    response = visitor.post(
        reverse("set_language"), {"csrfmiddlewaretoken": token, "language": "ja", "next": "/faq/"}
    )
    assert response.status_code == 302


def test_the_language_form_returns_to_the_page_it_is_on(client):
    assert set(NEXT.findall(page(client, reverse("faq")))) == {"/faq/"}
    url = reverse("directory") + "?q=san&region=latam"
    assert set(NEXT.findall(page(client, url))) == {"/directory/?q=san&amp;region=latam"}


def test_the_current_page_is_marked_in_the_menu_of_that_page_only(client):
    faq = page(client, reverse("faq"))
    partners = page(client, reverse("partners"))
    assert re.search(r'href="/faq/" aria-current="page"', faq)
    assert not re.search(r'href="/faq/" aria-current', partners)
    assert re.search(r'href="/partners/" aria-current="page"', partners)


def test_signed_in_and_anonymous_visitors_see_their_own_header(client):
    anonymous = page(client, reverse("faq"))
    client.force_login(UserFactory(email="ana@bogota.gov.co"))
    signed_in = page(client, reverse("faq"))
    assert "Sign out" in signed_in and "Create account" not in signed_in
    assert "Create account" in anonymous and "Sign out" not in anonymous


def test_the_header_follows_the_visitors_language(client):
    assert "Skip to content" in page(client, reverse("faq"))
    with translation.override("es"):
        spanish = reverse("faq")
    html = page(client, spanish)
    assert ">Directorio<" in html and ">Directory<" not in html


def test_a_page_rendered_without_a_request_still_has_its_header_and_footer():
    from django.template.loader import render_to_string

    html = render_to_string("404.html", {})
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert "Sign in" in html
