from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from cities.models import City


@require_safe
def city_detail(request, slug):
    city = get_object_or_404(City.objects.prefetch_related("principles"), slug=slug)
    memberships = (
        city.memberships.active().filter(network__is_active=True).select_related("network")
    )
    return render(
        request,
        "cities/city_detail.html",
        {
            "city": city,
            "memberships": memberships,
            "mentoring": city.mentoring.current()
            .filter(network__is_active=True)
            .select_related("mentee", "network"),
            "mentored_by": city.mentored_by.current()
            .filter(network__is_active=True)
            .select_related("pioneer", "network"),
        },
    )
