"""Input errors shown in the page (gr.Error), never as a traceback."""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from typing import Any, TypeVar

import gradio as gr
import pandas as pd

from recommenders.errors import RecommenderInputError

T = TypeVar("T")


def friendly(fn: Callable[..., T]) -> Callable[..., T]:
    """Turn the package's input errors into a message in the page (gr.Error), never a traceback.

    The message is shown as text in a toast; it is escaped because Gradio renders it as HTML and
    it can quote what the visitor typed.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return fn(*args, **kwargs)
        except RecommenderInputError as exc:
            raise gr.Error(html.escape(str(exc)), print_exception=False) from None

    return wrapper


def warn_if_short(results: pd.DataFrame, k: float) -> None:
    """A soft notice when the tag filter left fewer than k artists."""
    if len(results) < int(k):
        gr.Warning(f"Only {len(results)} artists passed the tag/genre filter.")
