"""Split POSIX shell text into simple commands and words, keeping each word's offset.

Enough of the shell grammar for a linter: quotes, backslash escapes and `\\`
line continuations, `$(…)` and backtick substitutions (whose commands are
returned too, so `docker stop $(docker ps -q)` yields two commands),
`${…}` and `$((…))`, operators (`;` `&&` `||` `|` `&`), redirections,
comments and here-documents. It never runs or expands anything.
"""

from __future__ import annotations

from dataclasses import dataclass

_OPERATOR_CHARS = ";&|()\n"
_BLANK = " \t"
_LEADING_KEYWORDS = {"if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "time", "fi", "done", "esac"}


@dataclass(frozen=True, slots=True)
class Word:
    """One shell word: `text` has its quotes removed; substitutions stay as written."""

    text: str
    start: int
    end: int
    quoted: bool = False
    expands: bool = False


@dataclass(frozen=True, slots=True)
class SimpleCommand:
    """A command's words (leading `VAR=value` assignments apart) and whether it sits in a pipeline."""

    words: tuple[Word, ...]
    assignments: tuple[Word, ...] = ()
    in_pipeline: bool = False

    @property
    def start(self) -> int:
        first = self.assignments[:1] or self.words[:1]
        return first[0].start if first else 0


@dataclass(frozen=True, slots=True)
class ShellParse:
    commands: tuple[SimpleCommand, ...]
    error: str = ""
    error_offset: int = 0


class ShellSyntaxError(Exception):
    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.offset = offset


def parse_shell(text: str) -> ShellParse:
    """Return the simple commands of `text` (substitutions' commands included), or the first syntax error."""
    lexer = _Lexer(text)
    try:
        lexer.parse_list(stop="")
    except ShellSyntaxError as error:
        return ShellParse(tuple(sorted(lexer.commands, key=lambda c: c.start)), str(error), error.offset)
    return ShellParse(tuple(sorted(lexer.commands, key=lambda c: c.start)))


class _Lexer:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.commands: list[SimpleCommand] = []
        self.pending_heredocs: list[tuple[str, bool]] = []

    # --- grammar ------------------------------------------------------------

    def parse_list(self, stop: str) -> None:
        """Read commands until `stop` (`)` of a substitution, or end of text for "")."""
        words: list[Word] = []
        piped = False
        while True:
            self.skip_blanks()
            if self.pos >= len(self.text):
                if stop:
                    raise ShellSyntaxError(f"missing `{stop}`", self.pos)
                self.finish(words, piped)
                return
            char = self.text[self.pos]
            if stop and char == stop:
                self.pos += 1
                self.finish(words, piped)
                return
            if char == "#" and not words or char == "#" and self.text[self.pos - 1] in _BLANK + "\n;&|":
                self.skip_comment()
                continue
            if char in _OPERATOR_CHARS:
                operator = self.read_operator()
                is_pipe = operator in ("|", "|&")
                self.finish(words, piped or is_pipe)
                piped = is_pipe
                words = []
                if operator == "\n":
                    self.skip_heredoc_bodies()
                continue
            if char in "<>" or (char.isdigit() and self.redirect_follows()):
                self.read_redirection()
                continue
            words.append(self.read_word())

    def finish(self, words: list[Word], piped: bool) -> None:
        assignments: list[Word] = []
        rest = list(words)
        while rest and rest[0].text in _LEADING_KEYWORDS and not rest[0].quoted:
            rest.pop(0)
        while rest and _is_assignment(rest[0]):
            assignments.append(rest.pop(0))
        if rest or assignments:
            self.commands.append(SimpleCommand(tuple(rest), tuple(assignments), piped))

    # --- tokens -------------------------------------------------------------

    def skip_blanks(self) -> None:
        text = self.text
        while self.pos < len(text):
            if text[self.pos] in _BLANK:
                self.pos += 1
            elif text.startswith("\\\n", self.pos):
                self.pos += 2
            else:
                return

    def skip_comment(self) -> None:
        end = self.text.find("\n", self.pos)
        self.pos = len(self.text) if end < 0 else end

    def read_operator(self) -> str:
        for operator in ("&&", "||", "|&", ";;", "&", "|", ";", "(", ")", "\n"):
            if self.text.startswith(operator, self.pos):
                self.pos += len(operator)
                return operator
        raise AssertionError("not an operator")  # pragma: no cover

    def redirect_follows(self) -> bool:
        index = self.pos
        while index < len(self.text) and self.text[index].isdigit():
            index += 1
        return index < len(self.text) and self.text[index] in "<>"

    def read_redirection(self) -> None:
        while self.text[self.pos].isdigit():
            self.pos += 1
        for operator in ("<<<", "<<-", "<<", "&>>", ">>", ">&", "<&", "<>", ">|", "&>", "<", ">"):
            if self.text.startswith(operator, self.pos):
                self.pos += len(operator)
                break
        self.skip_blanks()
        if self.pos >= len(self.text) or self.text[self.pos] in _OPERATOR_CHARS:
            raise ShellSyntaxError("redirection without a target", self.pos)
        target = self.read_word()
        if operator in ("<<", "<<-"):
            self.pending_heredocs.append((target.text, operator == "<<-"))

    def skip_heredoc_bodies(self) -> None:
        while self.pending_heredocs:
            delimiter, strip_tabs = self.pending_heredocs.pop(0)
            while self.pos < len(self.text):
                end = self.text.find("\n", self.pos)
                end = len(self.text) if end < 0 else end
                line = self.text[self.pos : end]
                self.pos = min(end + 1, len(self.text))
                if (line.lstrip("\t") if strip_tabs else line) == delimiter:
                    break

    def read_word(self) -> Word:
        text = self.text
        start = self.pos
        parts: list[str] = []
        quoted = expands = False
        while self.pos < len(text):
            char = text[self.pos]
            if char in _BLANK or char in _OPERATOR_CHARS or char in "<>":
                break
            if char == "\\":
                if text.startswith("\\\n", self.pos):
                    self.pos += 2
                    continue
                parts.append(text[self.pos + 1 : self.pos + 2])
                self.pos += 2
            elif char == "'":
                end = text.find("'", self.pos + 1)
                if end < 0:
                    raise ShellSyntaxError("unterminated single quote", self.pos)
                parts.append(text[self.pos + 1 : end])
                self.pos = end + 1
                quoted = True
            elif char == '"':
                parts.append(self.read_double_quoted())
                quoted = True
            elif char == "$":
                parts.append(self.read_dollar())
                expands = True
            elif char == "`":
                parts.append(self.read_backticks())
                expands = True
            else:
                parts.append(char)
                self.pos += 1
        return Word("".join(parts), start, self.pos, quoted, expands)

    def read_double_quoted(self) -> str:
        text = self.text
        opening = self.pos
        self.pos += 1
        parts: list[str] = []
        while self.pos < len(text):
            char = text[self.pos]
            if char == '"':
                self.pos += 1
                return "".join(parts)
            if char == "\\" and self.pos + 1 < len(text):
                following = text[self.pos + 1]
                if following == "\n":
                    pass
                elif following in '"\\$`':
                    parts.append(following)
                else:
                    parts.append(char + following)
                self.pos += 2
            elif char == "$":
                parts.append(self.read_dollar())
            elif char == "`":
                parts.append(self.read_backticks())
            else:
                parts.append(char)
                self.pos += 1
        raise ShellSyntaxError("unterminated double quote", opening)

    def read_dollar(self) -> str:
        text = self.text
        start = self.pos
        if text.startswith("$((", self.pos):
            depth, index = 0, self.pos + 1
            while index < len(text):
                if text[index] == "(":
                    depth += 1
                elif text[index] == ")":
                    depth -= 1
                    if depth == 0:
                        self.pos = index + 1
                        return text[start : self.pos]
                index += 1
            raise ShellSyntaxError("unterminated `$((`", start)
        if text.startswith("$(", self.pos):
            self.pos += 2
            self.parse_list(stop=")")
            return text[start : self.pos]
        if text.startswith("${", self.pos):
            end = text.find("}", self.pos)
            if end < 0:
                raise ShellSyntaxError("unterminated `${`", start)
            self.pos = end + 1
            return text[start : self.pos]
        self.pos += 1
        while self.pos < len(text) and (text[self.pos].isalnum() or text[self.pos] == "_"):
            self.pos += 1
        if self.pos == start + 1 and self.pos < len(text) and text[self.pos] in "?$!#@*-0123456789":
            self.pos += 1
        return text[start : self.pos]

    def read_backticks(self) -> str:
        text = self.text
        start = self.pos
        index = self.pos + 1
        while index < len(text) and text[index] != "`":
            index += 2 if text[index] == "\\" else 1
        if index >= len(text):
            raise ShellSyntaxError("unterminated backquote", start)
        inner = _Lexer(text[: index])
        inner.pos = start + 1
        inner.parse_list(stop="")
        self.commands.extend(inner.commands)
        self.pos = index + 1
        return text[start : self.pos]


def _is_assignment(word: Word) -> bool:
    name, equals, _ = word.text.partition("=")
    return bool(equals) and name.isidentifier() and not word.text.startswith("=")
