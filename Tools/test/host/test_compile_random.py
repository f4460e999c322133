#!/usr/bin/env python3.11
"""Differential test of the compiler on generated programs.

Usage: python3.11 Tools/test/host/test_compile_random.py --build-dir DIR
                  [--seed N] [--count N] [--verbose] [--keep DIR]

Generates --count programs (deterministically from --seed) that nest
loops, try/except/finally/except*, with, match, comprehensions, lambdas,
generators, closures, global/nonlocal, break/continue/return in awkward
places, and checks each with Programs/_dis exactly as
test_compile_stdlib.py checks the stdlib: same compile error or success
as python3.11, verified bytecode, same code objects, flags, names,
constants, line numbers and positions, safe LOAD_FASTs.
"""

import argparse
import multiprocessing
import os
import random
import sys
import tempfile

ORACLE = "/usr/bin/python3.11"
if (os.path.exists(ORACLE) and os.path.realpath(sys.executable)
        != os.path.realpath(ORACLE) and __name__ == "__main__"):
    os.execv(ORACLE, [ORACLE] + sys.argv)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import test_compile_stdlib as stdlib_test  # noqa: E402

NAMES = ["a", "b", "c", "x", "y", "z", "__p", "self"]


class Gen:
    """Mostly valid programs: yield, await, break and continue are only
    generated where they are allowed, except for a few deliberate
    misplacements."""

    def __init__(self, rng):
        self.r = rng
        self.func = False       # inside a def
        self.coro = False       # inside an async def
        self.loop = False       # inside a loop (of this function)

    def allowed(self, ok):
        return ok or self.r.random() < 0.02

    def name(self):
        return self.r.choice(NAMES)

    def expr(self, d=0):
        r = self.r
        k = r.randrange(22 if d < 3 else 4)
        n = self.name
        if k == 0:
            return n()
        if k == 1:
            return str(r.choice([0, 1, -1, 2.5, "'s'", "b'b'", "None",
                                 "True", "()", "(1, 2)", "1j", "...",
                                 "'%s-%r' % (a, b)", "2 ** 10"]))
        if k == 2:
            return "%s.%s" % (n(), n())
        if k == 3:
            return "%s[%s]" % (n(), r.choice(["0", "1:2", "::-1", "a, b"]))
        if k == 4:
            op = r.choice(["+", "-", "*", "//", "%", "**", "<<", "&", "|",
                           "@", "and", "or"])
            return "(%s %s %s)" % (self.expr(d + 1), op, self.expr(d + 1))
        if k == 5:
            return "(%s %s %s)" % (self.expr(d + 1), r.choice(
                ["<", "==", "is", "is not", "in", "not in", "<= x <"]),
                self.expr(d + 1))
        if k == 6:
            return "(not %s)" % self.expr(d + 1)
        if k == 7:
            return "%s(%s)" % (n(), r.choice(
                ["", "a", "a, b", "*a", "**b", "x=1", "a, *b, c=2, **d",
                 "(y for y in a)"]))
        if k == 8:
            return "%s.%s(%s)" % (n(), n(), r.choice(["", "a", "x=y"]))
        if k == 9:
            return "[%s for %s in %s if %s]" % (self.expr(d + 1), n(),
                                                self.expr(d + 1),
                                                self.expr(d + 1))
        if k == 10:
            return "{%s: %s for %s in %s}" % (n(), self.expr(d + 1), n(),
                                              n())
        if k == 11:
            return "(lambda %s: %s)" % (r.choice(["", "q", "q=1", "*q",
                                                 "q, /, w"]),
                                        self.expr(d + 1))
        if k == 12:
            return "(%s if %s else %s)" % (self.expr(d + 1),
                                           self.expr(d + 1),
                                           self.expr(d + 1))
        if k == 13:
            return "(%s := %s)" % (r.choice(["x", "y"]), self.expr(d + 1))
        if k == 14:
            return "[%s, *%s]" % (self.expr(d + 1), n())
        if k == 15:
            return "{%s, %s}" % (self.expr(d + 1), self.expr(d + 1))
        if k == 16:
            return 'f"{%s!r:>{%s}}x"' % (n(), n())
        if k == 17 and self.allowed(self.func):
            return "(yield %s)" % self.expr(d + 1)
        if k == 18 and self.allowed(self.func and not self.coro):
            return "(yield from %s)" % n()
        if k == 19 and self.allowed(self.coro):
            return "(await %s)" % n()
        if k in (17, 18, 19):
            return n()
        if k == 20:
            return "super().%s" % n()
        return "(%s,\n    %s)" % (self.expr(d + 1), self.expr(d + 1))

    def target(self):
        return self.r.choice(["x", "y", "a.b", "a[0]", "x, *y", "(a, b)",
                              "[c, d]", "__p"])

    def block(self, indent, d):
        n = self.r.randrange(1, 4)
        return "".join(self.stmt(indent, d) for _ in range(n))

    def stmt(self, indent, d):
        r = self.r
        sp = " " * indent
        k = r.randrange(26 if d < 4 else 9)
        if k == 0:
            return sp + "%s = %s\n" % (self.target(), self.expr())
        if k == 1:
            return sp + "%s\n" % self.expr()
        if k == 2:
            choices = ["pass", "raise", "raise E from None", "del x",
                       "assert x, 'm'"]
            if self.allowed(self.loop):
                choices += ["break", "continue"]
            if self.allowed(self.func):
                choices += ["return", "return %s" % self.expr(), "global x"]
            if self.allowed(self.func and not self.coro):
                choices.append("nonlocal x")
            return sp + r.choice(choices) + "\n"
        if k == 3:
            return sp + "%s %s= %s\n" % (r.choice(["x", "a.b", "a[0]",
                                                   "a[1:2]"]),
                                         r.choice(["+", "*", "|", "//"]),
                                         self.expr())
        if k == 4:
            return sp + "x: %s = %s\n" % (self.name(), self.expr())
        if k == 5:
            return sp + "import %s\n" % r.choice(["os", "a.b as c", "x"])
        if k == 6:
            return sp + "from %s import %s\n" % (
                r.choice([".", "os", "..m"]), r.choice(["x", "y as z"]))
        if k == 7:
            if self.allowed(self.func):
                return sp + "yield %s\n" % self.expr()
            return sp + "pass\n"
        if k == 8:
            return sp + "(%s\n%s    )\n" % (self.expr(), sp)
        body = lambda: self.block(indent + 4, d + 1)  # noqa: E731
        if k == 9:
            s = sp + "if %s:\n" % self.expr() + body()
            if r.random() < 0.5:
                s += sp + "elif %s:\n" % self.expr() + body()
            if r.random() < 0.5:
                s += sp + "else:\n" + body()
            return s
        if k in (10, 11):
            head = ("while %s:\n" % self.expr() if k == 10
                    else "for %s in %s:\n" % (self.target(), self.expr()))
            saved, self.loop = self.loop, True
            s = sp + head + body()
            self.loop = saved
            if r.random() < 0.3:
                s += sp + "else:\n" + body()
            return s
        if k == 12:
            s = sp + "try:\n" + body()
            kind = r.randrange(4)
            if kind in (0, 2):
                s += sp + "except E as e:\n" + body()
                s += sp + "except:\n" + body()
            if kind == 3:
                s += sp + "except* E:\n" + body()
            if kind in (0, 3) and r.random() < 0.5:
                s += sp + "else:\n" + body()
            if kind in (1, 2):
                s += sp + "finally:\n" + body()
            if kind == 0 and r.random() < 0.5:
                s += sp + "finally:\n" + body()
            return s
        if k == 13:
            return sp + "with %s as %s, %s:\n" % (self.name(), self.target(),
                                                  self.name()) + body()
        if k in (14, 15):
            saved = (self.func, self.coro, self.loop)
            self.func, self.coro, self.loop = True, k == 15, False
            head = ("def %s(%s):\n" % (self.name(), r.choice(
                ["", "a", "a, b=1, *c, d, **e", "self, /, x"]))
                if k == 14 else "async def f():\n")
            s = sp + head + body()
            self.func, self.coro, self.loop = saved
            return s
        if k == 16:
            return (sp + "@%s\n" % self.name() + sp + "class %s(%s):\n"
                    % (self.name(), self.name()) + body())
        if k == 17 and self.allowed(self.coro):
            return sp + "async with %s as %s:\n" % (self.name(), self.name()) \
                + body()
        if k == 18 and self.allowed(self.coro):
            saved, self.loop = self.loop, True
            s = sp + "async for %s in %s:\n" % (self.name(), self.name()) \
                + body()
            self.loop = saved
            return s
        if k == 19:
            pat = r.choice(["[a, *b]", "{'k': v, **kw}", "C(x, y=z)",
                            "1 | 2", "(p, q) | [q, p]", "str() as s",
                            "None", "-1", "_"])
            s = sp + "match %s:\n" % self.expr()
            s += sp + "    case %s%s:\n" % (pat, r.choice(["", " if x"])) \
                + self.block(indent + 8, d + 1)
            s += sp + "    case _:\n" + self.block(indent + 8, d + 1)
            return s
        if k == 20:
            return sp + "%s = [%s for %s in %s]\n" % (
                self.name(), self.expr(), self.name(), self.expr())
        return sp + "%s = %s\n" % (self.name(), self.expr())

    def program(self):
        src = ""
        if self.r.random() < 0.2:
            src += "from __future__ import annotations\n"
        indent = 0
        kind = self.r.randrange(3)
        if kind:
            self.func = True
            self.coro = kind == 2
            src += "async def main():\n" if self.coro else "def main(a):\n"
            indent = 4
        for _ in range(self.r.randrange(1, 5)):
            src += self.stmt(indent, 0)
        return src


def check(args):
    dis, seed, keep = args
    src = Gen(random.Random(seed)).program().encode()
    with tempfile.NamedTemporaryFile(suffix=".py", delete=False) as f:
        f.write(src)
        path = f.name
    try:
        _, problems, _, _ = stdlib_test.check((dis, path, True, False))
    finally:
        if keep and problems:
            os.replace(path, os.path.join(keep, "seed%d.py" % seed))
        else:
            os.unlink(path)
    return seed, problems, src


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--keep")
    opts = ap.parse_args()
    dis = os.path.join(os.path.abspath(opts.build_dir), "Programs", "_dis")
    if not os.access(dis, os.X_OK):
        sys.exit("no executable %s" % dis)
    bad = 0
    seeds = range(opts.seed, opts.seed + opts.count)
    with multiprocessing.Pool(opts.jobs) as pool:
        for seed, problems, src in pool.imap_unordered(
                check, [(dis, s, opts.keep) for s in seeds], chunksize=16):
            if problems:
                bad += 1
                print("DIFFERENT: seed %d" % seed)
                if opts.verbose:
                    print(src.decode())
                    for p in problems[:6]:
                        print("    " + p)
    print("%d identical, %d different (of %d programs)"
          % (opts.count - bad, bad, opts.count))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
