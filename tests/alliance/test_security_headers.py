"""Every page, the admin included, tells the browser to be strict."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.parametrize(
    ("name", "as_staff"),
    [("home", False), ("account_login", False), ("admin:index", True)],
    ids=["public page", "form page", "admin"],
)
def test_pages_send_strict_security_headers(client, staff_user, name, as_staff):
    if as_staff:
        client.force_login(staff_user)
    response = client.get(reverse(name), secure=True)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_pages_have_no_inline_scripts(client, staff_user):
    # The policy would block them: every script the site and admin use is a file.
    client.force_login(staff_user)
    for url in ["/", reverse("directory"), reverse("apply") + "?new=1", reverse("admin:index")]:
        html = client.get(url).content.decode()
        for tag in html.split("<script")[1:]:
            opening = tag.split(">", 1)[0]
            assert "src=" in opening or 'type="application/json"' in opening, (url, opening)


def test_hsts_is_sent_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/")


def test_cookies_are_secure_and_out_of_reach_of_scripts(client, verified_user):
    page = client.get(reverse("account_login"), secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]
    response = client.post(
        reverse("account_login"),
        {"login": verified_user.email, "password": "correct horse battery staple"},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"


def test_templates_served_under_the_policy_have_no_inline_styles():
    # style-src 'self' blocks <style> blocks and style="" attributes: the admin's
    # dashboard once rendered without its layout. Emails are not under the policy.
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if "emails" not in path.parts
        and ("<style" in path.read_text() or " style=" in path.read_text())
    ]
    assert offenders == []


def test_admin_dashboard_links_its_stylesheet(client, staff_user):
    client.force_login(staff_user)
    html = client.get(reverse("admin:index")).content.decode()
    assert "css/admin.css" in html and "<style" not in html
