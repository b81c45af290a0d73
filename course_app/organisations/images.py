"""Logo, signature and seal images of an organisation: PNG or JPEG only, decided by the file's
content and confirmed by decoding it with Pillow (SVG, whose scripts a browser would run, and
HTML are never accepted), with limits on bytes and pixels (docs/security.md, promise 16)."""

from __future__ import annotations

import io
import warnings

from ..domain.errors import ServiceError

MAX_IMAGE_BYTES = 1024 * 1024  # a scanned seal or signature is a few hundred KiB
MAX_SIDE = 4000  # pixels, each way: the PDF prints them a few centimetres wide
TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg"}


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    return None


def _decode(data: bytes, expected: str) -> None:
    """Raise ServiceError unless Pillow reads a whole image of the expected format."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow comes with fpdf2; the sniff then decides
        return
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a decompression bomb warning refuses the file
            with Image.open(io.BytesIO(data)) as image:
                if image.format != expected:
                    raise ValueError(image.format)
                width, height = image.size
                if width > MAX_SIDE or height > MAX_SIDE or width < 1 or height < 1:
                    raise ServiceError("image_pixels", f"the image is larger than {MAX_SIDE} "
                                       f"pixels on a side")
                image.load()
    except ServiceError:
        raise
    except Exception as error:  # Pillow raises many types for damaged files
        raise ServiceError("image_type", "only PNG and JPEG images can be uploaded") from error


def checked_image(data: bytes) -> str:
    """The content type of an acceptable image, else ServiceError (code image_*)."""
    if not data:
        raise ServiceError("image_empty", "the image file is empty")
    if len(data) > MAX_IMAGE_BYTES:
        raise ServiceError("image_size", f"the image is larger than {MAX_IMAGE_BYTES // 1024} KiB")
    found = _sniff(data)
    if found is None:
        raise ServiceError("image_type", "only PNG and JPEG images can be uploaded")
    _decode(data, found)
    return TYPES[found]
