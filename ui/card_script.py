"""The page's own answers to card buttons that need no server (``data-local``, which the cards
box's event listener ignores): ▶ Play inserts Spotify's player (ui.listen), ✕ Hide closes a
"similar to" panel (ui.jump), 🔗 copies the link of the cards (ui.share).

One listener on the document, passed to ``launch(js=...)`` (app.launch_options), so the cards of
every tab get it and no click on these costs a request.
"""

from __future__ import annotations

from ui import listen

PAGE_JS = """() => {
  const SPOTIFY_ID = /^[0-9A-Za-z]{22}$/;
  const play = (button) => {
    const card = button.closest('.artist-card');
    const body = card && card.querySelector('.body');
    const id = button.dataset.spotify || '';
    if (!body || !SPOTIFY_ID.test(id)) return;
    const open = body.querySelector('.player');
    if (open) {
      open.remove();
      button.setAttribute('aria-expanded', 'false');
      button.textContent = '▶ Play';
      return;
    }
    const player = document.createElement('div');
    player.className = 'player';
    const frame = document.createElement('iframe');
    frame.src = '__EMBED__' + id;
    frame.title = 'Spotify player: ' + (button.dataset.name || '');
    frame.allow = 'autoplay; clipboard-write; encrypted-media; fullscreen; picture-in-picture';
    frame.height = '152';
    player.append(frame);
    body.append(player);
    button.setAttribute('aria-expanded', 'true');
    button.textContent = '■ Close player';
  };
  const hideSimilar = (button) => {
    const grid = button.closest('.card-grid');
    if (!grid) return;
    grid.querySelectorAll('.similar-panel').forEach((panel) => panel.remove());
    const toggle = grid.querySelector('button[data-local=hide-similar][aria-expanded=true]');
    if (!toggle) return;
    toggle.removeAttribute('data-local');
    toggle.dataset.action = 'similar';
    toggle.dataset.artist = (toggle.getAttribute('aria-controls') || '').replace('similar-', '');
    toggle.setAttribute('aria-expanded', 'false');
    toggle.textContent = 'Similar to this';
    toggle.focus();
  };
  const copyLink = (button) => {
    const bar = button.closest('.share-bar');
    const said = bar && bar.querySelector('.share-state');
    if (!bar || !said) return;
    const url = location.origin + location.pathname + '?' + (bar.dataset.share || '');
    const show = () => {
      said.textContent = 'Copy this link: ';
      const box = document.createElement('input');
      box.readOnly = true; box.value = url; box.setAttribute('aria-label', 'Link to these cards');
      said.append(box); box.select();
    };
    if (!navigator.clipboard) { show(); return; }
    navigator.clipboard.writeText(url).then(
      () => { said.textContent = 'Link copied: it opens these cards in any browser.'; }, show);
  };
  const actions = {'play': play, 'hide-similar': hideSimilar, 'copy-link': copyLink};
  document.addEventListener('click', (event) => {
    const button = event.target.closest && event.target.closest('button[data-local]');
    if (button && actions[button.dataset.local]) actions[button.dataset.local](button);
  });
}""".replace("__EMBED__", listen.EMBED)
