"""The exception types for user errors: the CLI prints one as one line and exits 2."""


class UserError(Exception):
    """A problem with the user's input, options or environment (not a bug)."""


class SetupError(UserError):
    """A problem with the run's setup (the model), not with one draft: it stops the run."""
