"""Officials keep their own city's profile up to date; nobody else can."""

import io
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cities.models import City
from tests.factories import CityFactory, CityOfficialFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def official():
    return CityOfficialFactory(city=CityFactory(name="Kohima", slug="kohima-in", country="IN"))


def edit_url(city):
    return reverse("cities:edit", args=[city.slug])


def png_bytes(size=(40, 30), mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, "teal").save(buffer, format="PNG")
    return buffer.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def png_claiming_size(width, height):
    """A tiny PNG whose header claims enormous dimensions, as a decompression bomb does."""
    data = bytearray(png_bytes(size=(1, 1)))
    header = b"IHDR" + width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes(data[24:29])
    data[12:29] = header
    data[29:33] = zlib.crc32(header).to_bytes(4, "big")
    return bytes(data)


def profile(**overrides):
    data = {"profile": "Capital of Nagaland.", "website": "https://kohima.nic.in"}
    data.update(overrides)
    return data


def test_anonymous_visitor_is_sent_to_sign_in(client, official):
    response = client.get(edit_url(official.city))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_official_of_another_city_gets_404(client, official):
    client.force_login(CityOfficialFactory().user)
    assert client.get(edit_url(official.city)).status_code == 404
    assert client.post(edit_url(official.city), profile()).status_code == 404
    official.city.refresh_from_db()
    assert official.city.profile == ""


def test_signed_in_user_without_a_city_gets_404(client, official):
    client.force_login(UserFactory())
    assert client.get(edit_url(official.city)).status_code == 404


def test_official_edits_the_profile_and_the_public_page_shows_it(client, official):
    client.force_login(official.user)
    response = client.post(
        edit_url(official.city), {**profile(), "contact-contact_audience": "public"}
    )
    assert response.status_code == 302
    page = client.get(reverse("cities:detail", args=["kohima-in"])).content.decode()
    assert "Capital of Nagaland." in page
    official.refresh_from_db()
    assert official.contact_audience == "public"


def test_staff_can_edit_any_city(client, official, staff_user):
    client.force_login(staff_user)
    assert client.get(edit_url(official.city)).status_code == 200
    assert client.post(edit_url(official.city), profile()).status_code == 302


def test_every_change_is_kept_in_the_citys_history(client, official):
    client.force_login(official.user)
    client.post(edit_url(official.city), profile(profile="First"))
    client.post(edit_url(official.city), profile(profile="Second"))
    history = official.city.history.order_by("history_date")
    assert [h.profile for h in history][-2:] == ["First", "Second"]
    assert history.last().history_user == official.user


def test_website_must_be_http(client, official):
    client.force_login(official.user)
    response = client.post(edit_url(official.city), profile(website="javascript:alert(1)"))
    assert response.status_code == 400
    assert "http://" in response.content.decode()
    assert City.objects.get().website == ""


def test_an_uploaded_logo_is_reencoded(client, official):
    client.force_login(official.user)
    upload = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    response = client.post(edit_url(official.city), {**profile(), "logo": upload})
    assert response.status_code == 302
    city = City.objects.get()
    assert city.logo.name.endswith(".jpg")
    with Image.open(city.logo.path) as stored:
        assert stored.format == "JPEG" and stored.size == (40, 30)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.png", b"%PDF-1.4 not an image"),
        ("logo.png", SVG),
        ("logo.jpg", b"GIF89a" + b"\x00" * 20),
    ],
)
def test_a_file_that_is_not_an_image_is_refused(client, official, name, content):
    client.force_login(official.user)
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    response = client.post(edit_url(official.city), {**profile(), "logo": upload})
    assert response.status_code == 400
    assert "not an image we can read" in response.content.decode()
    assert not City.objects.get().logo


def test_an_svg_drawing_is_refused_whatever_it_contains(client, official):
    client.force_login(official.user)
    upload = SimpleUploadedFile("logo.svg", SVG, content_type="image/svg+xml")
    response = client.post(edit_url(official.city), {**profile(), "logo": upload})
    assert response.status_code == 400
    assert "SVG drawings are not accepted" in response.content.decode()
    assert not City.objects.get().logo


@pytest.mark.parametrize("name", ["logo.html", "logo.exe", "logo", "logo.png.php"])
def test_a_picture_with_a_wrong_extension_is_refused(client, official, name):
    client.force_login(official.user)
    upload = SimpleUploadedFile(name, png_bytes(), content_type="image/png")
    response = client.post(edit_url(official.city), {**profile(), "logo": upload})
    assert response.status_code == 400
    assert "Upload a file ending in .jpg" in response.content.decode()
    assert not City.objects.get().logo


def test_a_stored_image_is_named_after_its_real_format(client, official):
    client.force_login(official.user)
    # A transparent PNG that calls itself a JPEG is kept as the PNG it is.
    upload = SimpleUploadedFile("logo.jpg", png_bytes(mode="RGBA"), content_type="image/jpeg")
    assert client.post(edit_url(official.city), {**profile(), "logo": upload}).status_code == 302
    city = City.objects.get()
    assert city.logo.name.endswith(".png")
    with Image.open(city.logo.path) as stored:
        assert stored.format == "PNG"


def test_an_image_bomb_is_refused_without_being_decoded(client, official):
    client.force_login(official.user)
    upload = SimpleUploadedFile("bomb.png", png_claiming_size(100_000, 100_000))
    response = client.post(edit_url(official.city), {**profile(), "logo": upload})
    assert response.status_code == 400
    assert "dimensions are too large" in response.content.decode()


def test_a_tiny_png_declaring_6300_by_6300_pixels_is_refused_from_its_header(
    client, official, monkeypatch
):
    """40 megapixels passed the former cap and cost ~0.5 GB and ~2 s to decode per
    request; a logo needs at most 4096 x 4096 (issue #15, section 4)."""
    from PIL import ImageFile

    decoded = []
    original_load = ImageFile.ImageFile.load

    def load(image):
        decoded.append(image.size)
        return original_load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    client.force_login(official.user)
    upload = SimpleUploadedFile("logo.png", png_claiming_size(6300, 6300))
    assert upload.size < 100
    response = client.post(edit_url(official.city), {**profile(), "logo": upload})
    assert response.status_code == 400
    assert "at most 4096 × 4096 pixels" in response.content.decode()
    assert decoded == []
    official.city.refresh_from_db()
    assert not official.city.logo


def test_a_phone_cameras_12_megapixel_photo_is_still_accepted(client, official):
    client.force_login(official.user)
    upload = SimpleUploadedFile("photo.png", png_bytes(size=(4032, 3024), mode="1"))
    assert client.post(edit_url(official.city), {**profile(), "logo": upload}).status_code == 302
    official.city.refresh_from_db()
    with Image.open(official.city.logo.path) as stored:
        assert max(stored.size) == 1600


def test_an_image_with_huge_dimensions_is_refused(client, official):
    client.force_login(official.user)
    upload = SimpleUploadedFile("bomb.png", png_bytes(size=(8000, 8000), mode="1"))
    response = client.post(edit_url(official.city), {**profile(), "logo": upload})
    assert response.status_code == 400
    assert "too large" in response.content.decode()


def test_a_file_over_the_size_limit_is_refused(client, official):
    client.force_login(official.user)
    upload = SimpleUploadedFile("big.png", b"\x89PNG" + b"\x00" * (3 * 1024 * 1024 + 1))
    response = client.post(edit_url(official.city), {**profile(), "logo": upload})
    assert response.status_code == 400
    assert "larger than 3 MB" in response.content.decode()


@pytest.fixture
def debug_media_urls(settings):
    """The URL configuration as DEBUG builds it, with the media files served by Django."""
    import importlib

    from django.urls import clear_url_caches

    import alliance.urls

    settings.DEBUG = True
    importlib.reload(alliance.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(alliance.urls)
    clear_url_caches()


def test_stored_logos_are_served_as_images_the_browser_may_not_sniff(
    client, official, debug_media_urls
):
    client.force_login(official.user)
    upload = SimpleUploadedFile("logo.gif", png_bytes(), content_type="image/gif")
    client.post(edit_url(official.city), {**profile(), "logo": upload})
    response = client.get(City.objects.get().logo.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_principle_id_too_large_for_the_database_is_an_invalid_choice(client, official):
    # Found by tests/fuzz/: Django sent the number to the database, which failed.
    client.force_login(official.user)
    response = client.post(edit_url(official.city), profile(principles=["9" * 26]))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
