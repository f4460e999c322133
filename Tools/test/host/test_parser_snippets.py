#!/usr/bin/env python3.11
"""Parse every string literal of the stdlib as if it were a module.

Usage: python3.11 Tools/test/host/test_parser_snippets.py --build-dir DIR
                  [--stdlib DIR] [--verbose]

The stdlib and its test suite hold tens of thousands of str and bytes
literals; many are code samples, many (valid or not) are prose.  Each one
(under 3000 bytes, no NUL) is parsed by this interpreter's ast.parse and by
Programs/_astdump --batch in one process; the dump or the error (type,
message, lineno, offset, end_lineno, end_offset) must agree.  That exercises
the error paths far beyond Lib/test/parser/invalid/.  Known mismatches are
listed by the first 12 hex digits of the literal's SHA-1 in
Lib/test/parser/snippets_known_failures.txt.
"""

import argparse
import ast
import hashlib
import os
import subprocess
import sys
import tempfile
import warnings

ORACLE = "/usr/bin/python3.11"
if (os.path.exists(ORACLE) and os.path.realpath(sys.executable)
        != os.path.realpath(ORACLE) and __name__ == "__main__"):
    os.execv(ORACLE, [ORACLE] + sys.argv)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
KNOWN = os.path.join(ROOT, "Lib", "test", "parser",
                     "snippets_known_failures.txt")


def harvest(stdlib):
    snippets = set()
    for dirpath, dirnames, filenames in os.walk(stdlib):
        dirnames[:] = [d for d in dirnames if d not in (
            "__pycache__", "site-packages", "dist-packages")]
        for name in filenames:
            if not name.endswith(".py"):
                continue
            try:
                with open(os.path.join(dirpath, name), "rb") as f:
                    tree = ast.parse(f.read())
            except (SyntaxError, ValueError):
                continue
            for node in ast.walk(tree):
                if (isinstance(node, ast.Constant)
                        and isinstance(node.value, (str, bytes))):
                    v = node.value
                    if isinstance(v, str):
                        try:
                            v = v.encode("utf-8")
                        except UnicodeEncodeError:
                            continue
                    if 0 < len(v) < 3000 and b"\0" not in v:
                        snippets.add(v)
    return sorted(snippets)


def expected(src):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.dump(ast.parse(src), include_attributes=True)
        except SyntaxError as e:
            return "%s: %s (%s, %s, %s, %s)" % (type(e).__name__, e.msg,
                                                e.lineno, e.offset,
                                                e.end_lineno, e.end_offset)
        except (ValueError, MemoryError, RecursionError) as e:
            return "%s: %s" % (type(e).__name__, e)


def key(snippet):
    return hashlib.sha1(snippet).hexdigest()[:12]


def load_known():
    known = set()
    try:
        with open(KNOWN) as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if line:
                    known.add(line)
    except FileNotFoundError:
        pass
    return known


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--stdlib", default="/usr/lib/python3.11")
    ap.add_argument("--verbose", action="store_true")
    opts = ap.parse_args()
    astdump = os.path.join(os.path.abspath(opts.build_dir), "Programs",
                           "_astdump")
    snippets = harvest(opts.stdlib)
    with tempfile.NamedTemporaryFile(suffix=".batch") as f:
        for s in snippets:
            f.write(b"%d\n" % len(s))
            f.write(s)
        f.flush()
        out = subprocess.run([astdump, "--batch", f.name],
                             capture_output=True, timeout=600).stdout
    got_lines = out.decode("utf-8", "surrogateescape").split("\n")
    known = load_known()
    identical = different = known_diff = 0
    fixed = []
    for i, s in enumerate(snippets):
        got = got_lines[i] if i < len(got_lines) else "[missing]"
        want = expected(s)
        k = key(s)
        if got == want:
            identical += 1
            if k in known:
                fixed.append(k)
        elif k in known:
            known_diff += 1
        else:
            different += 1
            print("DIFFERENT: %s %r" % (k, s[:70]))
            if opts.verbose:
                print("    want: %s\n    got:  %s" % (want[:300], got[:300]))
    for k in fixed:
        print("now passes (remove from snippets_known_failures.txt): %s" % k)
    print("%d identical, %d different, %d known (of %d literals)"
          % (identical, different, known_diff, len(snippets)))
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
