"""One family of errors, so the CLI can turn each into a one-line message."""


class FramingError(Exception):
    """A problem the user can fix; the message names the problem and the fix."""

    exit_code = 1


class InputError(FramingError):
    """Text or files given to classify or score are unusable.

    `reason` is the message without the file name, for a batch's error column.
    """

    def __init__(self, message: str, reason: str | None = None):
        super().__init__(message)
        self.reason = reason or message


class DataError(FramingError):
    """A labelled dataset is missing columns, rows or labels."""


class ModelError(FramingError):
    """A model directory is missing, damaged, untrusted or from another version."""


class OutputError(FramingError):
    """An output path cannot be written, or exists and --force was not given."""
