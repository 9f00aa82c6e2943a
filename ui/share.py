"""Links that reopen the same cards: after each Recommend the page's address holds the picks, the
visit's 👍 and "not for me" and the options, so that opening it in another browser shows the same
cards; a "copy link" control sits under the cards.

What a link holds, as short query parameters (only those that differ from the defaults):
``a`` picked artists by id (comma-separated), ``n`` picks by name when one has no id (one a
line), ``l`` 👍 ids, ``x`` "not for me" ids, ``m`` the model, ``k`` how many, ``t`` tags (one a
line), ``pp`` the popularity penalty. Only what the visitor typed or clicked goes in: while an
uploaded listening history shapes the cards there is no link at all (PRIVACY_NOTE).

A link is read back with gr.Request.query_params when the page asks for it (the cards box's
script sends one event on load, and only when the address holds a link: plain visits cost the
server nothing). Every value is checked with the handlers' own checks (ui.checks, and the
recommend flow's name matching); anything refused is left out and said in the status box, and a
link with nothing usable opens to a message, never an error page.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import gradio as gr

from recommenders.bundle import Bundle
from recommenders.errors import RecommenderInputError
from ui import checks, errors, inputs, session

# parameter → what it holds (as the notes about a refused value name it)
LABELS = {
    "a": "picked artists",
    "n": "picked names",
    "l": "👍 artists",
    "x": "not-for-me artists",
    "m": "model",
    "k": "number of artists",
    "t": "tag filter",
    "pp": "popularity penalty",
}
KEYS = tuple(LABELS)
MAX_LINK_CHARS = 2000  # a link's query string; a longer one is refused unread
# A page address with a longer query never reaches Gradio's page route, which answers a bare
# "500 Internal Server Error" past 65,536 characters (httpx refuses the URL): LongLinkGuard.
MAX_PAGE_QUERY = 16_384
TOO_LONG = "link_too_long"  # the mark LongLinkGuard leaves in the address: the query's length
MAX_ARTISTS = 50  # per list (picks, 👍, not for me)
MAX_NAME_CHARS = 200
MAX_TAGS = 20
ARTIST_ID = re.compile(r"[0-9]{1,9}")
NUMBER = re.compile(r"[0-9]{1,3}(\.[0-9]{1,6})?")
PRIVACY_NOTE = (
    "The link holds the artists you picked or clicked and your options; never anything from an "
    "uploaded file."
)
NO_LINK_NOTE = (
    "No link for recommendations shaped by an uploaded listening history: nothing you upload "
    "ever goes in a link."
)


# -- writing ---------------------------------------------------------------------------------
def link_query(
    bundle: Bundle,
    picks: object,
    model: str,
    k: object,
    tags: object,
    penalty: object,
    visit: Mapping[str, Any],
) -> str | None:
    """The query string (``a=190,295&m=svd``) that reopens the cards just shown; None while an
    uploaded history shapes them. Called after a successful recommend: the values are checked."""
    if session.history_plays(dict(visit)):
        return None
    ids, names = [], []
    for pick in picks if isinstance(picks, list) else []:
        try:
            ids.append(bundle.resolve_artists([pick])[0])
        except RecommenderInputError:
            names.append(str(pick))
    params: dict[str, str] = {}
    if ids:
        params["a"] = _ids(ids)
    if names:
        params["n"] = "\n".join(names)
    if visit.get("like"):
        params["l"] = _ids(visit["like"])
    if visit.get("exclude"):
        params["x"] = _ids(visit["exclude"])
    if model != bundle.default_model:
        params["m"] = model
    k = checks.one_of(k, inputs.K_CHOICES, "How many artists")
    if k != inputs.DEFAULT_K:
        params["k"] = str(k)
    if tags:
        params["t"] = "\n".join(str(t) for t in tags)  # type: ignore[union-attr]
    if isinstance(penalty, (int, float)) and penalty > 0:
        params["pp"] = f"{float(penalty):g}"
    return urlencode(params, safe=",", quote_via=quote)


def _ids(ids: Any) -> str:
    return ",".join(str(int(i)) for i in ids)


def share_bar(query: str | None) -> str:
    """The "copy link" control under the cards (its query in ``data-share``, which the page's
    script also writes into the address), or why there is none."""
    if query is None:
        return f'<div class="share-bar"><small>{html.escape(NO_LINK_NOTE)}</small></div>'
    return (
        f'<div class="share-bar" data-share="{html.escape(query)}">'
        '<button data-local="copy-link">🔗 Copy link to these cards</button>'
        '<span class="share-state" role="status" aria-live="polite"></span>'
        f"<small>{html.escape(PRIVACY_NOTE)}</small></div>"
    )


# -- reading ---------------------------------------------------------------------------------
@dataclass
class Opened:
    """A link's values, ready for the controls; ``notes``: what was left out and why."""

    picks: list[str] = field(default_factory=list)
    like: dict[int, str] = field(default_factory=dict)
    exclude: dict[int, str] = field(default_factory=dict)
    model: str = ""
    k: int = inputs.DEFAULT_K
    tags: list[str] = field(default_factory=list)
    penalty: float = 0.0
    notes: list[str] = field(default_factory=list)


def is_link(params: Mapping[str, Any]) -> bool:
    return any(key in params for key in KEYS)


def read_link(bundle: Bundle, params: Mapping[str, Any]) -> Opened:
    """The link's values, each checked as the handlers check it; raises RecommenderInputError
    when the link cannot be opened at all (too long, or no artist to recommend from)."""
    size = sum(len(str(key)) + len(str(value)) + 2 for key, value in params.items())
    if size > MAX_LINK_CHARS:
        raise too_long(size)
    opened = Opened(model=bundle.default_model)
    text = {key: _text(params, key, opened.notes) for key in KEYS}
    names = bundle.catalog["name"]
    opened.picks = [names[i] for i in _artist_ids(text["a"], names, "picked", opened.notes)]
    opened.picks += _names(text["n"], opened.notes)
    opened.like = {i: names[i] for i in _artist_ids(text["l"], names, "👍", opened.notes)}
    opened.exclude = {
        i: names[i] for i in _artist_ids(text["x"], names, "not for me", opened.notes)
    }
    if not opened.picks and not opened.like:
        nothing = "This link names no artist to recommend from: pick a few artists instead."
        raise RecommenderInputError(" ".join([*opened.notes, nothing]))
    opened.model = _option(
        text["m"],
        lambda v: checks.one_of(v, bundle.model_names, "The link's model"),
        bundle.default_model,
        opened.notes,
    )
    opened.k = _option(text["k"], _k, inputs.DEFAULT_K, opened.notes)
    opened.tags = _option(text["t"], _tags, [], opened.notes)
    opened.penalty = _option(text["pp"], _penalty, 0.0, opened.notes)
    return opened


def too_long(size: int) -> RecommenderInputError:
    return RecommenderInputError(
        f"This link is too long to open ({size:,} characters; a link of this page is at most "
        f"{MAX_LINK_CHARS:,}). Pick the artists again instead."
    )


def _text(params: Mapping[str, Any], key: str, notes: list[str]) -> str | None:
    """One parameter as text, None when absent or not readable (then a note says so)."""
    value = params.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or "\ufffd" in value:  # starlette's stand-in for bad UTF-8
        notes.append(f"The link's {LABELS[key]} are not readable text (UTF-8): left out.")
        return None
    return value


def _artist_ids(value: str | None, names: Any, what: str, notes: list[str]) -> list[int]:
    """The known artist ids of a comma-separated list, in order, without repeats."""
    if not value:
        return []
    items = [item.strip() for item in value.split(",") if item.strip()]
    if len(items) > MAX_ARTISTS:
        notes.append(
            f"The link lists {len(items)} {what} artists: the first {MAX_ARTISTS} were kept."
        )
        items = items[:MAX_ARTISTS]
    known = [int(i) for i in items if ARTIST_ID.fullmatch(i) and int(i) in names.index]
    unknown = [i for i in items if not (ARTIST_ID.fullmatch(i) and int(i) in names.index)]
    if unknown:
        notes.append(
            f"{len(unknown)} {what} artist id(s) in the link are not in this catalog and were "
            f"left out (e.g. {checks.shown(unknown[0])})."
        )
    return list(dict.fromkeys(known))


def _names(value: str | None, notes: list[str]) -> list[str]:
    """Picks given by name (one a line), as text for the picker; the recommend matches them."""
    if not value:
        return []
    lines = [line.strip() for line in value.split("\n") if line.strip()]
    usable = [n for n in lines if len(n) <= MAX_NAME_CHARS and n.isprintable()]
    if len(usable) < len(lines):
        left_out = len(lines) - len(usable)
        notes.append(
            f"{left_out} name(s) in the link were too long or not printable text and were left out."
        )
    if len(usable) > MAX_ARTISTS:
        notes.append(f"The link names {len(usable)} artists: the first {MAX_ARTISTS} were kept.")
    return list(dict.fromkeys(usable[:MAX_ARTISTS]))


def _number(value: str) -> float | int:
    """A number from the link's text (an int when whole), or the text itself for the check to
    refuse with its own message."""
    if not NUMBER.fullmatch(value):
        return value  # type: ignore[return-value]
    number = float(value)
    return int(number) if number.is_integer() and "." not in value else number


def _k(value: str) -> int:
    return checks.one_of(_number(value), inputs.K_CHOICES, "The link's number of artists")


def _penalty(value: str) -> float:
    return checks.number_in(_number(value), 0, 1, "The link's popularity penalty")


def _tags(value: str) -> list[str]:
    tags = [t.strip() for t in value.split("\n") if t.strip()]
    if len(tags) > MAX_TAGS or any(len(t) > 60 or not t.isprintable() for t in tags):
        raise RecommenderInputError(
            f"The link's tag filter must be at most {MAX_TAGS} tags of up to 60 characters."
        )
    return checks.text_list(tags, "The link's tag filter", "['rock', 'indie']")


def _option(value: str | None, check: Any, default: Any, notes: list[str]) -> Any:
    """A checked option, or the default with a note saying what was refused."""
    if value is None:
        return default
    try:
        return check(value)
    except RecommenderInputError as exc:
        notes.append(f"{exc} The default was used.")
        return default


# -- the event -------------------------------------------------------------------------------
def notes_html(notes: list[str]) -> str:
    return errors.info_html("Opened from a link. " + " ".join(notes)) if notes else ""


def wire(
    bundle: Bundle,
    cards_box: gr.HTML,
    controls: list[gr.components.Component],
    state: gr.State,
    outputs: list[gr.components.Component],
    answer: Any,
) -> None:
    """The event the cards box's script sends on load when the address holds a link: the
    controls and the visit take the link's values, then the usual recommend answers."""

    async def open_link(
        current: dict[str, Any], request: gr.Request, evt: gr.EventData
    ) -> tuple[Any, ...]:
        params = dict(request.query_params) if request is not None else {}
        dropped = _event_size(evt)  # the page dropped a link too long to send
        skip = tuple(gr.skip() for _ in controls)
        if not is_link(params) and dropped is None:
            return (*skip, "", *(gr.skip() for _ in outputs[1:]))
        try:
            if dropped is not None:
                raise too_long(dropped)
            opened = read_link(bundle, params)
        except RecommenderInputError as exc:
            return (*skip, errors.error_html(str(exc)), *(gr.skip() for _ in outputs[1:]))
        visit = {**current, "like": opened.like, "exclude": opened.exclude}
        values = (opened.picks, opened.model, opened.k, opened.tags, opened.penalty)
        status, *rest = await answer(*values, visit)
        if not (isinstance(rest[1], dict) and "like" in rest[1]):  # an input error: keep feedback
            rest[1] = visit
        return (*values, notes_html(opened.notes) + status, *rest)

    # Gradio reads a handler's hints on each call: real classes, not text (ui.discover).
    open_link.__annotations__ = {"request": gr.Request, "evt": gr.EventData}
    cards_box.submit(
        open_link,
        [state],
        [*controls, *outputs],
        api_name="open_link",
        api_visibility="private",
        preprocess=False,
        postprocess=False,
        concurrency_id="recommend",
    )


def _event_size(evt: gr.EventData) -> int | None:
    """The ``too_long`` size the page's script sent, when it sent a whole number."""
    try:
        size = evt.too_long
    except (AttributeError, TypeError):  # no data, or not that field (see ui.discover)
        return None
    return size if isinstance(size, int) and not isinstance(size, bool) and size > 0 else None


class LongLinkGuard:
    """ASGI middleware (``launch(app_kwargs={"middleware": ...})``): a GET whose query string is
    longer than MAX_PAGE_QUERY is sent (303) to the same path with only ``link_too_long=<its
    length>``, which the page then reports as a link too long to open (LINK_JS). No link this
    page writes comes near it; a hostile one no longer gets Gradio's error page."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        size = len(scope.get("query_string", b"")) if scope["type"] == "http" else 0
        if size <= MAX_PAGE_QUERY or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        where = quote(scope.get("root_path", "") + scope.get("path", "/")) + f"?{TOO_LONG}={size}"
        headers = [(b"location", where.encode("ascii")), (b"content-length", b"0")]
        await send({"type": "http.response.start", "status": 303, "headers": headers})
        await send({"type": "http.response.body", "body": b""})


# Sent with the cards box (gr.HTML js_on_load): on load, one event when the address holds a link
# (a longer one than MAX_LINK_CHARS is dropped from the address first: every later request of the
# page carries the address's query); after each update, the shown cards' link into the address.
LINK_JS = """
{ const KEYS = __KEYS__;
  const query = new URLSearchParams(location.search);
  const guarded = Number(query.get('__TOO_LONG__')) || 0;  // set by LongLinkGuard
  if (guarded || KEYS.some(k => query.has(k))) {
    if (guarded || location.search.length > __MAX__) {
      const size = guarded || location.search.length;
      [...KEYS, '__TOO_LONG__'].forEach(k => query.delete(k));
      history.replaceState(history.state, '', location.pathname + (query.size ? '?' + query : ''));
      trigger('submit', {too_long: size});
    } else { trigger('submit', {}); }
  }
  watch('value', () => {
    const bar = element.querySelector('.share-bar');
    if (!bar) return;
    const others = new URLSearchParams(location.search);
    KEYS.forEach(k => others.delete(k));
    const query = [bar.dataset.share || '', others.toString()].filter(Boolean).join('&');
    history.replaceState(history.state, '', location.pathname + (query ? '?' + query : ''));
  });
}
"""
LINK_JS = (
    LINK_JS.replace("__KEYS__", json.dumps(KEYS))
    .replace("__MAX__", str(MAX_LINK_CHARS))
    .replace("__TOO_LONG__", TOO_LONG)
)
