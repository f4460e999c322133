"""Helper package for Lib/test/test_imports.py."""
from . import mod
from .mod import VALUE as MOD_VALUE
PKG_ATTR = "pkg"
