"""Every public page fits the screens the portal is built for (390, 1280, 1366 and
1440 px wide), in English and in Japanese (the longest words and the widest glyphs),
without JavaScript: nothing is wider than the window, so nobody scrolls sideways to
read a sentence or reach a button. Chromium, driven by Playwright, on the demo data.

With SCREENSHOTS_DIR set, each page is also saved there as a JPEG per width (how the
pictures under docs/screenshots/ are made).
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from networks.models import Network
from networks.nominations.models import NominationCall
from networks.policies.models import Policy

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [390, 1280, 1366, 1440]
PREFIX = {"en": "", "ja": "/ja"}
# Elements that may scroll inside their own frame at a narrow width, by design.
FRAMED = ".table-wrap, pre, .map__frame"


def _pages() -> dict[str, str]:
    network = Network.objects.order_by("pk").first()
    call = NominationCall.objects.order_by("pk").first()
    pages = {
        "home": reverse("home"),
        "get-involved": reverse("involvement:get_involved"),
        "pledge": reverse("involvement:pledge"),
        "partner-enquiry": reverse("involvement:partner"),
        "supporters": reverse("involvement:supporters"),
        "events": reverse("nominations:list"),
        "directory": reverse("directory"),
        "map": reverse("map"),
        "networks": reverse("networks:list"),
        "network": network.get_absolute_url(),
        "faq": reverse("faq"),
        "partners": reverse("partners"),
        "apply": reverse("apply"),
        "policies": reverse("policies:library"),
        "submit-policy": reverse("policies:submit"),
        "roadmap": reverse("policies:roadmap"),
    }
    if call is not None:
        pages["nominate"] = reverse("nominations:nominate", args=[call.pk])
    policy = Policy.objects.filter(status=Policy.Status.ACCEPTED).order_by("pk").first()
    if policy is not None:
        pages["policy"] = reverse("policies:detail", args=[policy.pk])
    return pages


def _overflow(page) -> list[str]:
    """What sticks out of the window, outside the frames that scroll on their own
    (a closed menu's links are not drawn, so they are not counted)."""
    return page.evaluate(
        """framed => {
            const width = document.documentElement.clientWidth;
            const out = [];
            if (document.documentElement.scrollWidth > width)
                out.push(`page ${document.documentElement.scrollWidth}px`);
            for (const e of document.body.querySelectorAll('*')) {
                if (e.closest(framed) || !e.checkVisibility({visibilityProperty: true})) continue;
                const r = e.getBoundingClientRect();
                if (r.right > width + 1 && r.width > 0)
                    out.push(`${e.tagName.toLowerCase()}.${e.className} ${Math.round(r.right)}px`);
            }
            return out.slice(0, 5);
        }""",
        FRAMED,
    )


@pytest.fixture
def demo():
    call_command("load_demo_data", verbosity=0)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_every_public_page_fits_every_width_without_javascript(
    live_server, browser, demo, language
):
    shots = os.environ.get("SCREENSHOTS_DIR")
    problems = []
    context = browser.new_context(
        viewport={"width": WIDTHS[0], "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    for name, path in _pages().items():
        response = page.goto(f"{live_server.url}{PREFIX[language]}{path}")
        assert response.status == 200, (name, response.status)
        # Each width on the same page: the layout follows the window (media queries).
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            overflow = _overflow(page)
            if overflow:
                problems.append(f"{name} at {width}px ({language}): {overflow}")
            if shots:
                target = Path(shots) / f"{name}-{language}-{width}.jpg"
                page.screenshot(path=str(target), full_page=True, type="jpeg", quality=60)
    context.close()
    assert not problems, "\n".join(problems)
