"""Logos uploaded in the admin go through the same decoding as the public forms."""

import io

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from PIL import Image

from alliance.models import Partner
from cities.models import City
from tests.factories import CityFactory, PartnerFactory

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (40, 20), (0, 120, 200, 128)).save(buffer, "PNG")
    return buffer.getvalue()


def admin_form(model, instance, staff_user, upload):
    request = RequestFactory().post("/")
    request.user = staff_user
    model_admin = admin.site._registry[model]
    form_class = model_admin.get_form(request, instance, change=True)
    initial = model_admin.get_changeform_initial_data(request)
    data = {**form_class(instance=instance, initial=initial).initial}
    data = {k: v for k, v in data.items() if v is not None and not hasattr(v, "all")}
    return form_class(data=data, files={"logo": upload}, instance=instance)


@pytest.mark.parametrize("model_factory", [PartnerFactory, CityFactory])
def test_admin_refuses_an_svg_logo_with_a_clear_message(staff_user, model_factory):
    instance = model_factory()
    form = admin_form(type(instance), instance, staff_user, SimpleUploadedFile("x.svg", SVG))
    assert not form.is_valid()
    assert "not an image" in str(form.errors["logo"]) or "SVG" in str(form.errors["logo"])


@pytest.mark.parametrize("model", [Partner, City])
def test_admin_stores_a_logo_under_its_real_format(staff_user, model):
    instance = PartnerFactory() if model is Partner else CityFactory()
    upload = SimpleUploadedFile("logo.jpg", png_bytes(), content_type="image/jpeg")
    form = admin_form(model, instance, staff_user, upload)
    form.is_valid()
    assert "logo" not in form.errors
    assert form.cleaned_data["logo"].name.endswith(".png")


@pytest.mark.parametrize("model_factory", [PartnerFactory, CityFactory])
def test_admin_refuses_a_png_declaring_6300_by_6300_pixels(staff_user, model_factory):
    from tests.cities.test_city_edit import png_claiming_size

    instance = model_factory()
    upload = SimpleUploadedFile("logo.png", png_claiming_size(6300, 6300))
    form = admin_form(type(instance), instance, staff_user, upload)
    assert not form.is_valid()
    assert "at most 4096 × 4096 pixels" in str(form.errors["logo"])
