"""Uploaded photos and logos are decoded and re-encoded, never stored as sent."""

import io
import warnings
from pathlib import PurePath

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 3 * 1024 * 1024
MAX_SIDE = 1600  # pixels: the stored picture's longest side
# What a logo or a city's photo needs, checked from the header before any decoding:
# 4096 x 4096 (16.8 megapixels) takes a phone camera's 12-megapixel photo (4032 x 3024)
# as it comes, and the result is shrunk to MAX_SIDE anyway. Decoding that many pixels
# costs at most 64 MB (RGBA), against ~160 MB at the former 40 megapixels, which let a
# 6,300 x 6,300 PNG of a few hundred bytes through (issue #15, section 4).
MAX_SIDE_ACCEPTED = 4096  # pixels, as a square
MAX_PIXELS = MAX_SIDE_ACCEPTED * MAX_SIDE_ACCEPTED
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".gif"}


def _too_large() -> forms.ValidationError:
    return forms.ValidationError(
        _(
            "The image's dimensions are too large: send one of at most %(side)s × %(side)s "
            "pixels (the logo is shown much smaller)."
        )
        % {"side": MAX_SIDE_ACCEPTED}
    )


def reencode_image(upload) -> SimpleUploadedFile:
    # Pillow only when an image comes: every process that loads the URLconf (Celery
    # workers too, to build links) would otherwise carry it (~2 MB).
    from PIL import Image, UnidentifiedImageError

    if upload.size > MAX_BYTES:
        raise forms.ValidationError(
            _("The image is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    extension = PurePath(upload.name or "").suffix.lower()
    if extension == ".svg":
        # Drawings can carry scripts; we only store pictures we decode and re-encode.
        raise forms.ValidationError(
            _("SVG drawings are not accepted: upload a JPEG, PNG, WebP or GIF image.")
        )
    if extension not in EXTENSIONS:
        raise forms.ValidationError(_("Upload a file ending in .jpg, .jpeg, .png, .webp or .gif."))
    try:
        upload.seek(0)
        # Pillow's own guard, at the same figure: Image.open() then warns (refused below)
        # past MAX_PIXELS and raises past twice that, whatever the caller checks.
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
        with warnings.catch_warnings():
            # Pillow only warns between its two bomb limits; here that is a refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _reencode(upload)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise forms.ValidationError(_("This file is not an image we can read.")) from None


def _reencode(upload) -> SimpleUploadedFile:
    """The picture as a PNG (if it has transparency) or a JPEG, named after that format."""
    from PIL import Image

    with Image.open(upload) as image:
        if image.format not in FORMATS:
            raise forms.ValidationError(_("Upload a JPEG, PNG, WebP or GIF image."))
        # Width and height come from the header: nothing is decoded before load().
        if image.width * image.height > MAX_PIXELS:
            raise _too_large()
        image.load()
        has_alpha = image.mode in ("RGBA", "LA", "P")
        image = image.convert("RGBA" if has_alpha else "RGB")
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        out = io.BytesIO()
        if has_alpha:
            image.save(out, format="PNG", optimize=True)
            extension, content_type = "png", "image/png"
        else:
            image.save(out, format="JPEG", quality=85, optimize=True)
            extension, content_type = "jpg", "image/jpeg"
    return SimpleUploadedFile(f"logo.{extension}", out.getvalue(), content_type=content_type)
