import logging

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils import translation

from alliance.emails import queue_message
from alliance.language import email_language, supported

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
        # allauth renders the message; the outbox sends it, so a slow or failing mail
        # server never breaks sign-up or password reset.
        user = context.get("user")
        language = email_language(user, translation.get_language())
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        html = next(
            (body for body, mime in getattr(message, "alternatives", []) if mime == "text/html"),
            "",
        )
        queue_message(
            template=template_prefix.rsplit("/", 1)[-1],
            to=email,
            subject=message.subject,
            text=message.body,
            html=html,
        )
