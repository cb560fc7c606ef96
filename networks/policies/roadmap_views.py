"""/roadmap/, and a city's roadmap edited from its page by those who may edit the city."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from alliance import data_version
from networks.access import get_city_for_editor
from networks.policies import roadmap as reads
from networks.policies import services
from networks.policies.forms import RoadmapEntryForm

CACHE_SECONDS = 60  # as the network pages: the data's version, and a minute at most


@require_safe
def roadmap(request):
    """/roadmap/: the principles, their model policies, counts and cities (reads.overview),
    rendered once per version of the data and language."""
    key = f"roadmap:{data_version.current()}:{get_language()}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "policies/_roadmap_body.html",
            {**reads.overview(), "listed": reads.CITIES_LISTED},
        )
        cache.set(key, html, CACHE_SECONDS)
    return render(request, "policies/roadmap.html", {"body": mark_safe(html)})  # noqa: S308


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def city_roadmap(request, slug):
    """A city's steps, one form per model policy, for whoever may edit the city
    (networks.access.get_city_for_editor: 404 for anyone else); all saved or none."""
    city = get_city_for_editor(request.user, slug)  # 404 for anyone else
    steps = reads.city_steps(city)
    data = request.POST if request.method == "POST" else None
    forms = [
        (step, RoadmapEntryForm(data, instance=step["entry"], city=city, prefix=step["value"]))
        for step in steps
    ]
    if request.method == "POST":
        if all(form.is_valid() for _step, form in forms):
            try:
                with transaction.atomic():
                    for step, form in forms:
                        services.roadmap_set(
                            city=city,
                            model_policy=step["value"],
                            by=request.user,
                            **form.cleaned_data,
                        )
            except ValidationError as error:
                forms[0][1].add_error(None, error)
            else:
                messages.success(request, _("The city’s roadmap was saved."))
                return redirect(city)
        status = 400
    else:
        status = 200
    return render(
        request, "policies/city_roadmap.html", {"city": city, "forms": forms}, status=status
    )
