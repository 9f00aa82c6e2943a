"""The app's look: Gradio's Soft theme made legible, and one stylesheet."""

import gradio as gr


def theme() -> gr.themes.Base:
    """Gradio's Soft theme with text dark enough to read: labels, hints and the primary colour
    one or two shades darker, so that every text meets WCAG AA contrast (4.5:1), as axe-core checks
    in tests/browser/test_accessibility.py. (Soft's indigo labels on pale indigo were 3.6:1, its
    grey hints 2.5:1, white on its buttons 4.46:1.) Dark mode keeps Soft's own colours."""
    return gr.themes.Soft().set(
        block_label_text_color="*primary_700",
        block_title_text_color="*primary_700",
        body_text_color_subdued="*neutral_600",
        button_primary_background_fill="*primary_600",
        button_primary_background_fill_hover="*primary_700",
        checkbox_label_background_fill_selected="*primary_600",
    )


CSS = """
.app-title { margin: 4px 0 0; font-size: 1.6em; }
.intro p { font-size: 1.05em; margin: 0; }
.card-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(290px, 1fr));
  gap: 12px; }
.artist-card { display: flex; gap: 12px; padding: 12px; border-radius: 12px;
  border: 1px solid var(--border-color-primary); background: var(--background-fill-secondary); }
.artist-card img, .artist-card svg.tile { width: 72px; height: 72px; border-radius: 10px;
  flex: 0 0 72px; object-fit: cover; }
.artist-card .body { min-width: 0; flex: 1; font-size: 0.9em; display: flex;
  flex-direction: column; gap: 4px; }
.artist-card .title { font-weight: 650; font-size: 1.08em; overflow-wrap: anywhere; }
.artist-card .title a { color: inherit; text-decoration: none; }
.artist-card .title a:hover { text-decoration: underline; }
.artist-card .rank { display: inline-block; min-width: 1.6em; color: var(--body-text-color-subdued);
  font-weight: 500; }
.artist-card .why { color: var(--body-text-color-subdued); }
.artist-card .reach { color: var(--body-text-color-subdued); font-size: 0.92em; }
.artist-card .chips span { display: inline-block; padding: 1px 7px; margin: 1px 2px 1px 0;
  border-radius: 9px; background: var(--background-fill-primary); font-size: 0.85em; }
.artist-card .links a { font-size: 0.92em; }
.artist-card .match { position: relative; height: 16px; border-radius: 8px; overflow: hidden;
  background: var(--background-fill-primary); font-size: 0.78em; line-height: 16px; }
.artist-card .match i { position: absolute; left: 0; top: 0; bottom: 0;
  background: linear-gradient(90deg, #7c3aed66, #ec489966); }
.artist-card .match span { position: relative; padding-left: 6px; }
.artist-card .actions { display: flex; gap: 6px; margin-top: auto; padding-top: 4px; }
.artist-card .actions button, .feedback-list button, .status button.suggest {
  cursor: pointer; border-radius: 8px; padding: 3px 10px; font-size: 0.88em; white-space: nowrap;
  border: 1px solid var(--border-color-primary); background: var(--background-fill-primary);
  color: var(--body-text-color); }
.artist-card .actions button:hover, .status button.suggest:hover {
  border-color: var(--color-accent); }
.artist-card .actions button:disabled { opacity: 0.5; }
.feedback-list { display: flex; flex-direction: column; gap: 4px; }
.feedback-list .fb-item { display: inline-flex; align-items: center; gap: 4px; margin: 2px;
  padding: 1px 2px 1px 8px; border-radius: 10px; background: var(--background-fill-secondary); }
.feedback-list .fb-item button { padding: 0 6px; border: none; }
.status { padding: 8px 12px; border-radius: 8px; }
.status.error { background: #fdecea; color: #8a1c12; border: 1px solid #f5c2bc; }
.status.info { background: var(--background-fill-secondary); }
.status .suggestions { margin-top: 6px; }
.status button.suggest { margin: 2px 4px; font-weight: 600; }
.example-chips { gap: 6px !important; flex-wrap: wrap !important; }
.example-chips button { flex: 0 1 auto !important; width: auto !important; }
.headline { display: flex; flex-wrap: wrap; gap: 12px; }
.headline div { padding: 8px 14px; border-radius: 10px; max-width: 220px;
  background: var(--background-fill-secondary); }
.headline b { display: block; font-size: 1.4em; }
.notice { padding: 8px 12px; border-radius: 8px; background: var(--background-fill-secondary); }
.plot-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr));
  gap: 12px; }
.plot-grid figure { margin: 0; }
.plot-grid img { width: 100%; height: auto; border-radius: 8px; }
.plot-grid figcaption { font-size: 0.9em; color: var(--body-text-color-subdued); }
.readable-table table, .readable-table td, .readable-table th {
  font-family: var(--font) !important; }
.readable-table th { white-space: normal !important; }
/* a table header breaks between words only, never inside one ("c l u s t e r" on a phone) */
.block th .header { word-break: normal !important; overflow-wrap: normal !important; }
/* a card or message scrolled into view (ui.errors.SHOW_JS) keeps a margin from the screen edge */
.artist-card, .status { scroll-margin: 12px; }
/* Discover's CSV button shows only beside cards (no gr.update per request: ui.discover) */
#discover-tab:not(:has(.cards-box .card-grid)) #discover-csv { display: none !important; }
/* the SVD map (ui.svd): the clicked or tapped artist's name and the subtitle, light or dark */
.artist-map .mark-text.role-mark text { fill: var(--body-text-color); paint-order: stroke;
  stroke: var(--block-background-fill); stroke-width: 4px; stroke-linejoin: round;
  font-weight: 650; }
.artist-map .role-title-subtitle text { fill: var(--body-text-color-subdued); }
/* bar charts (ui.charts): each value beside its bar and the subtitle, light or dark */
.bar-chart .mark-text.role-mark text { fill: var(--body-text-color); }
.bar-chart .role-title-subtitle text { fill: var(--body-text-color-subdued); }
.footer-note p { font-size: 0.85em; color: var(--body-text-color-subdued); }
@media (max-width: 640px) {
  .picker-row, .stack-on-phone { flex-direction: column !important; }
  /* Gradio gives a row's blocks flex: 1 1 0%; in a column that basis is a height of 0, and a
     block that hides its overflow (a chart) shrank to its padding: empty white boxes */
  .picker-row > *, .stack-on-phone > * { width: 100% !important; min-width: 0 !important;
    flex: 0 0 auto !important; }
  .main-tabs button[role="tab"] { padding: 6px 8px !important; font-size: 0.9em; }
  .plot-grid { grid-template-columns: 1fr; }
  .card-grid { grid-template-columns: 1fr; }
  /* the history upload (ui.history_panel, 120 px high): its floating label covered the drop
     zone's icon on a phone; the zone gets room under the label instead */
  #history-upload .upload-container { height: 168px !important; padding-top: 36px; }
  #history-upload .upload-container .wrap { min-height: 0; }
}
/* -- jump, share, listen (issue 18, items 9-11): ui/jump.py, ui/share.py, ui/listen.py ------ */
.artist-card .actions { flex-wrap: wrap; }
.artist-card .links.listen { display: flex; flex-wrap: wrap; align-items: center; gap: 2px 12px; }
.artist-card .links button.play, .similar-panel button, .share-bar button {
  cursor: pointer; border-radius: 8px; padding: 3px 10px; font-size: 0.88em; min-height: 44px;
  white-space: nowrap; border: 1px solid var(--border-color-primary);
  background: var(--background-fill-primary); color: var(--body-text-color); }
.artist-card .links button.play:hover, .similar-panel button:hover, .share-bar button:hover {
  border-color: var(--color-accent); }
.artist-card .player iframe { display: block; width: 100%; height: 152px; border: 0;
  border-radius: 12px; margin-top: 4px; }
.card-grid .similar-panel { grid-column: 1 / -1; padding: 12px; border-radius: 12px;
  border: 1px solid var(--color-accent); background: var(--background-fill-primary); }
/* the panel follows its card in the page; on screen it opens under that card's row */
.card-grid:has(.similar-panel) { grid-auto-flow: row dense; }
.similar-panel:focus { outline: 2px solid var(--color-accent); outline-offset: 2px; }
.similar-panel header { display: flex; flex-wrap: wrap; align-items: center;
  justify-content: space-between; gap: 4px 10px; margin-bottom: 8px; }
.similar-panel header small { order: 3; flex: 1 1 100%; color: var(--body-text-color-subdued); }
.similar-list { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px;
  grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); }
.similar-list li { display: grid; grid-template-columns: 44px 1fr; gap: 4px 10px; margin: 0;
  align-items: start; padding: 8px; border-radius: 10px;
  background: var(--background-fill-secondary); }
.similar-list img, .similar-list svg.tile { grid-row: 1 / 3; width: 44px; height: 44px;
  border-radius: 8px; object-fit: cover; }
.similar-list .who { min-width: 0; display: flex; flex-direction: column; }
.similar-list .who b { overflow-wrap: anywhere; }
.similar-list .who small { color: var(--body-text-color-subdued); font-size: 0.85em; }
.similar-list li > button, .similar-list .picked { justify-self: start; }
.similar-list .picked { font-size: 0.85em; color: var(--body-text-color-subdued); }
.share-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px;
  margin-top: 12px; }
.share-bar small { color: var(--body-text-color-subdued); }
.share-bar .share-state input { width: min(100%, 520px); }
@media (max-width: 640px) {
  .similar-list { grid-template-columns: 1fr; }
}
/* touch targets of at least 44 × 44 px on a touch screen or a phone-wide window */
@media (max-width: 640px), (pointer: coarse) {
  .artist-card .actions button, .feedback-list .fb-item button, .status button.suggest,
  .example-chips button { min-height: 44px; min-width: 44px; }
  .artist-card .actions { flex-wrap: wrap; }
}
"""
