#!/usr/bin/env python3.11
"""Compare Programs/_astdump's syntax errors with CPython's.

Usage: python3.11 Tools/test/host/test_parser_invalid.py --build-dir DIR
                  [--verbose]

Every snippet of Lib/test/parser/invalid/*.snippets (separated by lines
"#---") is parsed by this interpreter's ast.parse and by _astdump
--full-errors; the error type, message, lineno, offset, end_lineno and
end_offset (or, for a snippet CPython accepts, the whole dump) must agree.
Snippets listed in Lib/test/parser/invalid/known_failures.txt (as
FILE:INDEX, INDEX counting from 0) may differ; the run fails only on an
unlisted difference, and names listed ones that now pass.
"""

import argparse
import ast
import multiprocessing
import os
import subprocess
import sys
import tempfile
import warnings

# The oracle is Debian's python3.11 (the one whose stdlib is compared) even
# when another python3.11 comes first on PATH.
ORACLE = "/usr/bin/python3.11"
if (os.path.exists(ORACLE) and os.path.realpath(sys.executable)
        != os.path.realpath(ORACLE) and __name__ == "__main__"):
    os.execv(ORACLE, [ORACLE] + sys.argv)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
CORPUS = os.path.join(ROOT, "Lib", "test", "parser", "invalid")
KNOWN = os.path.join(CORPUS, "known_failures.txt")


def expected_output(source):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tree = ast.parse(source)
            return ast.dump(tree, include_attributes=True) + "\n"
        except SyntaxError as e:
            return "%s: %s (%s, %s, %s, %s)\n" % (
                type(e).__name__, e.msg, e.lineno, e.offset, e.end_lineno,
                e.end_offset)
        except (ValueError, MemoryError, RecursionError) as e:
            return "%s: %s\n" % (type(e).__name__, e)


def snippets():
    for name in sorted(os.listdir(CORPUS)):
        if not name.endswith(".snippets"):
            continue
        with open(os.path.join(CORPUS, name), "rb") as f:
            text = f.read()
        parts = text.split(b"\n#---\n")
        for i, part in enumerate(parts):
            yield "%s:%d" % (name, i), part


def check(args):
    astdump, key, source = args
    want = expected_output(source)
    with tempfile.NamedTemporaryFile(suffix=".py") as f:
        f.write(source)
        f.flush()
        try:
            proc = subprocess.run([astdump, "--full-errors", f.name],
                                  capture_output=True, timeout=30)
            got = proc.stdout.decode("utf-8", "surrogateescape")
            if proc.returncode not in (0, 1):
                got += "[exit status %d]" % proc.returncode
        except subprocess.TimeoutExpired:
            got = "[timeout]"
    return key, source, want, got


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
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--verbose", action="store_true")
    opts = ap.parse_args()
    astdump = os.path.join(os.path.abspath(opts.build_dir), "Programs",
                           "_astdump")
    if not os.access(astdump, os.X_OK):
        sys.exit("no executable %s" % astdump)
    known = load_known()
    identical = different = known_diff = 0
    fixed = []
    work = [(astdump, k, s) for k, s in snippets()]
    with multiprocessing.Pool(opts.jobs) as pool:
        results = pool.map(check, work, chunksize=8)
    for key, source, want, got in results:
        if want == got:
            identical += 1
            if key in known:
                fixed.append(key)
        elif key in known:
            known_diff += 1
        else:
            different += 1
            print("DIFFERENT: %s" % key)
            if opts.verbose:
                print("    source: %r" % source[:200])
                print("    want: %s" % want[:300].rstrip())
                print("    got:  %s" % got[:300].rstrip())
    for key in fixed:
        print("now passes (remove from known_failures.txt): %s" % key)
    print("%d identical, %d different, %d known (of %d snippets)"
          % (identical, different, known_diff, len(results)))
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
