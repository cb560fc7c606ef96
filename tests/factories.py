import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from alliance.models import FaqEntry, Partner, User
from cities.models import City, CityOfficial
from networks.models import Membership, Network, PioneerLink


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("correct horse battery staple")


def with_totp(user):
    """Give a staff account an authenticator app, as the admin requires.

    The secret stays on the object (`user.totp_secret`) for tests that sign in.
    """
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user.totp_secret = generate_totp_secret()
    TOTP.activate(user, user.totp_secret)
    return user


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now for `secret`."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.mfa.totp.internal.auth import yield_hotp_counters_from_time as counters

    return format_hotp_value(hotp_value(secret, next(counters())))


class CityFactory(DjangoModelFactory):
    class Meta:
        model = City

    name = factory.Sequence(lambda n: f"Ciudad {n}")
    slug = factory.Sequence(lambda n: f"ciudad-{n}")
    country = "CO"
    region = "latam"
    population = 120_000
    time_zone = "America/Bogota"


class CityOfficialFactory(DjangoModelFactory):
    class Meta:
        model = CityOfficial

    user = factory.SubFactory(UserFactory)
    city = factory.SubFactory(CityFactory)
    role = CityOfficial.Role.FOCAL_POINT


class NetworkFactory(DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Network {n}")
    slug = factory.Sequence(lambda n: f"network-{n}")
    kind = Network.Kind.REGIONAL
    scope_region = "latam"
    host_organisation = "C4IR Colombia"
    time_zone = "America/Bogota"


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    city = factory.SubFactory(CityFactory)
    network = factory.SubFactory(NetworkFactory)
    role = Membership.Role.MEMBER
    status = Membership.Status.ACTIVE


class PioneerLinkFactory(DjangoModelFactory):
    class Meta:
        model = PioneerLink

    network = factory.SubFactory(NetworkFactory)
    pioneer = factory.SubFactory(CityFactory)
    mentee = factory.SubFactory(CityFactory)


class PartnerFactory(DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    kind = Partner.Kind.COMPANY
    tier = Partner.Tier.FORUM


class FaqEntryFactory(DjangoModelFactory):
    class Meta:
        model = FaqEntry

    question = factory.Sequence(lambda n: f"Question {n}?")
    answer = "An answer."


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = "networks.Application"
        skip_postgeneration_save = True

    applicant = factory.SubFactory(UserFactory)
    network = factory.SubFactory(NetworkFactory)
    city = factory.SubFactory(CityFactory)
    applicant_name = "Ana Gómez"
    applicant_position = "Digital director"
    applicant_email = factory.LazyAttribute(lambda o: o.applicant.email)
    applicant_phone = "+57 300 000 0000"
    motivation = "Learn from the pioneers."
    consented_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def verified_applicant(self, create, extracted, **kwargs):
        """Applying needs a confirmed address; `verified_applicant=False` for one who has not."""
        from allauth.account.models import EmailAddress

        if create and extracted is not False:
            EmailAddress.objects.get_or_create(
                user=self.applicant,
                email=self.applicant.email,
                defaults={"verified": True, "primary": True},
            )

    @factory.post_generation
    def principles(self, create, extracted, **kwargs):
        from cities.models import Principle

        if create:
            self.principles.set(extracted or Principle.objects.all()[:2])


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = "networks.Meeting"

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Network meeting {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    place = "Ruta N, Medellín"
    online_url = "https://meet.example.org/alliance"
