"""The app's look: one stylesheet and the colours charts share."""

PALETTE = ["#e4572e", "#17bebb", "#ffc914", "#2e282a", "#76b041", "#7d5ba6", "#f46197", "#3f88c5"]

CSS = """
.card-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr));
  gap: 12px; }
.artist-card { display: flex; gap: 10px; padding: 10px; border-radius: 10px;
  border: 1px solid var(--border-color-primary); background: var(--background-fill-secondary); }
.artist-card img, .artist-card svg { width: 64px; height: 64px; border-radius: 8px;
  flex: 0 0 64px; object-fit: cover; }
.artist-card .body { min-width: 0; font-size: 0.9em; }
.artist-card .title { font-weight: 600; font-size: 1.05em; overflow-wrap: anywhere; }
.artist-card .why { color: var(--body-text-color-subdued); margin: 4px 0; }
.artist-card .chips span { display: inline-block; padding: 1px 6px; margin: 1px;
  border-radius: 8px; background: var(--background-fill-primary); font-size: 0.85em; }
.artist-card .links a { margin-right: 8px; }
.headline { display: flex; flex-wrap: wrap; gap: 12px; }
.headline div { padding: 8px 14px; border-radius: 10px; max-width: 220px;
  background: var(--background-fill-secondary); }
.headline b { display: block; font-size: 1.4em; }
.notice { padding: 8px 12px; border-radius: 8px; background: var(--background-fill-secondary); }
"""
