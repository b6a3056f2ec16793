"""A consultant's brand for the report: name, logo, colour, contact, footer text."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints, ValidationError

from assess.errors import Problem, UserError
from assess.models.common import StrictModel
from assess.readers.locations import problems_from
from assess.readers.safe_yaml import load_data
from assess.readers.text_file import read_text

HexColour = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^#[0-9A-Fa-f]{6}$")]
_LOGO_SUFFIXES = {".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp"}
# How each kind of image file begins: a file named .png that is not one would leave an empty space on the cover.
_IMAGE_STARTS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


def _looks_like_an_image(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith(_IMAGE_STARTS) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return True
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()  # SVG: XML text whose first element is <svg>
    return text.startswith((b"<svg", b"<?xml", b"<!--")) and b"<svg" in text


class Brand(StrictModel):
    """How the report is branded; the default is assess's own neutral look."""

    name: str = Field(default="", max_length=120)
    logo: str | None = None  # a file path relative to the brand file
    primary_colour: HexColour = "#1f4e8c"
    contact: str = Field(default="", max_length=300)
    footer: str = Field(default="", max_length=200)
    folder: Path | None = None  # where the brand file lives: logo paths resolve inside it

    def logo_path(self) -> Path | None:
        if self.logo is None or self.folder is None:
            return None
        return (self.folder / self.logo).resolve()


def load_brand(path: Path) -> Brand:
    """A brand file (YAML or JSON); the logo must be an image inside the brand file's folder."""
    name = path.name
    data, locations = load_data(read_text(path, name), name)
    if not isinstance(data, dict):
        raise UserError(f"{name} is not a brand file", [Problem(name, "expected a mapping of brand settings")])
    data.pop("folder", None)
    try:
        brand = Brand.model_validate({**data, "folder": path.resolve().parent})
    except ValidationError as exc:
        raise UserError(f"{name} has problems", problems_from(exc, name, locations)) from None
    logo = brand.logo_path()
    if logo is not None:
        folder = path.resolve().parent
        if not logo.is_relative_to(folder):
            raise UserError(
                f"{name} has problems", [Problem(f"{name}: logo", "the logo must lie in the brand file's folder")]
            )
        if logo.suffix.lower() not in _LOGO_SUFFIXES or not logo.is_file():
            raise UserError(f"{name} has problems", [Problem(f"{name}: logo", f"no image file at {brand.logo}")])
        if not _looks_like_an_image(logo):
            kinds = "PNG, JPEG, SVG, GIF or WebP"
            raise UserError(f"{name} has problems", [Problem(f"{name}: logo", f"{brand.logo} is not a {kinds} image")])
    return brand
