"""Missing personalisation (PZ): nothing specific to this recipient, fake hooks, placeholders, wrong details."""
from . import pz001_placeholder, pz002_fake_hook, pz003_no_detail, pz004_wrong_detail, pz005_generic_greeting  # noqa
from . import pz006_unknown_merge_field  # noqa: F401
