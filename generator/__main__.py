"""`python -m generator` runs the `aula` command."""

from generator.cli import main

main(prog_name="aula")
