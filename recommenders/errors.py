"""The few exception types the package raises on purpose, so callers can catch them by kind."""


class RecommenderInputError(ValueError):
    """Bad input from a caller: the message says what was wrong and what is accepted."""


class DataValidationError(ValueError):
    """A raw data file is missing, truncated, has a wrong header or bad values.

    The message names the file, the 1-based line number and the problem.
    """


class BundleError(RuntimeError):
    """An artifact bundle is incomplete, tampered with, or of an unknown format version."""
