#!/usr/bin/env python3.11
"""Differential test of f-strings: generated programs, CPython vs _astdump.

Usage: python3.11 Tools/test/host/test_parser_fstrings.py --build-dir DIR
                  [--count N] [--seed S]

CPython 3.11 gives the nodes of f-strings peculiar positions (the whole
concatenation for literal parts and fields, the token for a format spec,
buffer-relative columns in errors).  This test builds N programs from a
fixed seed -- every prefix and quote, escapes, nested fields, conversions,
'=' debugging, format specs, implicit concatenation, f-strings nested in
replacement fields, multi-line expressions -- and compares _astdump --batch
with ast.parse (dump or error with end positions).
"""

import argparse
import ast
import os
import random
import subprocess
import sys
import tempfile
import warnings

ORACLE = "/usr/bin/python3.11"
if (os.path.exists(ORACLE) and os.path.realpath(sys.executable)
        != os.path.realpath(ORACLE) and __name__ == "__main__"):
    os.execv(ORACLE, [ORACLE] + sys.argv)


def literal(rng, quote):
    parts = ["abc", " ", "é", "\\n", "\\t", "\\x41", "{{", "}}",
             "\\N{BULLET}", "日本", "\\\\", "\\'", '\\"', "%d", "\\u00e9"]
    if len(quote) == 3:
        parts += ["\n", "\n  "]
    return "".join(rng.choice(parts) for _ in range(rng.randint(0, 3)))


def expression(rng, quote, depth=0):
    others = [c for c in ('"', "'") if c != quote[0]]
    oq = others[0]
    choices = ["a", "x.y", "f(a, b)", "a + b", "(a, b)", "a if b else c",
               "[i for i in r]", "{a: b}", "(lambda: 1)()", " a ", "a*2",
               "-a", "not a", "a[1:2]", "a or b",
               "d[" + oq + "k" + oq + "]", oq + "str" + oq,
               oq + "s" + oq + " " + oq + "t" + oq, "a b", "*a", "a:=1",
               "(a:=1)", "yield", "", " "]
    if len(quote) == 3:
        choices += ["a +\nb", "(\n a\n)", "f(\n  a)", "\na"]
        if depth == 0:
            choices.append("f" + oq + "{" + expression(rng, oq, 1) + "}" + oq)
    e = rng.choice(choices)
    if rng.random() < 0.2:
        e += "="
    if rng.random() < 0.2:
        e += "!" + rng.choice("rsax")
    if rng.random() < 0.25:
        e += ":" + rng.choice([">10", ".2f", "{w}", "{w}.{p}", "%H:%M", "",
                               "x{a!r}y", "{", "{{}}"])
    return e


def program(rng):
    quote = rng.choice(['"', "'", '"""', "'''"])
    prefix = rng.choice(["f", "F", "rf", "fr", "Rf"])
    body = "".join(rng.choice([literal(rng, quote),
                               "{" + expression(rng, quote) + "}"])
                   for _ in range(rng.randint(1, 4)))
    s = prefix + quote + body + quote
    if rng.random() < 0.3:
        s += " " + rng.choice(['"x"', "'y'", 'f"{z}"', 'u"w"', 'b"v"'])
    lead = rng.choice(["x = ", "print(", "if 1:\n  ", "", "y = (1,\n     ",
                       "foo(a,\n    "])
    tail = ")" if lead.endswith(("(", "     ", "    ")) else ""
    return (lead + s + tail + "\n").encode("utf-8")


def expected(src):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.dump(ast.parse(src), include_attributes=True)
        except SyntaxError as e:
            return "%s: %s (%s, %s, %s, %s)" % (type(e).__name__, e.msg,
                                                e.lineno, e.offset,
                                                e.end_lineno, e.end_offset)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--count", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=311)
    opts = ap.parse_args()
    astdump = os.path.join(os.path.abspath(opts.build_dir), "Programs",
                           "_astdump")
    rng = random.Random(opts.seed)
    progs = [program(rng) for _ in range(opts.count)]
    with tempfile.NamedTemporaryFile(suffix=".batch") as f:
        for p in progs:
            f.write(b"%d\n" % len(p))
            f.write(p)
        f.flush()
        out = subprocess.run([astdump, "--batch", f.name],
                             capture_output=True, timeout=600).stdout
    got = out.decode("utf-8", "surrogateescape").split("\n")
    same = different = errors = 0
    for i, p in enumerate(progs):
        want = expected(p)
        errors += want.startswith(("SyntaxError", "IndentationError"))
        if i < len(got) and got[i] == want:
            same += 1
        else:
            different += 1
            print("DIFFERENT: %r\n    want: %s\n    got:  %s"
                  % (p, want[:300], (got[i] if i < len(got) else "")[:300]))
    print("%d identical, %d different (%d programs, %d of them errors)"
          % (same, different, len(progs), errors))
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
