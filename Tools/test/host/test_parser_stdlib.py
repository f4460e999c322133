#!/usr/bin/env python3.11
"""Compare Programs/_astdump with CPython's ast.dump over the stdlib.

Usage: python3.11 Tools/test/host/test_parser_stdlib.py --build-dir DIR
                  [--stdlib DIR] [--jobs N] [--verbose] [FILE...]

For every .py file under the system python3.11 directory (the test suite
included) the expected output is computed live by this interpreter:
ast.dump(ast.parse(source), include_attributes=True), or for a file CPython
cannot parse, "ErrorName: message (lineno, offset)".  _astdump must print
the same bytes.  Files listed in Lib/test/parser/known_failures.txt are
allowed to differ; the run fails only on an unlisted difference, and says
which listed files now pass so the list can shrink.
"""

import argparse
import ast
import multiprocessing
import os
import subprocess
import sys
import sysconfig
import warnings

# The oracle is Debian's python3.11 (the one whose stdlib is compared) even
# when another python3.11 comes first on PATH.
ORACLE = "/usr/bin/python3.11"
if (os.path.exists(ORACLE) and os.path.realpath(sys.executable)
        != os.path.realpath(ORACLE) and __name__ == "__main__"):
    os.execv(ORACLE, [ORACLE] + sys.argv)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
DEFAULT_STDLIB = ("/usr/lib/python3.11" if os.path.isdir("/usr/lib/python3.11")
                  else sysconfig.get_paths()["stdlib"])
KNOWN = os.path.join(ROOT, "Lib", "test", "parser", "known_failures.txt")


def expected_output(source):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tree = ast.parse(source)
            return ast.dump(tree, include_attributes=True) + "\n"
        except SyntaxError as e:
            return "%s: %s (%s, %s)\n" % (type(e).__name__, e.msg, e.lineno,
                                          e.offset)
        except (ValueError, MemoryError, RecursionError) as e:
            return "%s: %s\n" % (type(e).__name__, e)


def check(args):
    astdump, path = args
    with open(path, "rb") as f:
        source = f.read()
    want = expected_output(source)
    try:
        proc = subprocess.run([astdump, path], capture_output=True,
                              timeout=60)
        got = proc.stdout.decode("utf-8", "surrogateescape")
        if proc.returncode not in (0, 1):
            got += "[exit status %d] %s" % (
                proc.returncode, proc.stderr.decode("utf-8", "replace"))
    except subprocess.TimeoutExpired:
        got = "[timeout]"
    return path, got == want, want, got


def first_difference(want, got):
    n = 0
    while n < min(len(want), len(got)) and want[n] == got[n]:
        n += 1
    lo = max(0, n - 80)
    return "    want: ...%s\n    got:  ...%s" % (want[lo:n + 80].rstrip(),
                                                 got[lo:n + 80].rstrip())


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
    ap.add_argument("--stdlib", default=DEFAULT_STDLIB)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("files", nargs="*")
    opts = ap.parse_args()
    astdump = os.path.join(os.path.abspath(opts.build_dir), "Programs",
                           "_astdump")
    if not os.access(astdump, os.X_OK):
        sys.exit("no executable %s" % astdump)
    stdlib = os.path.realpath(opts.stdlib)
    files = opts.files
    if not files:
        for dirpath, dirnames, filenames in os.walk(stdlib):
            dirnames[:] = sorted(d for d in dirnames
                                 if d not in ("__pycache__", "site-packages",
                                              "dist-packages"))
            for name in sorted(filenames):
                if name.endswith(".py"):
                    files.append(os.path.join(dirpath, name))
    known = load_known()
    identical = different = known_diff = 0
    fixed = []
    failures = []
    with multiprocessing.Pool(opts.jobs) as pool:
        for path, same, want, got in pool.imap_unordered(
                check, [(astdump, f) for f in files], chunksize=4):
            rel = os.path.relpath(path, stdlib)
            if same:
                identical += 1
                if rel in known:
                    fixed.append(rel)
            elif rel in known:
                known_diff += 1
            else:
                different += 1
                failures.append(rel)
                print("DIFFERENT: %s" % rel)
                if opts.verbose:
                    print(first_difference(want, got))
    for rel in sorted(fixed):
        print("now passes (remove from known_failures.txt): %s" % rel)
    print("%d identical, %d different, %d known (of %d files)"
          % (identical, different, known_diff, len(files)))
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
