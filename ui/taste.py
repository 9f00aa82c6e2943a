"""One taste per visit, on every tab, and picks that never block on one unknown name.

The taste is the visit's last picks (from whichever tab recommended from picks) with its 👍 and
"not for me" (ui.session). A tab that opens behind it fills its picker with those picks and shows
their results (``follow``): Discover's picks are what Compare, Clustering, SVD map and Softmax
open with.

An unknown name among the picks no longer refuses the request (``forgiving``): the tab recommends
from the names that resolve and shows the unknown ones, each with its "did you mean" buttons,
beside the cards; a click replaces the name and recommends again (``wire_fixes``). Only the UI is
forgiving: ``Bundle.recommend`` stays strict for scripts and the API, raising an input error with
the suggestions; when no pick resolves (and there is no 👍), that error is what the visitor sees.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import gradio as gr

from recommenders.bundle import Bundle
from recommenders.errors import RecommenderInputError
from recommenders.query import RecQuery
from ui import checks, errors, inputs, session

T = TypeVar("T")
Unknown = list[tuple[str, tuple[str, ...]]]  # (name as typed, "did you mean" names)


def unknown_picks(bundle: Bundle, picks: Sequence[str]) -> Unknown:
    """The picks no catalog artist answers to, each with the names search suggests."""
    found: Unknown = []
    for pick in dict.fromkeys(p for p in picks if p.strip()):
        try:
            bundle.resolve_artists([pick])
        except RecommenderInputError as exc:
            found.append((pick, tuple(n for _typed, names in exc.suggestions for n in names)))
    return found


def forgiving(
    bundle: Bundle,
    work: Callable[[RecQuery], T],
    source: object,
    picks: object,
    user_id: object,
    k: object,
    tags: object,
    penalty: object,
    visit: dict[str, Any] | None = None,
) -> tuple[T, list[str], Unknown]:
    """``work(query)`` for the controls' values (ui.inputs.visit_query), and when some picks are
    unknown, for the others: (result, the picks used, the unknown picks with suggestions).
    Raises the strict input error when nothing is left to recommend from, or the error is not
    about unknown picks."""
    query = inputs.visit_query(source, picks, user_id, k, tags, penalty, visit)
    picked = checks.text_list(picks, "The artists you like", "['Radiohead', 'Muse']")
    try:
        return work(query), picked, []
    except RecommenderInputError:
        unknown = unknown_picks(bundle, picked) if query.user_id is None else []
        left = [p for p in picked if p not in {name for name, _ in unknown}]
        liked = (visit or {}).get("like")
        if not unknown or not (any(p.strip() for p in left) or liked):
            raise
    query = inputs.visit_query(source, left, user_id, k, tags, penalty, visit)
    return work(query), left, unknown


def unknown_html(unknown: Unknown) -> str:
    """The unknown picks beside the cards: each with its "did you mean" buttons (ui.errors'
    data-bad / data-good, so the status's click listener replaces it), or a button that removes
    it when search suggests nothing."""
    if not unknown:
        return ""
    lines = []
    for typed, good in unknown[:5]:
        shown = typed if len(typed) <= 40 else typed[:39] + "…"
        bad = html.escape(typed)
        buttons = "".join(
            f'<button class="suggest" data-bad="{bad}" data-good="{html.escape(g)}">'
            f"{html.escape(g)}</button>"
            for g in good[:3]
        )
        if buttons:
            text = f"“{html.escape(shown)}” is not in the 2011 catalog. Did you mean"
        else:
            text = f"“{html.escape(shown)}” is not in the 2011 catalog"
            buttons = f'<button class="suggest" data-bad="{bad}" data-good="">Remove it</button>'
        lines.append(f'<div class="suggestions">{text}: {buttons}</div>')
    more = (
        f'<div class="suggestions">… and {len(unknown) - 5} more.</div>' if len(unknown) > 5 else ""
    )
    return (
        f'<div class="status info unknown-picks" role="status">{"".join(lines)}{more}'
        "<div>The cards below come from your other artists.</div></div>"
    )


def feedback_note(visit: dict[str, Any] | None) -> str:
    """A line saying that the visit's 👍 and "not for me" count here too ("" without them)."""
    visit = visit or {}
    parts = []
    if visit.get("like"):
        parts.append("with your 👍 " + ", ".join(visit["like"].values()))
    if visit.get("exclude"):
        parts.append("without " + ", ".join(visit["exclude"].values()) + " (not for me)")
    return errors.info_html("From your visit: " + "; ".join(parts) + ".") if parts else ""


def remember(
    visit: dict[str, Any] | None, tab: str, source: object, picks: list[str]
) -> dict[str, Any]:
    """The visit after a tab recommended: picks (not an existing user) become the taste, and
    the tab shows it."""
    visit = visit if isinstance(visit, dict) and "like" in visit else session.new_session()
    if source == inputs.SOURCE_PICKS:
        visit = session.with_picks(visit, picks)
        session.mark_showing(visit, tab)
    return visit


def picker_update(bundle: Bundle, picks: list[str]) -> dict[str, Any]:
    """The picker holding ``picks`` (its choices: them, then the most listened artists)."""
    names = list(dict.fromkeys([*picks, *inputs.top_artist_names(bundle)]))
    return gr.update(choices=[(n, n) for n in names], value=list(picks))


def follow(
    bundle: Bundle,
    tabs: Sequence[gr.Tab],
    name: str,
    state: gr.State,
    picker: gr.Dropdown,
    source: gr.Radio | None,
    controls: list[Any],
    outputs: list[Any],
    show: Callable[..., tuple[Any, ...]],
    otherwise: Callable[..., Any] | None = None,
    **options: Any,
) -> None:
    """On selecting any of ``tabs``: when the visit's taste is newer than what the tab shows,
    put its picks in the tab's picker (and "Artists I pick" in ``source``) and show
    ``show(picks, visit, *control values)``, the tab's own outputs; else ``otherwise(visit,
    *control values)`` (default: leave everything as it is)."""

    def on_open(current: dict[str, Any], *values: Any) -> Any:
        if not session.behind(current, name):
            return otherwise(current, *values) if otherwise else gr.skip()
        picks = session.taste_picks(current)
        chosen = (inputs.SOURCE_PICKS,) if source is not None else ()
        return (*chosen, picker_update(bundle, picks), *show(picks, current, *values))

    on_open.__annotations__ = {}  # (Gradio reads a handler's hints on every call)
    gr.on(
        [tab.select for tab in tabs],
        on_open,
        [state, *controls],
        [*([source] if source is not None else []), picker, *outputs],
        # "minimal": no overlay over the tab when it only checks and has nothing to do
        **{"api_visibility": "private", "concurrency_id": "recommend", "preprocess": False,
           "show_progress": "minimal", **options},
    )  # fmt: skip


def fix_pick(picks: list[str] | None, evt: gr.EventData) -> list[str]:
    """A "did you mean" click: the suggestion replaces the unknown name; "Remove it" (no
    suggestion) takes it out. Never fails."""
    data = event_fields(evt, "bad", "good")
    good = data["good"]
    bad = data["bad"] if isinstance(data["bad"], str) else None
    kept = [p for p in picks if isinstance(p, str)] if isinstance(picks, list) else []
    if not isinstance(good, str) or not good:
        return [p for p in kept if p != bad]
    return errors.replace_pick(kept, bad, good)


def wire_fixes(status: gr.HTML, picker: gr.Dropdown, run: dict[str, Any], prefix: str) -> None:
    """A click on a "did you mean" (or "Remove it") in ``status``: fix the picker, then run the
    tab's request again (``run``: its event options)."""
    status.click(
        fix_pick, [picker], [picker], api_name=f"{prefix}_fix_pick", api_visibility="private",
        queue=False, show_progress="hidden",
    ).then(**{**run, "api_name": f"{prefix}_fixed", "api_visibility": "private"})  # fmt: skip


def event_fields(evt: gr.EventData, *names: str) -> dict[str, Any]:
    """The fields a gr.HTML's ``trigger('click', {...})`` sent, read as Gradio documents it:
    attribute access on gr.EventData (gr.HTML's own example reads ``evt.option``). A field that
    was not sent is None; so is every field of an event sent without data, where Gradio's
    lookup raises TypeError instead of AttributeError."""
    fields = {}
    for field in names:
        try:
            fields[field] = getattr(evt, field)
        except (AttributeError, TypeError):
            fields[field] = None
    return fields
