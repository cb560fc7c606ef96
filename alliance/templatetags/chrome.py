"""The site's header and footer, rendered once per process, language, page and sign-in
state instead of on every request.

They hold some 25 links and 50 translated strings: rendering them through the template
language cost more than the rest of a light page (FAQ, partners), and most of the
difference between a warm page and a bare view (issue #21). What differs between two
requests for the same kind of page is three values, left as placeholders in the
rendered HTML and put in, escaped, for each request: the CSRF token of the visitor's
session, the page's own path (the language form's `next`) and the signed-in user's
email address. Nothing of one visitor is kept: the key says only the language, which
page (its URL name and namespace, for aria-current) and whether someone is signed in.

Usage in base.html: {% load chrome %} ... {% site_header %} ... {% site_footer %}
"""

from django import template
from django.core.signals import setting_changed
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

CSRF, NEXT, EMAIL = "__chrome_csrf__", "__chrome_next__", "__chrome_email__"
MAX_KEPT = 500  # kinds of page × languages × signed in or not; cleared beyond
_kept: dict[tuple, str] = {}


def _forget(**kwargs):
    _kept.clear()  # a test that changes settings (languages, URLs) gets a fresh render


setting_changed.connect(_forget, dispatch_uid="chrome-forget")


def _render(template_name: str, request, signed_in: bool) -> str:
    match = getattr(request, "resolver_match", None)
    key = (
        template_name,
        get_language(),
        match.namespace if match else None,
        match.url_name if match else None,
        signed_in,
    )
    html = _kept.get(key)
    if html is None:
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        html = _kept[key] = render_to_string(
            template_name,
            {
                "request": request,  # its resolver_match only: the rest is in the key
                "user": _Visitor(signed_in),
                "csrf_token": CSRF,
                "chrome_next": NEXT,
                "chrome_email": EMAIL,
            },
        )
    return html


class _Visitor:
    """What the templates may know of the visitor: whether they are signed in."""

    def __init__(self, signed_in: bool):
        self.is_authenticated = signed_in


def _fill(html: str, request) -> str:
    if CSRF in html:
        html = html.replace(CSRF, escape(get_token(request)))
    if NEXT in html:
        html = html.replace(NEXT, escape(request.get_full_path()))
    if EMAIL in html:
        html = html.replace(EMAIL, escape(request.user.email))
    return mark_safe(html)  # noqa: S308 (rendered with autoescape; the values escaped)


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _chrome(template_name: str, context) -> str:
    request = context.get("request")
    if request is None:  # a page rendered without a request: nothing to keep or fill in
        return render_to_string(template_name, {**context.flatten(), "chrome_next": ""})
    return _fill(_render(template_name, request, _signed_in(request)), request)


@register.simple_tag(takes_context=True)
def site_header(context) -> str:
    """The <header>: account links, language switchers, brand and main menu."""
    return _chrome("_site_header.html", context)


@register.simple_tag(takes_context=True)
def site_footer(context) -> str:
    """The <footer>: the alliance's name and the footer links."""
    return _chrome("_site_footer.html", context)
