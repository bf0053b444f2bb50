"""Form (FM): LinkedIn's limits, length, readability (textstat), asks, walls of text, stale suppressions."""
from . import fm001_note_too_long, fm002_too_long, fm003_hard_to_read, fm004_too_many_asks, fm005_wall  # noqa: F401
from . import fm006_no_question, fm007_unused_suppression, fm008_hidden_text  # noqa: F401
