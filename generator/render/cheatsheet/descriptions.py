"""Short descriptions for the cheat sheet, cut from the sentences that introduce commands.

A course introduces a command in running prose ("Para ver solo las últimas
cinco líneas:", "`docker push` envía la imagen al registro."). A cheat sheet
wants a few words in the imperative-like infinitive ("Ver solo las últimas
cinco líneas"). These functions do that trimming; the Spanish rules are the
most complete because Aula's first course is Spanish, other languages get the
language-neutral part.
"""

from __future__ import annotations

import re

DESCRIPTION_CHARACTERS = 90

# Openings a description does without ("Primero creamos…" becomes "Crear…"; Spanish "Para" is handled with the verbs).
_LEAD_WORDS = {
    "es": ("para terminar", "por último", "por ejemplo", "a continuación", "primero", "después", "luego", "ahora",
           "finalmente", "también", "además"),
    "en": ("first", "then", "next", "now", "finally", "also", "for example", "to"),
}
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[¿¡\"«(]?[A-ZÁÉÍÓÚÑ0-9]|docker\s)")
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
_CLAUSE_BREAK = re.compile(r":\s|;\s|\s[—–]\s")
_CLAUSE_SPLIT = {"es": re.compile(r",\s+(?:y\s+|e\s+)?|\s+(?:y|e)\s+"), "en": re.compile(r",\s+(?:and\s+)?|\s+and\s+")}

# Spanish: a "we" verb in the present ("listamos") at the start of a clause, with an optional pronoun before it.
_WE_VERB = re.compile(r"(?:(?P<clitic>lo|la|los|las|le|les|nos|se)\s+)?(?P<stem>\w+?)(?P<ending>amos|emos|imos)\b", re.IGNORECASE)
_PURPOSE_THEN_SE = re.compile(r"(\w+(?:ar|er|ir)(?:lo|la|los|las|le|les|se|nos)?\s.*?)\s+se\s+\w+")
_NOT_VERBS = frozenset(("vamos", "somos", "mismos", "primos", "ramos", "tramos", "gramos", "extremos", "supremos"))
# Openings that may stand before the verb: "Si falla, volvemos…", "En el gestor creamos…".
_PREFACE = re.compile(r"(?:en|si|tras|desde|con|cuando|antes|después|al|como|dentro|una vez|por)\s", re.IGNORECASE)


def introduction(paragraph: str, language: str, command_name: str, synopsis: bool = False, options: bool = True) -> str:
    """Return the description a paragraph gives the command block that follows it, or "".

    The candidates: the paragraph's last sentence when it reads as a step
    (in Spanish "Para ver…", "Creamos…") or at least leads into the block with
    a colon, and the sentence that has the command as its subject
    (`docker push envía…`). A synopsis takes the subject sentence first; an
    example with `options` the step or lead-in, which is where they are
    explained; a bare command the step, then the subject sentence.
    """
    text = " ".join(paragraph.split())
    sentences = _SENTENCE_END.split(text)
    last = sentences[-1] if sentences else ""
    step = last if language == "es" and _starts_like_a_step(last) else ""
    lead_in = last if last.endswith(":") else ""
    subject = next((found for found in (_after_subject(s, command_name) for s in sentences) if found), "")
    if synopsis:
        chosen = subject or lead_in
    elif options:
        chosen = step or lead_in or subject
    else:
        chosen = step or subject or lead_in
    if not chosen:
        return ""
    return clean(_after_subject(chosen, command_name) or chosen, language)


def mention(text: str, language: str) -> str:
    """Return the description that follows a command at the start of a list item."""
    text = " ".join(text.split()).lstrip(":,—–- ")
    return clean(_SENTENCE_END.split(text)[0], language) if text else ""


def clean(text: str, language: str) -> str:
    """Return `text` without remarks in brackets, opening words or trailing punctuation, capitalised."""
    text = _PARENTHESES.sub("", text).strip().rstrip(":.").strip()
    clause = _CLAUSE_BREAK.search(text)
    if clause and clause.start() >= 12:
        text = text[: clause.start()]
    text = _drop_lead_words(text, language)
    if language == "es":
        text = _spanish_steps(text)
    text = text.strip().rstrip(",;").strip()
    return text[:1].upper() + text[1:]


def clauses(description: str, language: str) -> list[str]:
    """Split a description of several steps ("Crear el reloj, leer sus líneas y borrarlo") into one per step."""
    splitter = _CLAUSE_SPLIT.get(language)
    if not splitter or not description:
        return [description]
    return [clean(part, language) for part in splitter.split(description) if part.strip()]


def shorten(text: str, limit: int = DESCRIPTION_CHARACTERS) -> str:
    """Return `text` cut to about `limit` characters, at a comma if there is one, else at a word."""
    if len(text) <= limit:
        return text
    comma = text.rfind(", ", 30, limit)
    if comma > 0:
        return text[:comma]
    return text[: text.rfind(" ", 0, limit)].rstrip(",;:") + "…"


def _after_subject(sentence: str, command_name: str) -> str:
    """Return what a sentence says a command does, when the command is its subject."""
    lowered = sentence.lower()
    start = lowered.find(command_name + " ")
    if start < 0 or (start > 0 and not lowered[:start].rstrip().endswith(",")):
        return ""
    rest = sentence[start + len(command_name) :].strip()
    return rest if len(rest) >= 10 else ""


def _drop_lead_words(text: str, language: str) -> str:
    changed = True
    while changed:
        changed = False
        for lead in _LEAD_WORDS.get(language, ()):
            if text.lower().startswith(lead) and text[len(lead) : len(lead) + 1] in (" ", ","):
                text = text[len(lead) :].lstrip(", ")
                changed = True
    return text


def _is_we_verb(match: re.Match | None) -> bool:
    if match is None:
        return False
    word = (match.group("stem") + match.group("ending")).lower()
    # Present-tense "we" forms carry no written accent ("últimos" is no verb); "-aremos" is the future.
    return word not in _NOT_VERBS and not set(word) & set("áéíóú") and not re.search(r"[aei]remos$", word)


def _starts_like_a_step(sentence: str) -> bool:
    return sentence.startswith("Para ") or _is_we_verb(_WE_VERB.match(_preface_dropped(sentence)))


def _preface_dropped(text: str) -> str:
    """Drop an opening such as "En el primer equipo" or "Si falla," before a "we" verb."""
    if not _PREFACE.match(text):
        return text
    for space in re.finditer(r"\s+", text[:90]):
        before = text[: space.start()]
        if (before.endswith(",") or len(before.split()) <= 4) and _is_we_verb(_WE_VERB.match(text, space.end())):
            return text[space.end() :]
    return text


def _spanish_steps(text: str) -> str:
    """Put "we" verbs at the start of each step into the infinitive: "Listamos…, y los borramos" → "Listar…, y borrarlos"."""
    if text.startswith("Para ") or text.startswith("para "):
        # "Para ver X, pasamos Y": the purpose is the description.
        purpose, comma, rest = text[5:].partition(", ")
        if comma and _is_we_verb(_WE_VERB.match(_drop_lead_words(rest, "es"))):
            return purpose
        impersonal = _PURPOSE_THEN_SE.match(text[5:])  # "Para unir un gestor se pide su token"
        if impersonal and not re.search(r"\b(?:que|donde|cuando|como|cual|si)\b", impersonal.group(1)):
            return impersonal.group(1)
        text = text[5:]
    text = _preface_dropped(text)
    parts = re.split(r"(,\s+(?:y\s+|e\s+)?|\s+(?:y|e)\s+)", text)
    return "".join(_infinitive(part) if index % 2 == 0 else part for index, part in enumerate(parts))


def _infinitive(step: str) -> str:
    match = _WE_VERB.match(step)
    if match is None or not _is_we_verb(match):
        return step
    verb = match.group("stem") + {"amos": "ar", "emos": "er", "imos": "ir"}[match.group("ending").lower()]
    return verb + (match.group("clitic") or "").lower() + step[match.end() :]
