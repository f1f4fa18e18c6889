"""The 16 error categories Nova assigns, loaded from ``taxonomy.json`` beside this module.

Each category has a definition, a retry hint and a recommended-fix sentence whose
placeholders are filled from the error. :func:`render_fix` drops the parts whose placeholders
stay unfilled, so a fix never shows an empty value or a literal ``{name}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "CATEGORIES",
    "Category",
    "disambiguation_rules",
    "get_category",
    "render_fix",
    "render_sentence",
]

# A group "[A|B|...]" contains alternatives without nested brackets.
_GROUP = re.compile(r"\[([^\[\]]*)\]")
_PLACEHOLDER = re.compile(r"\{(\w+)(?:\|([^{}]*))?\}")


@dataclass(frozen=True)
class Category:
    """One error category of the taxonomy."""

    name: str
    definition: str
    fix_template: str
    fix_sentence: str
    specific_fix_sentences: tuple[str, ...]
    """Sentences for a narrower case, tried before ``fix_sentence``. The first whose
    placeholders outside ``[...]`` groups are all filled is used."""
    parameters: tuple[str, ...]
    retry_hint: str
    """``always``, ``never``, or the condition: ``after_refresh``, ``after_reset``,
    ``after_refetch``, ``once``."""
    typical_http_status: tuple[int, ...]
    anchor_codes: tuple[str, ...]

    @property
    def retryable(self) -> bool:
        """Whether the same request can succeed later without a change to the workflow."""
        return self.retry_hint != "never"


def _retry_hint(value: bool | str) -> str:
    if value is True:
        return "always"
    if value is False:
        return "never"
    return value


@cache
def _read_taxonomy() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("taxonomy.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def _load() -> dict[str, Category]:
    categories = {}
    for entry in _read_taxonomy()["categories"]:
        categories[entry["name"]] = Category(
            name=entry["name"],
            definition=entry["definition"],
            fix_template=entry["fix_template"],
            fix_sentence=entry["fix_sentence"],
            specific_fix_sentences=tuple(entry.get("specific_fix_sentences", ())),
            parameters=tuple(entry["parameters"]),
            retry_hint=_retry_hint(entry["retryable"]),
            typical_http_status=tuple(entry["typical_http_status"]),
            anchor_codes=tuple(entry["anchor_codes"]),
        )
    return categories


CATEGORIES: tuple[str, ...] = tuple(_load())
"""The category names, in taxonomy order; ``unknown`` is the last."""


def disambiguation_rules() -> dict[str, str]:
    """Return the rules that settle the borders between categories, by rule id.

    The labels in ``datasets/errors`` follow them, and ``relabels.jsonl`` there names the
    rule behind each changed label.
    """
    return {entry["id"]: entry["rule"] for entry in _read_taxonomy()["disambiguation_rules"]}


def get_category(name: str) -> Category:
    """Return the category called ``name`` or raise KeyError naming the valid ones."""
    try:
        return _load()[name]
    except KeyError:
        raise KeyError(
            f"unknown error category {name!r}; expected one of {', '.join(CATEGORIES)}"
        ) from None


def render_fix(category: str, parameters: Mapping[str, object]) -> str:
    """Fill the category's fix sentence from ``parameters`` and drop what stays unfilled.

    A value of None or an empty string counts as unfilled. A specific sentence whose required
    values are all present wins over the category's general one.
    """
    entry = get_category(category)
    for sentence in entry.specific_fix_sentences:
        rendered = render_sentence(sentence, parameters)
        if rendered:
            return rendered
    return render_sentence(entry.fix_sentence, parameters)


def render_sentence(template: str, parameters: Mapping[str, object]) -> str:
    """Fill a sentence written in the ``fix_sentence`` syntax of ``taxonomy.json``.

    Return an empty string when a placeholder outside a ``[...]`` group has no value and no
    default.
    """
    values = {key: str(value) for key, value in parameters.items() if value not in (None, "")}

    def fill(text: str) -> str | None:
        missing = False

        def substitute(match: re.Match[str]) -> str:
            nonlocal missing
            name, default = match.group(1), match.group(2)
            if name in values:
                return values[name]
            if default is not None:
                return default
            missing = True
            return ""

        filled = _PLACEHOLDER.sub(substitute, text)
        return None if missing else filled

    def choose(match: re.Match[str]) -> str:
        for alternative in match.group(1).split("|"):
            filled = fill(alternative) if "{" in alternative else alternative
            if filled is not None:
                return filled
        return ""

    # Alternatives inside groups are split on "|", so defaults ("{x|y}") are not allowed there.
    # Each part of the template is filled once, so a value that contains braces, such as the
    # pattern ^[0-9]{5}$, is never read as a placeholder.
    pieces: list[str | None] = []
    position = 0
    for match in _GROUP.finditer(template):
        pieces.append(fill(template[position : match.start()]))
        pieces.append(choose(match))
        position = match.end()
    pieces.append(fill(template[position:]))
    filled = [piece for piece in pieces if piece is not None]
    if len(filled) < len(pieces):
        return ""
    sentence = re.sub(r"\s{2,}", " ", "".join(filled)).strip()
    # A provider's name keeps its own spelling at the start of a sentence, as in "n8n rejected".
    if "provider" in values and sentence.startswith(values["provider"]):
        return sentence
    return sentence[:1].upper() + sentence[1:]
