"""The controls every tab shares (pickers, k, filters, "who is asking") and the one place that
turns their values into a ``RecQuery``."""

from __future__ import annotations

import functools
import json
import statistics
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import gradio as gr

from recommenders.bundle import Bundle
from recommenders.errors import RecommenderInputError
from recommenders.query import RecQuery
from ui import checks, session

DEFAULT_K = 10
# Choices sent with the page: the most listened artists in each picker (typing searches the whole
# catalog on the server) and the most common tags in each filter (any other tag can be typed).
# Every page load copies and compresses the page config; 200 and 100 made it a third heavier.
PICKER_CHOICES = 24
LABEL_CHOICES = 30
EXAMPLE_PICKS = [
    ["Radiohead", "Muse", "Coldplay"],
    ["Britney Spears", "Lady Gaga", "Rihanna"],
    ["Metallica", "Iron Maiden"],
    ["Daft Punk", "Massive Attack"],
]


def example_users(bundle: Bundle, n: int = 3) -> list[int]:
    """Real user ids to offer as examples (the first, middle and last of the dataset)."""
    ids = list(bundle.user_ids)
    return sorted({int(ids[0]), int(ids[len(ids) // 2]), int(ids[-1])})[:n]


def user_chips(source: gr.Radio, picker: gr.Dropdown, user: gr.Textbox, bundle: Bundle) -> list:
    """Example buttons for existing users (ids that exist); set the inputs in the page."""
    events = []
    with gr.Row(elem_classes="example-chips"):
        for user_id in example_users(bundle):
            button = gr.Button(f"Last.fm user {user_id}", size="sm", min_width=0)
            js = f"() => [{json.dumps(SOURCE_USER)}, [], {json.dumps(str(user_id))}]"
            events.append(button.click(None, None, [source, picker, user], js=js))
    return events


def top_artist_names(bundle: Bundle, limit: int = PICKER_CHOICES) -> list[str]:
    return bundle.top_artists(limit)


@functools.lru_cache(maxsize=4)
def label_choices(bundle: Bundle) -> list[str]:
    """The most common tags/genres, computed once per bundle (every tab offers them)."""
    return bundle.known_labels()[:LABEL_CHOICES]


def artist_picker(
    bundle: Bundle,
    elem_id: str,
    label: str = "Artists you like",
    one: bool = False,
    info: str = "Type a few letters (typos and accents are fine), pick, repeat.",
) -> gr.Dropdown:
    """A light picker: the most listened artists as choices, any other name can be typed
    (validated server-side by the Bundle), and typing fetches matching names from the server.

    Always a multi-select, even for ``one`` artist (wire_search then keeps the latest pick):
    Gradio's single-select list draws the indices it filtered from the previous choices against
    the new ones, which throws a TypeError whenever the server's list is shorter, and then
    shows stale names."""
    return gr.Dropdown(
        choices=top_artist_names(bundle),
        value=[],
        multiselect=True,
        allow_custom_value=True,
        filterable=True,
        label=label,
        info=info,
        elem_id=elem_id,
        elem_classes=["artist-picker", *(["one-artist"] if one else [])],
    )


def plain_spelling(name: str) -> str:
    """The name without accents ("Motörhead" → "Motorhead"): how a keyboard without them writes
    it. (Display only: recommenders.text owns the keys search uses.)"""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_label(name: str, typed: str, known_as: str | None = None) -> str | None:
    """The shown label of a match for ``typed``, or None to leave it out.

    Gradio's multi-select hides every choice whose label does not contain the typed text (its
    lower case), so a label names the spelling that shows it: the name itself; the other name
    or reading that matched ("tvxq" → "東方神起 · TVXQ!"); the name without accents ("bjork" →
    "Björk · Bjork") or punctuation ("acdc" → "AC/DC · ACDC"). Only a match that no spelling
    shows (a typo, "radiohed" → Radiohead; a half-composed syllable, "동바" → 동방신기) carries
    the typed text; search_choices offers those only above every match that spells it."""
    typed = typed.strip()
    key = typed.lower()
    if key in name.lower():
        return name
    if known_as and key in known_as.lower():
        return f"{name} · {known_as}"
    plain = plain_spelling(name)
    at = plain.lower().find(key) if key else -1
    if at >= 0:  # the words of the name that show it: "Dirty Projectors + Björk · Bjork"
        start = max(plain.rfind(" ", 0, at) + 1, 0)
        end = plain.find(" ", at + len(key))
        return f"{name} · {plain[start : end if end >= 0 else len(plain)]}"
    compact = "".join(c for c in plain if c.isalnum())
    if compact and key in compact.lower():
        return f"{name} · {compact}"
    return None


def search_choices(
    bundle: Bundle, picked: list[str] | str | None, typed: str | None
) -> dict[str, Any]:
    """Choices for the picker while typing: server-side matches first (a near miss that shows
    only the typed text is left out below a match that spells it: "radioh" offers Radiohead,
    not "Radiola · radioh"), then what is picked, always under its plain name (a token shows the
    label of its choice)."""
    typed = typed.strip() if isinstance(typed, str) else ""
    picked = [picked] if isinstance(picked, str) else picked
    picked = [p for p in picked if isinstance(p, str)] if isinstance(picked, list) else []
    if not typed:
        names = list(dict.fromkeys([*picked, *top_artist_names(bundle)]))
        return gr.update(choices=[(n, n) for n in names])
    choices, spelt = [], False
    for name, known_as in bundle.search_suggestions(typed[:100], limit=12):
        if name in picked:
            continue
        label = search_label(name, typed, known_as)
        spelt = spelt or label is not None
        if label is None and not spelt:
            label = f"{name} · {typed}"
        if label is not None:
            choices.append((label, name))
    choices += [(p, p) for p in picked]
    return gr.update(choices=choices)


# Installed once per box on focus: an input event that no key press caused sends the key-up the
# search listens to (key presses, input-method keys included, send their own).
SEARCH_ON_INPUT_JS = """() => {
  const box = document.querySelector(%r);
  if (!box || box.dataset.searchOnInput) return;
  box.dataset.searchOnInput = "1";
  let keyed = false;
  box.addEventListener("keydown", () => { keyed = true; });
  box.addEventListener("input", () => {
    if (!keyed) box.dispatchEvent(new KeyboardEvent("keyup", {key: "Unidentified", bubbles: true}));
    keyed = false;
  });
}"""


def wire_search(bundle: Bundle, picker: gr.Dropdown, typed: gr.Textbox, name: str) -> None:
    """Server-side search while typing in ``picker`` (cheap, off the queue).

    The typed text is read from the page when the event fires (a js step), not from the key-up
    event data: Gradio re-sends the first key's stale data for a burst of fast keys."""
    selector = f"#{picker.elem_id} input"

    def on_key(picked: list[str] | str | None, query: str | None) -> dict[str, Any]:
        return search_choices(bundle, picked, query)

    picker.key_up(
        on_key,
        [picker, typed],
        picker,
        api_name=name,
        queue=False,
        show_progress="hidden",
        trigger_mode="always_last",
        js=f"(picked, q) => [picked, document.querySelector({selector!r})?.value ?? '']",
    )
    # Text that arrives with no key event (pasted, dictated, some phone keyboards) searches too.
    picker.focus(None, None, None, js=SEARCH_ON_INPUT_JS % selector, api_visibility="private")
    # After a pick, plain labels again (a token shows its choice's label: "Radiohead · Radiohed"
    # would stay in the box); a one-artist picker keeps only its latest pick. The pick is read
    # from the event: the picker's value the event sends is the one from before the pick.
    one = "one-artist" in (picker.elem_classes or [])

    def on_pick(picked: list[str] | None, evt: gr.SelectData) -> dict[str, Any]:
        names = [p for p in picked if isinstance(p, str)] if isinstance(picked, list) else []
        if evt.selected and isinstance(evt.value, str):
            names = [evt.value] if one else list(dict.fromkeys([*names, evt.value]))
        update = search_choices(bundle, names, "")
        return {**update, "value": names} if one else update

    on_pick.__annotations__["evt"] = gr.SelectData  # read by Gradio, not kept as text
    picker.select(
        on_pick,
        picker,
        picker,
        api_visibility="private",
        queue=False,
        show_progress="hidden",
    )


def search_box() -> gr.Textbox:
    """The hidden text the search reads (the API's ``query`` argument)."""
    return gr.Textbox(visible=False, label="query")


def example_label(picks: list[str]) -> str:
    return " · ".join(picks)


def example_chips(
    picker: gr.Dropdown, examples: list[list[str]], source: gr.Radio | None = None
) -> list[Any]:
    """One button per example that fills the picker (and sets ``source`` to picks) in the page:
    no server round trip, so it cannot fail. Returns the click events so the tab can chain its
    recommend to them."""
    events = []
    targets = [picker] if source is None else [source, picker]
    with gr.Row(elem_classes="example-chips"):
        for picks in examples:
            value = picks if picker.multiselect else picks[0]  # one name for a single select
            values = [value] if source is None else [SOURCE_PICKS, value]
            button = gr.Button(example_label(picks), size="sm", variant="secondary", min_width=0)
            js = f"() => {json.dumps(values)}"  # one value per output, even for one output
            events.append(button.click(None, None, targets, js=js))
    return events


K_CHOICES = [5, 10, 15, 20, 30, 50]


# The popularity control's settings (Bundle.listener_range turns each into a listener ceiling).
POPULARITY_SETTINGS = (0.0, 0.25, 0.5, 0.75, 1.0)


def popularity_choices(bundle: Bundle) -> list[tuple[str, float]]:
    """The popularity settings as the visitor reads them: "at most 78 of 1,892 listeners"."""
    choices = []
    for setting in POPULARITY_SETTINGS:
        limits = bundle.listener_range(setting)
        label = (
            "any number of listeners"
            if limits is None
            else f"at most {limits[1]:,} of {bundle.n_users:,} listeners"
        )
        choices.append((label, setting))
    return choices


# A change of the popularity control presses the tab's own button when the tab shows results
# (in the page, as an example chip fills the picker: no endpoint of its own).
PRESS_WHEN_SHOWN_JS = """() => {
  const shown = document.getElementById(%r);
  if (shown && shown.offsetParent !== null && shown.querySelector('.card-grid, table'))
    document.getElementById(%r)?.click();
}"""


def controls(
    bundle: Bundle, prefix: str | None = None
) -> tuple[gr.Dropdown, gr.Dropdown, gr.Radio]:
    """k, the tag/genre filter and the popularity control, the same on every tab. With a
    ``prefix``, the tab's button and results carry the ids ``{prefix}-go`` and
    ``{prefix}-results``, and a new popularity setting applies at once to results on screen."""
    with gr.Row():
        k = gr.Dropdown(K_CHOICES, value=DEFAULT_K, label="How many artists", min_width=120)
        tags = gr.Dropdown(
            choices=label_choices(bundle),
            multiselect=True,
            allow_custom_value=True,
            label="Only these tags / genres",
            info="Optional, e.g. rock, indie, hip-hop.",
        )
    penalty = gr.Radio(
        popularity_choices(bundle),
        value=0.0,
        label="Fewer mainstream artists",
        info=f"How many of the {bundle.n_users:,} Last.fm listeners of 2011 may play a "
        "recommended artist.",
        elem_classes="popularity",
    )
    if prefix:
        js = PRESS_WHEN_SHOWN_JS % (f"{prefix}-results", f"{prefix}-go")
        penalty.input(None, None, None, js=js, api_visibility="private", queue=False)
    return k, tags, penalty


# -- the shared "who is asking" input ----------------------------------------------------------
SOURCE_PICKS = "Artists I pick"
SOURCE_USER = "An existing Last.fm user"


def searchable_picker(
    bundle: Bundle, prefix: str, api_name: str | None = None, **options: Any
) -> gr.Dropdown:
    """The artist picker (``options``: artist_picker's) with its server-side search wired
    (api ``api_name``, hidden from API docs and MCP by mcp_tools.only_tools_in_mcp)."""
    picker = artist_picker(bundle, f"{prefix}-picker", **options)
    wire_search(bundle, picker, search_box(), api_name or f"{prefix}_search")
    return picker


def source_inputs(bundle: Bundle, prefix: str) -> tuple[gr.Radio, gr.Dropdown, gr.Textbox]:
    """Either artists picked now (a new listener) or an existing user of the dataset."""
    source = gr.Radio([SOURCE_PICKS, SOURCE_USER], value=SOURCE_PICKS, label="Recommend for")
    with gr.Row(elem_classes="stack-on-phone"):
        picker = searchable_picker(bundle, prefix)
        # A text box, not gr.Number: Gradio's own number parsing would answer "abc" or 2.5 from
        # the API with a generic error (or silent rounding); RecQuery says what is wrong.
        user = gr.Textbox(
            label="Last.fm user id",
            value=None,
            placeholder="e.g. 2",
            info=f"e.g. {', '.join(map(str, example_users(bundle)))}; used when 'existing user' "
            "is selected.",
        )
    return source, picker, user


def make_query(
    source: object,
    picks: object,
    user_id: object,
    k: object,
    tags: object,
    penalty: object,
    exclude: Iterable[str | int] = (),
    extra_liked: Iterable[int] = (),
    plays: Mapping[str, float] | None = None,
) -> RecQuery:
    """One validated query from the shared controls' raw values (ui.checks: as strict as
    Gradio's own preprocessing; an input error saying what is accepted if something is wrong).
    ``extra_liked``: artist ids the visitor gave a 👍, added to the picks. ``plays``: play counts
    by picked name from a listening history; picks and 👍 artists without one get the median
    count, so an artist added by hand weighs like a typical artist of the history."""
    source = checks.one_of(source, [SOURCE_PICKS, SOURCE_USER], "'Recommend for'")
    picked = checks.text_list(picks, "The artists you like", "['Radiohead', 'Muse']")
    common = {
        "k": checks.one_of(k, K_CHOICES, "How many artists"),
        "tags": checks.text_list(tags, "The tag / genre filter", "['rock', 'indie']"),
        "popularity_penalty": checks.number_in(penalty, 0, 1, "The popularity penalty"),
        "exclude": list(exclude),
    }
    if source == SOURCE_USER:
        if user_id is None or not str(user_id).strip():
            raise RecommenderInputError("Type an existing Last.fm user id first, e.g. 2.")
        return RecQuery.of(user_id=user_id, **common)
    names: list[str | int] = [p for p in picked if p.strip()]
    names += [int(i) for i in extra_liked]
    if not names:
        raise RecommenderInputError(
            "Pick at least one artist first (type a name, e.g. 'Radiohead', and press Enter)."
        )
    if plays:
        typical = statistics.median(plays.values())
        weights = {n: plays.get(n, typical) if isinstance(n, str) else typical for n in names}
        return RecQuery.of(liked=weights, **common)
    return RecQuery.of(liked=names, **common)


def visit_query(
    source: object,
    picks: object,
    user_id: object,
    k: object,
    tags: object,
    penalty: object,
    visit: dict[str, Any] | None = None,
) -> RecQuery:
    """The query every tab's Recommend runs: ``make_query`` with the visit's feedback (ui.session)
    when the tab has it: its 👍 artists added to the picks, its "not for me" never returned, and
    its listening history's play counts as weights."""
    visit = visit or session.new_session()
    return make_query(
        source,
        picks,
        user_id,
        k,
        tags,
        penalty,
        exclude=session.excluded_ids(visit),
        extra_liked=session.liked_ids(visit),
        plays=session.history_plays(visit),
    )
