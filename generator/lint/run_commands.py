"""The shell commands of a Dockerfile's RUN instruction, and the package-manager words in them."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from generator.docker.shell import SimpleCommand, Word, parse_shell
from generator.lint.dockerfile_syntax import Instruction


def is_apt(command: SimpleCommand, subcommands: tuple[str, ...]) -> bool:
    """Return whether `command` is `apt-get` or `apt` (maybe after `sudo`) running one of `subcommands`."""
    words = [w for w in command.words if w.text != "sudo"]
    return bool(words) and words[0].text.rsplit("/", 1)[-1] in ("apt-get", "apt") and subcommand(words) in subcommands


def subcommand(words: list[Word]) -> str:
    """Return the first word after the program that is not an option."""
    return next((w.text for w in words[1:] if not w.text.startswith("-")), "")


def packages_of(words: list[Word], with_value: frozenset[str] | set[str] = frozenset()) -> Iterator[Word]:
    """Yield the words after the subcommand that are not options (nor their values): the packages named."""
    seen_subcommand = False
    skip = False
    for word in words[1:]:
        if skip:
            skip = False
            continue
        if word.text.startswith("-"):
            skip = word.text in with_value or word.text in ("-o", "-t", "--target-release")
            continue
        if not seen_subcommand:
            seen_subcommand = True
            continue
        yield word


def run_commands(ins: Instruction) -> Iterator[tuple[SimpleCommand, Callable[[Word], tuple[int, int]]]]:
    """Yield the shell commands of a RUN (its line and here-documents) with a word-to-(line, column) function."""
    if ins.json is not None:
        words = tuple(Word(text, 0, 0) for text in ins.json)
        yield SimpleCommand(words), lambda word: ins.position(ins.args_offset)
        return
    script = ins.text[ins.args_offset :]
    for command in parse_shell(script).commands:
        yield command, lambda word: ins.position(ins.args_offset + word.start)
    for heredoc in ins.heredocs:

        def in_body(word: Word, line: int = heredoc.line, body: str = heredoc.body) -> tuple[int, int]:
            return line + body.count("\n", 0, word.start), word.start - body.rfind("\n", 0, word.start)

        for command in parse_shell(heredoc.body).commands:
            yield command, in_body

