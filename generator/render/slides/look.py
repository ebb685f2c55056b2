"""The look of both decks: the colours the .pptx writer and the PDF deck draw with.

The .pptx takes its fonts, sizes and title colours from the theme's template deck;
what the template cannot hold (a code token's colour, a callout's box) is set here,
and the PDF deck, drawn from the same plan, takes all of its look from here, so the
two decks look alike. Colours are hex RGB, as DrawingML writes them.
"""

from __future__ import annotations

TEXT = "1F2328"
ACCENT = "2B6CB0"  # bullets, links, rules, the chapter slide's band
TITLE = "16325C"
COVER = "16325C"  # the cover's background
COVER_TITLE, COVER_SUBTITLE = "FFFFFF", "EEF2F7"
FOOTER = "4A5568"
# The rule under a slide's title, by layout (the others take ACCENT).
RULES = {"exercise": "C05621", "solution": "2F855A", "keypoints": "6B46C1"}

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
