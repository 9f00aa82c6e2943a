"""Input errors as a message beside the inputs, never a traceback, a toast or a red badge.

Handlers return a status (HTML) as their first output: an input error becomes that status and
blanks the results, so stale cards never sit beside an error and no input is ever an output of
an event that can fail (Gradio marks an errored event's outputs with a sticky "Error" badge).
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from typing import Any

import gradio as gr
import pandas as pd

from recommenders.errors import RecommenderInputError, Suggestions

# One listener on the status block turns a click on a suggestion into one Gradio event.
FIX_JS = (
    "element.addEventListener('click', (e) => { const b = e.target.closest('button[data-good]');"
    " if (b) trigger('click', {bad: b.dataset.bad, good: b.dataset.good}); });"
)


# Results and errors come into view where the visitor is looking (a phone shows a fifth of the
# page): when a block's value changes, its first card or message is scrolled into view if it is
# out of sight, unless the visitor is reading inside the block already (a 👍 on the seventh card
# must not jump to the first). ``watch`` is gr.HTML's documented hook for value updates; an
# update that changes nothing (the same cards again) does not fire it, and leaves the page still.
# A button pressed inside the block (a card's 👍, an undo) is replaced by the update; the focus
# goes to the button now in its place, so that keyboard users keep their place in the list.
SHOW_JS = """
let pressed = null;
element.addEventListener('click', (e) => {
  const button = e.target.closest('button');
  if (button) pressed = [...element.querySelectorAll('button')].indexOf(button);
}, true);
watch('value', () => {
  const buttons = element.querySelectorAll('button');
  const lost = !document.activeElement || document.activeElement === document.body;
  if (pressed !== null && lost && buttons.length) {
    buttons[Math.min(pressed, buttons.length - 1)].focus();
    pressed = null;
    return;
  }
  pressed = null;
  const target = element.querySelector('.artist-card, .status, .notice');
  if (!target) return;
  const seen = target.getBoundingClientRect(), block = element.getBoundingClientRect();
  const height = window.innerHeight || document.documentElement.clientHeight;
  if (seen.top >= 0 && seen.bottom <= height) return;
  if (block.top < 0 && block.bottom > height / 2) return;
  const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  target.scrollIntoView({block: 'nearest', behavior: still ? 'auto' : 'smooth'});
});
"""


def live_html(*classes: str, js: str = "", **options: Any) -> gr.HTML:
    """A gr.HTML block (a status, result cards, a summary) that comes into view when its value
    changes (``SHOW_JS``, after the block's own ``js``); ``options``: more gr.HTML arguments."""
    return gr.HTML(js_on_load=js + SHOW_JS, elem_classes=list(classes), **options)


def error_html(message: str, suggestions: Suggestions = ()) -> str:
    """The message, escaped, with one button per "did you mean" name: the error's
    ``suggestions`` (data, never parsed back out of the message, whose wording may change)."""
    lines = []
    for bad, good in suggestions[:5]:
        buttons = "".join(
            f'<button class="suggest" data-bad="{html.escape(bad)}" '
            f'data-good="{html.escape(g)}">{html.escape(g)}</button>'
            for g in good[:3]
        )
        # with several unknown names, each line says which one its buttons replace
        shown = bad if len(bad) <= 40 else bad[:39] + "…"
        label = f"Instead of “{shown}”, did you mean" if len(suggestions) > 1 else "Did you mean"
        lines.append(f'<div class="suggestions">{html.escape(label)}: {buttons}</div>')
    return f'<div class="status error" role="alert">{html.escape(message)}{"".join(lines)}</div>'


def info_html(message: str) -> str:
    return f'<div class="status info">{html.escape(message)}</div>' if message else ""


def replace_pick(picks: list[str] | None, bad: str | None, good: str) -> list[str]:
    """The picks with ``bad`` replaced by ``good`` (appended when ``bad`` is not there)."""
    picks = [p for p in (picks or []) if isinstance(p, str)]
    out = [good if p == bad else p for p in picks]
    return list(dict.fromkeys(out if good in out else [*out, good]))


def guarded(*blank: Any) -> Callable[[Callable[..., tuple[Any, ...]]], Callable[..., Any]]:
    """Decorate a handler whose first output is the status: an input error returns
    (error status, *blank) instead of raising. Other exceptions are bugs and propagate."""

    def decorate(fn: Callable[..., tuple[Any, ...]]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> tuple[Any, ...]:
            try:
                return fn(*args, **kwargs)
            except RecommenderInputError as exc:
                return (error_html(str(exc), exc.suggestions), *blank)

        return wrapper

    return decorate


def short_notice(results: pd.DataFrame, k: float) -> str:
    """A soft notice when the tag filter left fewer than k artists ("" otherwise)."""
    if len(results) < int(k):
        return info_html(f"Only {len(results)} artists passed the tag/genre filter.")
    return ""
