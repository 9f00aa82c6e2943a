"""Raw values of the shared controls (from the page, gradio_client or REST), checked before use.

The recommend events skip Gradio's preprocessing (it costs a worker-thread trip per input), so
these checks stand in for it and are at least as strict: a value must be one of a Dropdown's or
a Radio's choices, a Slider's value a number in its range, and a multiselect's value a list of
text. Where Gradio would pass a value on (a bare string as a multiselect's value, whose letters
then become nine one-letter artists; a list with numbers in it) or fail with a TypeError (a
penalty of "abc"), these refuse it. Each refusal is a RecommenderInputError that says what is
accepted, which the handlers show beside the inputs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from recommenders.errors import RecommenderInputError

SHOWN_CHARS = 60  # how much of a refused value a message repeats


def shown(value: object) -> str:
    """A refused value as a message quotes it: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def text_list(value: object, what: str, example: str) -> list[str]:
    """A multiselect's value: a list of text (None: nothing chosen)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecommenderInputError(
            f"{what} must be a list of names, e.g. {example}; got {type(value).__name__} "
            f"{shown(value)}."
        )
    for item in value:
        if not isinstance(item, str):
            raise RecommenderInputError(
                f"{what} must be names given as text, e.g. {example}; got {shown(item)}."
            )
    return list(value)


def one_of(value: Any, choices: Sequence[Any], what: str) -> Any:
    """A Dropdown's or Radio's value: one of its choices (a number for a number, text for
    text: "10" is not 10, nor True 1)."""
    for choice in choices:
        same_kind = isinstance(value, str) == isinstance(choice, str) and not isinstance(
            value, bool
        )
        if same_kind and isinstance(value, (str, int, float)) and value == choice:
            return choice
    offered = ", ".join(str(c) for c in choices)
    raise RecommenderInputError(f"{what} must be one of {offered}; got {shown(value)}.")


def number_in(value: object, low: float, high: float, what: str) -> float:
    """A Slider's value: a number (not text) from ``low`` to ``high``."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
        if math.isfinite(number) and low <= number <= high:
            return number
    raise RecommenderInputError(
        f"{what} must be a number from {low:g} to {high:g}; got {shown(value)}."
    )
