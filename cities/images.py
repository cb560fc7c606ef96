"""Uploaded photos and logos are decoded and re-encoded, never stored as sent."""

import io

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 3 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding them
MAX_SIDE = 1600
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def reencode_image(upload) -> SimpleUploadedFile:
    if upload.size > MAX_BYTES:
        raise forms.ValidationError(
            _("The image is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in FORMATS:
                raise forms.ValidationError(_("Upload a JPEG, PNG, WebP or GIF image."))
            if image.width * image.height > MAX_PIXELS:
                raise forms.ValidationError(_("The image's dimensions are too large."))
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
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise forms.ValidationError(_("This file is not an image we can read.")) from None
    return SimpleUploadedFile(f"logo.{extension}", out.getvalue(), content_type=content_type)
