from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.db import transaction
from django.urls import reverse

from alliance.mail.outbox import queue_email
from alliance.models import Partner, PartnerPerson, User
from alliance.promotion import account_reclaim


@transaction.atomic
def partner_invite(
    *, partner: Partner, email: str, first_name: str = "", last_name: str = "", invited_by=None
) -> PartnerPerson:
    """Give a partner's person an account and email them a link to choose a password.

    An existing account whose address was never confirmed is taken back first
    (`account_reclaim`): whoever signed up with the address loses its password and
    sessions, and only the emailed link sets a new one (issue #15, section 3).
    """
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    elif account_reclaim(user=user):
        # The names its creator typed are not the partner's either.
        user.first_name, user.last_name = first_name, last_name
        user.save(update_fields=["first_name", "last_name"])
    # The invitation goes to this address, so following its link proves it.
    EmailAddress.objects.update_or_create(
        user=user,
        email__iexact=user.email,
        defaults={"email": user.email, "verified": True, "primary": True},
    )
    person, _ = PartnerPerson.objects.update_or_create(
        user=user, defaults={"partner": partner, "invited_by": invited_by}
    )
    partner_send_invitation(person=person)
    return person


def partner_send_invitation(*, person: PartnerPerson) -> None:
    user = person.user
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    queue_email(
        template="partner-invitation",
        to=user.email,
        context={"person": person, "partner": person.partner, "set_password_path": path},
    )
