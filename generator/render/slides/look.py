"""The look of both decks: the colours the .pptx writer and the PDF deck draw with.

The .pptx takes its fonts, sizes and colours from the theme's template deck; the PDF
deck, drawn from the same plan, takes the template's theme colours (`Palette`, read by
`template.template_palette`), so restyling the template restyles both. What a template
cannot hold (a code token's colour, a callout's box, a table's fills) is set here, for
both. Colours are hex RGB, as DrawingML writes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Palette:
    """The colours of the PDF deck that come from the template's colour scheme, as its layouts use them.

    The defaults are those of the bundled template (`scripts/make_slide_template.py`).
    """

    text: str = "1F2328"  # tx1 (dk1): body text
    title: str = "16325C"  # tx2 (dk2): titles, and the cover's background
    cover_text: str = "FFFFFF"  # bg1 (lt1): the cover's title
    cover_subtitle: str = "EEF2F7"  # lt2
    accent: str = "2B6CB0"  # accent1: bullets, rules, the chapter slide's band and label
    exercise: str = "C05621"  # accent2, 3, 4: the rule under an exercise's, a solution's, the key points' title
    solution: str = "2F855A"
    keypoints: str = "6B46C1"
    footer: str = "4A5568"  # accent6
    link: str = "2B6CB0"  # hlink

    @classmethod
    def from_scheme(cls, scheme: Mapping[str, str]) -> Palette:
        """Return the palette of a colour scheme (`dk1`: "1F2328" …, `tx1` as the master maps it); a colour it lacks keeps its default."""
        names = {"text": "tx1", "title": "tx2", "cover_text": "bg1", "cover_subtitle": "lt2", "accent": "accent1",
                 "exercise": "accent2", "solution": "accent3", "keypoints": "accent4", "footer": "accent6", "link": "hlink"}
        return cls(**{field: scheme[name].upper() for field, name in names.items() if name in scheme})

    def rule(self, layout: str) -> str:
        """Return the colour of the rule under a slide's title."""
        return {"exercise": self.exercise, "solution": self.solution, "keypoints": self.keypoints}.get(layout, self.accent)


# Pygments token classes (short CSS names) to colour, bold, italic; tuned for a light code box.
TOKEN_STYLES = {
    "k": ("0550AE", True, False),
    "n": ("1F2328", False, False),
    "nt": ("116329", True, False),
    "nb": ("8250DF", False, False),
    "bp": ("8250DF", False, False),
    "nf": ("8250DF", False, False),
    "nc": ("8250DF", False, False),
    "nv": ("953800", False, False),
    "vg": ("953800", False, False),
    "vi": ("953800", False, False),
    "vc": ("953800", False, False),
    "m": ("953800", False, False),
    "il": ("953800", False, False),
    "s": ("0A3069", False, False),
    "dl": ("0A3069", False, False),
    "c": ("6E7781", False, True),
    "gp": ("6E7781", True, False),
    "go": ("57606A", False, False),
    "err": ("1F2328", False, False),
}
CODE_TEXT = "1F2328"
CODE_TITLE = "57606A"

# Boxes: (fill, line, dashed). Callouts and image placeholders by their frame's style, code by its own.
BOX_STYLES = {
    "tip": ("EAF5EE", "2F855A", False),
    "warning": ("FDF0E6", "C05621", False),
    "hint": ("EAF1FA", "2B6CB0", False),
    "callout": ("F4F6F8", "8C959F", False),
    "placeholder": ("F6F6F6", "555555", True),
}
CODE_BOXES = {
    "code": ("F4F6F8", "D0D7DE", False),
    "raw": ("F4F6F8", "D0D7DE", False),
    "bad": ("F4F6F8", "C05621", True),
    "synopsis": ("FFFFFF", "8C959F", False),
}

# Tables: the header row's fill and text, then the body rows' fills, odd and even.
TABLE_HEAD, TABLE_HEAD_TEXT = "2B6CB0", "FFFFFF"
TABLE_ODD, TABLE_EVEN = "CFD8E6", "E8EDF4"


def token_style(css: str) -> tuple[str, bool, bool]:
    """Return (colour, bold, italic) for a Pygments short class, falling back on its family ("kd" → "k")."""
    for key in (css, css[:2], css[:1]):
        if key in TOKEN_STYLES:
            return TOKEN_STYLES[key]
    return (CODE_TEXT, False, False)
