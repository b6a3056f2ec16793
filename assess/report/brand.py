"""A consultant's brand for the report: name, logo, colour, contact, footer text."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator

from assess.errors import UserError
from assess.messages import Message, MessageError, said_error, say
from assess.models.common import StrictModel
from assess.readers.locations import locate, problems_from
from assess.readers.safe_yaml import load_data
from assess.readers.text_file import read_text

_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_LOGO_SUFFIXES = {".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp"}
_LOGO_KINDS = "PNG, JPEG, SVG, GIF or WebP"
# How each kind of image file begins: a file named .png that is not one would leave an empty space on the cover.
_IMAGE_STARTS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
# A logo is printed a few centimetres wide.  A photo straight from a camera, or a poster-sized export, makes
# every report slow and large, and a picture of too many pixels is silently left out by the image decoder.
MAX_LOGO_BYTES = 5 * 1024 * 1024
MAX_LOGO_PIXELS = 25_000_000


def _looks_like_an_image(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith(_IMAGE_STARTS) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return True
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()  # SVG: XML text whose first element is <svg>
    return text.startswith((b"<svg", b"<?xml", b"<!--")) and b"<svg" in text


def _too_many_pixels(path: Path, logo: str) -> Message | None:
    """Whether a raster image has more pixels than a logo needs, read from its header (never decoded)."""
    from PIL import Image  # WeasyPrint's own image library, imported only when a brand has a logo

    limit = MAX_LOGO_PIXELS // 1_000_000
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as image:
                width, height = image.size
        except Image.DecompressionBombError:  # too large for the library even to open
            return say("brand_logo_too_many_pixels", logo=logo, limit=limit)
        except Exception:  # a header it cannot read: the check of how the file begins has had its say
            return None
    if width * height <= MAX_LOGO_PIXELS:
        return None
    return say("brand_logo_too_large", logo=logo, width=width, height=height, limit=limit)


class Brand(StrictModel):
    """How the report is branded; the default is assess's own neutral look."""

    name: str = Field(default="", max_length=120)
    logo: str | None = None  # a file path relative to the brand file
    primary_colour: str = "#1f4e8c"  # "#rrggbb"
    contact: str = Field(default="", max_length=300)
    footer: str = Field(default="", max_length=200)
    folder: Path | None = None  # where the brand file lives: logo paths resolve inside it

    @field_validator("primary_colour", mode="before")
    @classmethod
    def _colour(cls, value: Any) -> Any:
        if value is None:  # `primary_colour: #1f4e8c` unquoted: YAML reads a comment, so no value at all
            raise MessageError(say("brand_colour_empty"))
        if not isinstance(value, str) or not _COLOUR.match(value.strip()):
            raise MessageError(say("brand_colour", value=value))
        return value.strip()

    def logo_path(self) -> Path | None:
        if self.logo is None or self.folder is None:
            return None
        return (self.folder / self.logo).resolve()


def load_brand(path: Path) -> Brand:
    """A brand file (YAML or JSON); the logo must be an image inside the brand file's folder."""
    name = path.name
    data, locations = load_data(read_text(path, name), name)
    if not isinstance(data, dict):
        raise said_error(say("has_problems", name=name), [(name, say("brand_not_a_mapping"))])
    data.pop("folder", None)
    try:
        brand = Brand.model_validate({**data, "folder": path.resolve().parent})
    except ValidationError as exc:
        problems = problems_from(exc, name, locations)
        summary = say("has_problems", name=name)
        raise UserError(str(summary), problems, summary.in_lang("zh")) from None
    problem = _logo_problem(brand, path.resolve().parent)
    if problem is not None:
        raise said_error(say("has_problems", name=name), [(locate(name, locations, ["logo"]), problem)])
    return brand


def _logo_problem(brand: Brand, folder: Path) -> Message | None:
    """What is wrong with the brand's logo, and what to do, or None."""
    if brand.logo is None:
        return None
    if not brand.logo.strip():
        return say("brand_logo_empty")
    logo = brand.logo_path()
    if logo is None:
        return None
    if not logo.is_relative_to(folder):
        return say("brand_logo_outside", logo=brand.logo)
    if logo.suffix.lower() not in _LOGO_SUFFIXES or not logo.is_file():
        images = sorted(p.name for p in folder.iterdir() if p.suffix.lower() in _LOGO_SUFFIXES and p.is_file())
        if images:
            return say("brand_logo_missing_images", logo=brand.logo, images=images[:10])
        return say("brand_logo_missing", logo=brand.logo)
    if not _looks_like_an_image(logo):
        return say("brand_logo_not_an_image", logo=brand.logo, kinds=_LOGO_KINDS)
    size = logo.stat().st_size
    if size > MAX_LOGO_BYTES:
        megabytes = f"{size / 1024 / 1024:.1f}"
        return say("brand_logo_too_big", logo=brand.logo, size=megabytes, limit=MAX_LOGO_BYTES // 1024 // 1024)
    if logo.suffix.lower() == ".svg":
        return None
    return _too_many_pixels(logo, brand.logo)
