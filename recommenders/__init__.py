"""Music artist recommenders on the Last.fm hetrec2011-lastfm-2k dataset."""

from recommenders.errors import BundleError, DataValidationError, RecommenderInputError

__all__ = [
    "BundleError",
    "DataValidationError",
    "RecQuery",
    "RecommenderInputError",
    "fetch_top_artists",
    "load",
    "read_history",
]

# Heavier names load on first use, so `import recommenders` stays cheap (no numpy/pandas yet).
_LAZY = {
    "RecQuery": "recommenders.query",
    "read_history": "recommenders.history",
    "HistoryFileError": "recommenders.history",
    "fetch_top_artists": "recommenders.lastfm",
    "LastfmError": "recommenders.lastfm",
}


def load(path_or_repo, revision=None, **kwargs):
    """Load an artifact bundle from a local folder or a Hugging Face Hub repo id ("user/repo")."""
    from recommenders.loading import load as load_bundle

    return load_bundle(path_or_repo, revision=revision, **kwargs)


def __getattr__(name):
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'recommenders' has no attribute {name!r}")
