#!/usr/bin/env python3.11
"""Compare _astdump --mode=eval|single|func_type with CPython's ast.parse.

Usage: python3.11 Tools/test/host/test_parser_modes.py --build-dir DIR

Each case is parsed by this interpreter (ast.parse(src, mode=MODE)) and by
Programs/_astdump --full-errors --mode=MODE; outputs must be identical.
The INCOMPLETE cases are compiled with PyCF_ALLOW_INCOMPLETE_INPUT (what
codeop and the REPL use) against _astdump --allow-incomplete.
"""

import argparse
import ast
import os
import subprocess
import sys
import tempfile

ORACLE = "/usr/bin/python3.11"
if (os.path.exists(ORACLE) and os.path.realpath(sys.executable)
        != os.path.realpath(ORACLE) and __name__ == "__main__"):
    os.execv(ORACLE, [ORACLE] + sys.argv)

CASES = [
    ("eval", "1 + 2"), ("eval", "x, y\n\n"), ("eval", "yield"),
    ("eval", "a if b else c"), ("eval", "1; 2"), ("eval", ""),
    ("eval", "lambda: (yield)"), ("eval", "f(x for x in y)\n"),
    ("eval", "[\n1,\n2\n]"), ("eval", "x = 1"),
    ("single", "x = 1\n"), ("single", "if x:\n    pass\n"),
    ("single", "1; 2\n"), ("single", "\n"), ("single", ""),
    ("single", "x = 1\ny = 2\n"), ("single", "@d\ndef f(): pass\n"),
    ("single", "for x in y: pass\n\n"), ("single", "x = 1\n# c\n"),
    ("single", "x=1;y=2\nz=3\n"), ("single", "if x:\n  pass\ny = 1\n"),
    ("single", "for x in y: pass\nz\n"), ("single", "class C: pass"),
    ("func_type", "(int, str) -> None"), ("func_type", "() -> int"),
    ("func_type", "(*int, **str) -> x"), ("func_type", "(a, *b) -> c\n"),
    ("func_type", "x"), ("func_type", "(a, b, *c, **d) -> e"),
    ("func_type", "(**a) -> b\n\n"), ("func_type", "(a) ->"),
]

PyCF_ALLOW_INCOMPLETE_INPUT = 0x4000
INCOMPLETE = [
    "if x:", "if x:\n", "if x:\n  pass", "if x:\n  pass\n", "x = (1,",
    'x = """abc', "x = 1 +", "def f(", "x = [1,\n2", "x = \\", "@dec",
    "for x in y:\n  ", "x = 'abc", "class C:\n  def f(self):", "x = 1",
    "x = $", "if x:\n  pass\nelse:", "try:\n  pass", "print(1",
    "lambda", "x =", "x = 1 \\\n", "match x:", "f(a,\n", "'" * 3,
]


def expected(mode, src, flags=0):
    try:
        tree = compile(src, "<unknown>", mode, flags | ast.PyCF_ONLY_AST)
        return ast.dump(tree, include_attributes=True) + "\n"
    except SyntaxError as e:
        return "%s: %s (%s, %s, %s, %s)\n" % (type(e).__name__, e.msg,
                                              e.lineno, e.offset,
                                              e.end_lineno, e.end_offset)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    opts = ap.parse_args()
    astdump = os.path.join(os.path.abspath(opts.build_dir), "Programs",
                           "_astdump")
    passed = failed = 0
    cases = [(mode, src, False) for mode, src in CASES]
    cases += [(mode, src, True) for src in INCOMPLETE
              for mode in ("exec", "single")]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "case.py")
        for mode, src, incomplete in cases:
            with open(path, "w") as f:
                f.write(src)
            args = [astdump, "--full-errors", "--mode=" + mode]
            if incomplete:
                args.append("--allow-incomplete")
            got = subprocess.run(args + [path], capture_output=True,
                                 text=True).stdout
            want = expected(mode, src,
                            PyCF_ALLOW_INCOMPLETE_INPUT if incomplete else 0)
            if got == want:
                passed += 1
            else:
                failed += 1
                print("DIFFERENT: %s %r\n    want: %s    got:  %s"
                      % (mode, src, want, got))
    print("%d identical, %d different" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
