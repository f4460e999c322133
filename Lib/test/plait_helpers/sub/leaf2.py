from . import SUB
LEAF = SUB * 2
