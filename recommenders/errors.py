"""The few exception types the package raises on purpose, so callers can catch them by kind."""

from collections.abc import Iterable

Suggestions = tuple[tuple[str, tuple[str, ...]], ...]


class RecommenderInputError(ValueError):
    """Bad input from a caller: the message says what was wrong and what is accepted.

    ``suggestions`` holds the "did you mean" names as data, ((typed, (name, ...)), ...) in the
    order of the input, so a UI can offer them as buttons without parsing the message.
    """

    def __init__(
        self, message: str = "", suggestions: Iterable[tuple[str, Iterable[str]]] = ()
    ) -> None:
        super().__init__(message)
        self.suggestions: Suggestions = tuple((typed, tuple(names)) for typed, names in suggestions)


class DataValidationError(ValueError):
    """A raw data file is missing, truncated, has a wrong header or bad values.

    The message names the file, the 1-based line number and the problem.
    """


class BundleError(RuntimeError):
    """An artifact bundle is incomplete, tampered with, or of an unknown format version."""
