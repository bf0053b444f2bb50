"""Self-centred pitching (SC): the message is about the sender and never ties it to what the recipient wants."""
from . import sc001_opens_on_sender, sc002_sender_centred, sc003_brag, sc004_feature_list, sc005_promote  # noqa: F401
