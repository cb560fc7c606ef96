"""Member cities and their officials in bulk, for the reminder benchmarks
(bench/reminders.py, bench/reminders_chaos.py): what a meeting's reminders go to."""

ZONES = ["America/Bogota", "America/Sao_Paulo", "Europe/Madrid", "Asia/Tokyo"]
LANGUAGES = ["en", "es", "pt-br", "ja"]


def member_cities(
    network,
    count: int,
    *,
    officials: int = 1,
    spare: int = 0,
    email: str = "o{n}-{m}@example.org",
    languages: list[str] | None = None,
) -> tuple[list, list]:
    """`count` + `spare` new cities (Ciudad n, Colombia, Latin America, in the four ZONES
    in turn), `officials` focal points each (e-mail `email` with n the city, m the
    official; languages in turn from `languages`, else the default), the first `count`
    active members of `network`. Returns (member cities, spare cities)."""
    from alliance.models import User
    from cities.models import City, CityOfficial
    from networks.models import Membership

    made = City.objects.bulk_create(
        (
            City(
                name=f"Ciudad {n}",
                slug=f"ciudad-{n}",
                country="CO",
                region="latam",
                time_zone=ZONES[n % len(ZONES)],
            )
            for n in range(count + spare)
        ),
        batch_size=2000,
    )

    def language(i: int) -> dict:
        return {"language": languages[i % len(languages)]} if languages else {}

    users = User.objects.bulk_create(
        (
            User(
                email=email.format(n=n, m=m),
                first_name="Ana",
                last_name=f"N{n}",
                **language(n + m),
            )
            for n in range(len(made))
            for m in range(officials)
        ),
        batch_size=2000,
    )
    focal_point = CityOfficial.Role.FOCAL_POINT
    CityOfficial.objects.bulk_create(
        (
            CityOfficial(user=user, city=made[index // officials], role=focal_point)
            for index, user in enumerate(users)
        ),
        batch_size=2000,
    )
    Membership.objects.bulk_create(
        (Membership(city=city, network=network, status="active") for city in made[:count]),
        batch_size=2000,
    )
    return made[:count], made[count:]
