"""Uploaded pictures, checked and re-encoded with Pillow so nothing but pixels is ever stored.

Re-encoding drops EXIF (location) metadata and anything hidden in the file besides the image.
"""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# Refuse decompression bombs (a tiny file that unpacks to gigapixels) before decoding any pixels.
MAX_PIXELS = 40_000_000
NOT_AN_IMAGE = "That file is not an image we can read (use JPEG, PNG, WebP or GIF)."


@dataclass(frozen=True)
class PreparedImage:
    content: bytes
    extension: str
    width: int
    height: int


def image_prepare(upload, *, max_bytes: int, max_side: int, square: bool = False) -> PreparedImage:
    """A real JPEG, PNG, WebP or GIF within `max_bytes`, scaled to fit `max_side` (cropped to a
    square when asked), as PNG when it has transparency and JPEG otherwise."""
    if upload.size > max_bytes:
        raise ValidationError(
            f"That image is {filesizeformat(upload.size)}; the limit is {filesizeformat(max_bytes)}."
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()  # reads the whole file: catches truncated or corrupt images
        if image_format not in IMAGE_FORMATS:
            raise ValidationError(NOT_AN_IMAGE)
        if width * height > MAX_PIXELS:
            raise ValidationError("That image is too large in pixels; use one under 40 megapixels.")
        upload.seek(0)
        with Image.open(upload) as opened:
            opened.load()
            image = ImageOps.exif_transpose(opened)
            has_alpha = image.mode in ("RGBA", "LA", "PA") or (
                image.mode == "P" and "transparency" in image.info
            )
            image = image.convert("RGBA" if has_alpha else "RGB")
            if square:
                side = min(max_side, image.width, image.height)
                image = ImageOps.fit(image, (side, side), method=Image.Resampling.LANCZOS)
            else:
                image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            if has_alpha:
                image.save(out, format="PNG", optimize=True)
                extension = "png"
            else:
                image.save(out, format="JPEG", quality=85, optimize=True)
                extension = "jpg"
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(NOT_AN_IMAGE) from exc
    return PreparedImage(content=out.getvalue(), extension=extension, width=image.width, height=image.height)
