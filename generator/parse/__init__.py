"""Parse a course folder into the content model."""

from generator.parse.course import parse_course

__all__ = ["parse_course"]
