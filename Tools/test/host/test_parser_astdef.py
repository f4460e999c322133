#!/usr/bin/env python3.11
"""Check Tools/parser/ast.def against CPython 3.11's ast module.

Usage: python3.11 Tools/test/host/test_parser_astdef.py [--build-dir DIR]

Every node class of the ast module must be described with the same fields
in the same order, the same attributes, and the same field types and
qualifiers (`?` optional, `*` sequence) as the class's signature in its
docstring; and the committed generated files must be up to date.
"""

import ast
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "Tools", "parser"))
import gen_ast  # noqa: E402


def signature(cls):
    """[(type, qualifier, name)] from e.g. 'Name(identifier id, ...)'."""
    doc = cls.__doc__ or ""
    m = re.match(r"\s*%s(?:\((.*)\))?\s*$" % cls.__name__, doc.split("\n")[0])
    if not m:
        return None
    fields = []
    for part in (m.group(1) or "").split(","):
        part = part.strip()
        if part:
            t, name = part.split()
            fields.append((t.rstrip("?*"), t[len(t.rstrip("?*")):], name))
    return fields


def main():
    types = gen_ast.parse_def(gen_ast.DEF)
    problems = []
    described = set()
    for t in types:
        base = getattr(ast, t.name)
        for cons in gen_ast.conses_of(t):
            described.add(cons.name)
            cls = getattr(ast, cons.name, None)
            if cls is None or not issubclass(cls, ast.AST):
                problems.append("no ast.%s" % cons.name)
                continue
            mine = [(f.type, f.qual, f.name) for f in cons.fields]
            if list(cls._fields) != [f.name for f in cons.fields]:
                problems.append("%s: fields %s, ast has %s"
                                % (cons.name, [f.name for f in cons.fields],
                                   list(cls._fields)))
            sig = signature(cls)
            if sig is not None and sig != mine:
                problems.append("%s: signature %s, ast has %s"
                                % (cons.name, mine, sig))
            attrs = [f.name for f in t.attrs]
            if list(cls._attributes) != attrs:
                problems.append("%s: attributes %s, ast has %s"
                                % (cons.name, attrs, list(cls._attributes)))
        if t.is_product or t.is_enum:
            continue
        if not isinstance(base, type):
            problems.append("ast.%s is not a class" % t.name)
    for name in dir(ast):
        cls = getattr(ast, name)
        if (isinstance(cls, type) and issubclass(cls, ast.AST)
                and cls.__module__ == "ast" and cls.__doc__
                and "Deprecated" not in cls.__doc__
                and cls.__subclasses__() == [] and name not in described
                and name not in ("AST", "slice", "Suite", "AugLoad",
                                 "AugStore", "Param")):
            problems.append("ast.%s is not described" % name)
    check = subprocess.run([sys.executable, os.path.join(ROOT, "Tools",
                                                         "parser",
                                                         "gen_ast.py"),
                            "--check"], capture_output=True, text=True)
    if check.returncode != 0:
        problems.append("generated files are stale: " + check.stdout.strip())
    for p in problems:
        print("PROBLEM:", p)
    print("%d node types checked, %d problems" % (len(described),
                                                   len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
