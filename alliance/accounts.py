from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from alliance.emails import queue_message
from alliance.language import email_language, supported


class AccountAdapter(DefaultAccountAdapter):
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
