"""A bundle whose Spotify columns came from recorded Spotify Web API answers, offline.

The build's own enrichment (``recommenders.spotify.enrich``, live, through spotipy) is run for a
few artists against the answers in tests/fixtures/spotify, replayed at the HTTP boundary by
``responses`` (any other request fails); its cache then feeds the offline enrichment of the whole
catalog and ``build_catalog``, exactly as ``build_artifacts.py --spotify-cache`` would. The models
are the source bundle's (the catalog's Spotify columns change no model).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "spotify"
TOKEN = "https://accounts.spotify.com/api/token"
SEARCH = "https://api.spotify.com/v1/search"
ARTISTS = "https://api.spotify.com/v1/artists/"
# Last.fm name → the recorded search answer (and the batch answer completing a trimmed one)
RECORDED = {
    "Muse": ("search_muse.json", None),
    "Beyoncé": ("search_beyonce.json", None),
    "Sigur Rós": ("search_trimmed_sigur_ros.json", "artists_sigur_ros.json"),
}
SPOTIFY_IDS = {
    "Muse": "12Chz98pHFMPJEknJQMWvI",
    "Beyoncé": "6vWDO969PvNqNYHIOW5v0m",
    "Sigur Rós": "6UUrUCIZtQeOf8tC0WuzRy",
}


def _answer(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def recorded_enrichment(data_dir: Path, cache_dir: Path):
    """The Spotify columns of every artist: live for RECORDED (replayed answers), then offline
    from the cache this wrote, as a build with credentials leaves them."""
    import responses
    from responses import matchers

    from recommenders import spotify
    from recommenders.data import load_dataset, top_tags

    data = load_dataset(data_dir)
    names = data.artists.set_index("artist_id")["name"]
    tags = top_tags(data)
    with responses.RequestsMock(assert_all_requests_are_fired=True) as api:
        api.add(responses.POST, TOKEN, json=_answer("token.json"))
        for name, (search, batch) in RECORDED.items():
            query = {"q": f'artist:"{name}"', "type": "artist", "limit": "10"}
            api.add(
                responses.GET,
                SEARCH,
                json=_answer(search),
                match=[matchers.query_param_matcher(query, strict_match=False)],
            )
            if batch:
                api.add(responses.GET, ARTISTS, json=_answer(batch))
        client = spotify.make_client("test-id", "test-secret")
        recorded = names[names.isin(list(RECORDED))]
        spotify.enrich(recorded, data_dir, cache_dir, client=client, tags=tags)
    return data, spotify.enrich(names, data_dir, cache_dir, live=False, tags=tags)


def spotify_bundle(source: Path, out: Path, data_dir: Path) -> Path:
    """A copy of ``source`` whose catalog is rebuilt with the recorded enrichment; the manifest's
    hashes are rewritten so the copy loads like any bundle."""
    import recommenders
    from recommenders.artifacts import CATALOG, write_manifest
    from recommenders.catalog import build_catalog

    data, enriched = recorded_enrichment(data_dir, out.parent / f"{out.name}-spotify-cache")
    catalog = build_catalog(data, enriched)
    shutil.copytree(source, out)
    bundle = recommenders.load(out)
    if not catalog["name"].equals(bundle.catalog["name"]):
        raise AssertionError("the rebuilt catalog does not match the source bundle's artists")
    catalog.to_parquet(out / CATALOG)
    manifest = {k: v for k, v in bundle.manifest.items() if k not in ("files", "format_version")}
    write_manifest(out, manifest)
    return out
