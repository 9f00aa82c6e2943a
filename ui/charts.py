"""Bar charts to read at a glance, on a phone as on a desktop: Vega-Lite specs for ``gr.Plot``
(Gradio's Altair path, without the altair package, as ui.svd's map).

Gradio's native gr.BarPlot stacks bars that share an x, sorts categories as text and writes its
labels side by side under the bars, where they overlap at 390 px. These bars are horizontal (a
category's label sits on its left, however narrow the screen), grouped rather than stacked, in
the categories' own order, with each value written at the end of its bar, an axis title that
says what is measured and a short title whose detail goes into a subtitle. ``chart="bar"`` lets
Gradio theme them (fonts, colours, light or dark) and fit them to the block's width.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pandas as pd
from gradio.components.plot import AltairPlotData

BAR = 16  # px per bar
# Gradio fits a chart to its height *with* its title, subtitle and axis (autosize "fit", contains
# "padding"): they get this much on top of the bars, and a legend below two rows more
FRAME, LEGEND = 90, 40
ROOM = 1.22  # the value axis reaches past the longest bar, so that its number fits


def bar_chart(
    table: pd.DataFrame,
    category: str,
    value: str,
    *,
    title: str,
    subtitle: str = "",
    value_title: str,
    categories: Sequence[str] | None = None,
    group: str | None = None,
    groups: Sequence[str] | None = None,
    colour_by: str | None = None,
    number_format: str = ".3f",
) -> AltairPlotData:
    """Horizontal bars of ``value`` per ``category`` (in the order ``categories``, else as
    they come); with ``group``, one bar per group within each category, coloured by group with a
    legend below (``groups``: their order). ``colour_by``: colour a plain chart's bars by that
    column (the same colours as a grouped chart whose groups are its values), no legend."""
    if categories is None:
        categories = list(dict.fromkeys(table[category]))
    columns = [c for c in dict.fromkeys([category, value, group, colour_by]) if c]
    encoding: dict[str, Any] = {
        "y": {"field": category, "type": "nominal", "sort": list(categories), "title": None,
              "axis": {"labelLimit": 140}},
        "x": {"field": value, "type": "quantitative", "title": value_title,
              "scale": {"domain": [0, _top(table[value])]},
              "axis": {"tickCount": {"expr": "ceil(width / 90)"}}},  # no overlap on a phone
        "tooltip": [{"field": c, "type": "quantitative" if c == value else "nominal",
                     **({"format": number_format} if c == value else {})} for c in columns],
    }  # fmt: skip
    bars = len(categories)
    coloured = group or colour_by
    if coloured:
        domain = list(groups) if groups is not None else list(dict.fromkeys(table[coloured]))
        legend = (
            {"title": None, "orient": "bottom", "columns": {"expr": "width < 500 ? 3 : 6"}}
            if group
            else None
        )
        # Gradio replaces the range with its theme's colours, in the domain's order
        encoding["color"] = {"field": coloured, "type": "nominal", "legend": legend,
                             "scale": {"domain": domain, "range": domain}}  # fmt: skip
        if group:
            encoding["yOffset"] = {"field": group, "type": "nominal", "sort": domain}
            bars *= len(domain)
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "usermeta": {"embedOptions": {"renderer": "svg", "actions": False}},
        "title": {"text": title, "subtitle": subtitle, "anchor": "start"},
        "background": "transparent",
        "height": bars * BAR + FRAME + (LEGEND if group else 0),
        # columns, not one object per row: fewer bytes; flatten makes the rows
        "data": {"values": [{c: table[c].tolist() for c in columns}]},
        "transform": [{"flatten": columns}],
        "encoding": encoding,
        "layer": [
            {"mark": "bar"},
            {"mark": {"type": "text", "align": "left", "dx": 3, "aria": False},  # ui.style: colour
             "encoding": {"text": {"field": value, "format": number_format}}},
        ],
    }  # fmt: skip
    return AltairPlotData(chart="bar", plot=json.dumps(spec, ensure_ascii=False))


def _top(values: pd.Series) -> float:
    top = float(values.max()) if len(values) else 0.0
    return top * ROOM if top > 0 else 1.0
