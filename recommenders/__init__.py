"""Music artist recommenders on the Last.fm hetrec2011-lastfm-2k dataset."""

from recommenders.errors import BundleError, DataValidationError, RecommenderInputError

__all__ = ["BundleError", "DataValidationError", "RecQuery", "RecommenderInputError", "load"]


def load(path_or_repo, revision=None, **kwargs):
    """Load an artifact bundle from a local folder or a Hugging Face Hub repo id ("user/repo")."""
    from recommenders.loading import load as load_bundle

    return load_bundle(path_or_repo, revision=revision, **kwargs)


def __getattr__(name):
    """``recommenders.RecQuery`` without importing numpy/pandas at ``import recommenders``."""
    if name == "RecQuery":
        from recommenders.query import RecQuery

        return RecQuery
    raise AttributeError(f"module 'recommenders' has no attribute {name!r}")
