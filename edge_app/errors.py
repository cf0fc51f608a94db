"""The one exception type that reaches users as a one-line message."""


class EdgeOCRError(Exception):
    """A problem the user can fix (bad input, missing model, bad option).

    The CLI prints ``str(error)`` on one line and exits non-zero; it never shows a traceback for these.
    """
