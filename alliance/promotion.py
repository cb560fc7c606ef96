"""Giving an existing account a role it did not have (issue #15, section 3).

Anyone can sign up with someone else's address and leave it unverified. If the
secretariat later gives that account a role (partner person, city official, network
host), the stranger's password, sessions, extra addresses and authenticator would
come with it. So every path that promotes an existing account either
- refuses while the account's address is unverified (`require_verified`: approving an
  application, adding a city official or a network host in the admin), or
- takes the account back first (`account_reclaim`: the partner invitation, whose
  emailed link is then the only way to set a password).

Infrastructure only (allauth and Django): cities and networks import it.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def email_verified(user) -> bool:
    """Whether the account's own address (`user.email`) has been confirmed."""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def require_verified(user) -> None:
    """Raise ValidationError (with a message for the secretariat) unless verified."""
    if not email_verified(user):
        raise ValidationError(
            _(
                "The account %(email)s has not confirmed its email address, so it may not "
                "be someone the address belongs to. Ask the person to confirm it (or to "
                "reset their password, which confirms it) and try again."
            )
            % {"email": user.email},
            code="unverified",
        )


def account_reclaim(*, user) -> bool:
    """Take an unverified account back from whoever created it; True if it was needed.

    Its password becomes unusable, which ends every session of the account at its next
    request (Django compares each session's copy of the password hash, so no scan of
    the session table is needed), and its other email addresses and
    second factors, which its creator may have added, are deleted. A verified account
    is left as it is. Call inside the transaction that gives the role.
    """
    if email_verified(user):
        return False
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    user.set_unusable_password()
    user.save(update_fields=["password"])
    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).delete()
    Authenticator.objects.filter(user=user).delete()
    return True
