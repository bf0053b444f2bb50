"""Hard sell (HS): pushing a sale or a meeting before any relationship or interest exists."""
from . import hs001_pitch, hs002_meeting_ask, hs003_urgency, hs004_sales_link, hs005_nag, hs006_no_opt_out  # noqa: F401
from . import hs007_scripted_opener  # noqa: F401
