"""Which language a page or an email is in.

Pages: the URL prefix (/es/…) first, then the signed-in user's saved preference,
then the language switcher's cookie, then the browser's Accept-Language. English
lives at the root, so a visitor who prefers another language is redirected from
the root URL to its prefixed twin; the URL always says which language a page is in.

Emails: the recipient's saved language, then the fallbacks the caller gives (the
language they applied in, the network's language), then English.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import is_valid_path, translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.request_data import param

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def supported(code: str | None) -> str | None:
    code = (code or "").lower()
    return code if code in LANGUAGE_CODES else None


def email_language(user=None, *fallbacks: str | None) -> str:
    """The language to write to `user` in: theirs, else the first supported fallback."""
    for code in (getattr(user, "language", None), *fallbacks):
        if supported(code):
            return code.lower()
    return settings.LANGUAGE_CODE


def preferred_language(request) -> str:
    """The visitor's language when the URL does not say: saved, switcher, browser."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and supported(user.language):
        return user.language
    return translation.get_language_from_request(request, check_path=False)


class PreferredLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, plus the saved preference and the redirect to /<lang>/.

    Must come after AuthenticationMiddleware (it reads the user's preference).
    """

    def process_request(self, request):
        super().process_request(request)
        if translation.get_language_from_path(request.path_info):
            return None
        if request.method not in ("GET", "HEAD"):
            return None  # a form posted to an English URL is answered in English
        language = preferred_language(request)
        if language == settings.LANGUAGE_CODE:
            return None
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        with translation.override(language):
            if not is_valid_path(f"/{language}{request.path_info}", urlconf):
                return None  # not a translated page (/healthz, the switcher itself)
        path = request.get_full_path()
        response = HttpResponseRedirect(f"/{language}{path}")
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if not translation.get_language_from_path(request.path_info):
            # At an English URL the answer may also depend on the saved preference.
            patch_vary_headers(response, ("Cookie",))
        return response


def translated_url(url: str, language: str) -> str:
    """`url` (which may carry another language's prefix) in `language`."""
    source = translation.get_language_from_path(urlsplit(url).path) or settings.LANGUAGE_CODE
    with translation.override(source):
        return translate_url(url, language)


@require_POST
def set_language(request):
    """The switcher: remember the choice (on the account too) and stay on the same page.

    Not Django's set_language: it resolves `next` in the switcher's own language, so a
    prefixed page (/es/faq/) was not translated, and it saves nothing on the account.
    """
    language = supported(request.POST.get("language"))
    if language is None:
        return HttpResponseBadRequest(_("That language is not available."))
    next_url = param(request, "next", source="POST") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(translated_url(next_url, language))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    if request.user.is_authenticated and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response
