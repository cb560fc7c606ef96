"""Uploaded photos and logos are decoded and re-encoded, never stored as sent."""

import io
import warnings
from pathlib import PurePath

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 3 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding them
MAX_SIDE = 1600
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
TOO_LARGE = _("The image's dimensions are too large.")


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
        with warnings.catch_warnings():
            # Pillow only warns between its two bomb limits; here that is a refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _reencode(upload)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise forms.ValidationError(TOO_LARGE) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise forms.ValidationError(_("This file is not an image we can read.")) from None


def _reencode(upload) -> SimpleUploadedFile:
    """The picture as a PNG (if it has transparency) or a JPEG, named after that format."""
    from PIL import Image

    with Image.open(upload) as image:
        if image.format not in FORMATS:
            raise forms.ValidationError(_("Upload a JPEG, PNG, WebP or GIF image."))
        if image.width * image.height > MAX_PIXELS:
            raise forms.ValidationError(TOO_LARGE)
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
