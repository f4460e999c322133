from ..mod import VALUE
from .. import PKG_ATTR
SUB = VALUE + 1
