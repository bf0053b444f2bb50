"""The one exception type for user errors: the CLI prints it as one line and exits 2."""


class UserError(Exception):
    """A problem with the user's input, options or environment (not a bug)."""
