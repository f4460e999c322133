from . import SUB
from ... import plait_helpers as _top_not_allowed_here
