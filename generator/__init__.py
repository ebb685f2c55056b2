"""Aula: turn a folder of Markdown chapters into handouts, slide decks and a cheat sheet."""

__version__ = "0.1.0"
