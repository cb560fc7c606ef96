import dataclasses
import logging
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils import translation
from django.utils.translation import gettext as _

from alliance.language import email_language, supported
from alliance.mail import compose
from alliance.mail.outbox import queue_email, queue_rendered

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            # Fewer X-Forwarded-For entries than DJANGO_TRUSTED_PROXY_COUNT proxies: the
            # setting is too high, or the request came round a proxy. Count the address
            # that connected (stricter: everyone behind it shares one limit) and tell
            # the operators, rather than answer 500 to every sign-in.
            logger.error(
                "X-Forwarded-For has fewer entries than DJANGO_TRUSTED_PROXY_COUNT (%s)",
                request.headers.get("X-Forwarded-For", ""),
            )
            address = request.META.get("REMOTE_ADDR")
            if not address:
                raise PermissionDenied("Unable to determine the client's address") from None
            return address

    def save_user(self, request, user, form, commit=True):
        # The language someone signs up in is the one we write to them in, until they
        # choose another with the switcher.
        user.language = supported(translation.get_language()) or ""
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix, email, context):
        """Queue one of allauth's emails in the portal's own words, through the outbox.

        `template_prefix` is allauth's name (e.g. "account/email/password_reset_key");
        the portal's subject, text and HTML templates for it are named in
        ACCOUNT_EMAIL_TEMPLATES. The outbox sends it, so a slow or failing mail server
        never breaks sign-up or password reset.
        """
        name = template_prefix.rsplit("/", 1)[-1]
        language = email_language(context.get("user"), translation.get_language())
        template = ACCOUNT_EMAIL_TEMPLATES.get(name)
        if template is not None:
            queue_email(
                template=template,
                to=email,
                context={**context, "email": email, "signup": name.endswith("_signup")},
                language=language,
            )
            return
        # An allauth email the portal has no words for yet (a setting turned on since,
        # such as ACCOUNT_EMAIL_NOTIFICATIONS): allauth's templates, with the portal's
        # name where allauth puts the site's, rather than no email at all.
        logger.warning("allauth email %s has no portal template", template_prefix)
        context = {"email": email, "current_site": _PORTAL_SITE, **context}
        rendered = compose.render(
            name,
            context,
            language=language,
            names=(
                f"{template_prefix}_subject.txt",
                f"{template_prefix}_message.txt",
                f"{template_prefix}_message.html",
            ),
        )
        subject = self.format_email_subject(rendered.subject)
        queue_rendered(
            template=name, to=email, rendered=dataclasses.replace(rendered, subject=subject)
        )


# allauth's emails that our settings can send, and the portal template of each
# (templates/emails/<name>-subject.txt, -body.txt, -body.html).
ACCOUNT_EMAIL_TEMPLATES = {
    "email_confirmation": "account-confirm-email",
    "email_confirmation_signup": "account-confirm-email",
    "password_reset_key": "account-password-reset",
    "unknown_account": "account-unknown",
    "account_already_exists": "account-already-exists",
}


class _PortalSite:
    """What allauth's own templates read as `current_site`: the portal's name and host."""

    @property
    def name(self) -> str:
        return str(_("G20 Global Smart Cities Alliance"))

    @property
    def domain(self) -> str:
        return urlsplit(settings.SITE_URL).netloc


_PORTAL_SITE = _PortalSite()
