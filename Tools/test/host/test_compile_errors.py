#!/usr/bin/env python3.11
"""Compare Plait's compile-time errors and warnings with CPython's.

Usage: python3.11 Tools/test/host/test_compile_errors.py --build-dir DIR
                  [--verbose] [SNIPPETS-FILE...]

Every snippet of Lib/test/compiler/invalid/*.snippets (separated by lines
"#---") is compiled by this interpreter with compile(source_bytes, "<snippet>",
"exec") and by Programs/_dis, and its symbol table is built by
symtable.symtable() and by Programs/_symdump.  The outcome must agree: the
error's type, message, line, offset, end line and end offset, or success;
for _dis also the SyntaxWarnings (message and line) in order; for _symdump
also the canonical dump (see test_symtable_stdlib.py).  Snippets listed in
Lib/test/compiler/invalid/known_failures.txt (as FILE:INDEX, INDEX counting
from 0) may differ; the run fails only on an unlisted difference.
"""

import argparse
import multiprocessing
import os
import re
import subprocess
import sys
import tempfile
import warnings

ORACLE = "/usr/bin/python3.11"
if (os.path.exists(ORACLE) and os.path.realpath(sys.executable)
        != os.path.realpath(ORACLE) and __name__ == "__main__"):
    os.execv(ORACLE, [ORACLE] + sys.argv)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from test_symtable_stdlib import expected_output as expected_symtable  # noqa

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
CORPUS = os.path.join(ROOT, "Lib", "test", "compiler", "invalid")
KNOWN = os.path.join(CORPUS, "known_failures.txt")


def error_line(e):
    if isinstance(e, SyntaxError):
        return "%s: %s (%s, %s, %s, %s)" % (
            type(e).__name__, e.msg, e.lineno, e.offset, e.end_lineno,
            e.end_offset)
    return "%s: %s" % (type(e).__name__, e)


def expected_compile(source, path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            compile(source, path, "exec", dont_inherit=True)
            result = "OK"
        except (SyntaxError, ValueError, MemoryError, RecursionError) as e:
            result = error_line(e)
    found = ["%d: %s: %s" % (w.lineno, w.category.__name__, w.message)
             for w in caught if issubclass(w.category, SyntaxWarning)]
    return result, found


def run(prog, path):
    proc = subprocess.run(prog + [path], capture_output=True, timeout=60)
    out = proc.stdout.decode("utf-8", "surrogateescape")
    err = proc.stderr.decode("utf-8", "surrogateescape")
    if proc.returncode not in (0, 1):
        return None, out, err + "[exit status %d]" % proc.returncode
    return proc.returncode, out, err


def check(args):
    builddir, key, source = args
    problems = []
    with tempfile.NamedTemporaryFile(suffix=".py") as f:
        f.write(source)
        f.flush()
        want, want_warnings = expected_compile(source, f.name)
        status, out, err = run([os.path.join(builddir, "Programs", "_dis")],
                               f.name)
        if status is None:
            problems.append("_dis crashed: " + err[-300:])
        else:
            got = "OK" if status == 0 else (out.strip().splitlines() or [""])[-1]
            if got != want:
                problems.append("compile: want %r, got %r" % (want, got))
            got_warnings = []
            for line in err.splitlines():
                m = re.match(r".*?:(\d+): (SyntaxWarning: .*)$", line)
                if m:
                    got_warnings.append("%s: %s" % m.groups())
            if status == 0 and got_warnings != want_warnings:
                problems.append("warnings: want %r, got %r"
                                % (want_warnings, got_warnings))
        want_sym = expected_symtable(source, f.name)
        status, out, err = run([os.path.join(builddir, "Programs",
                                             "_symdump")], f.name)
        if status is None:
            problems.append("_symdump crashed: " + err[-300:])
        elif out != want_sym:
            problems.append("symtable: want %r, got %r"
                            % (want_sym[:300], out[:300]))
    return key, problems


def snippets(files):
    for path in files:
        name = os.path.basename(path)
        with open(path, "rb") as f:
            text = f.read()
        for i, part in enumerate(text.split(b"\n#---\n")):
            yield "%s:%d" % (name, i), part


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
    ap.add_argument("files", nargs="*")
    opts = ap.parse_args()
    builddir = os.path.abspath(opts.build_dir)
    for prog in ("_dis", "_symdump"):
        if not os.access(os.path.join(builddir, "Programs", prog), os.X_OK):
            sys.exit("no executable Programs/%s in %s" % (prog, builddir))
    files = opts.files or sorted(
        os.path.join(CORPUS, n) for n in os.listdir(CORPUS)
        if n.endswith(".snippets"))
    known = load_known()
    good = bad = known_bad = 0
    fixed = []
    work = [(builddir, key, src) for key, src in snippets(files)]
    with multiprocessing.Pool(opts.jobs) as pool:
        for key, problems in pool.imap(check, work, chunksize=8):
            if not problems:
                good += 1
                if key in known:
                    fixed.append(key)
            elif key in known:
                known_bad += 1
            else:
                bad += 1
                print("DIFFERENT: %s" % key)
                if opts.verbose:
                    for p in problems:
                        print("    " + p)
    for key in fixed:
        print("now passes (remove from known_failures.txt): %s" % key)
    print("%d identical, %d different, %d known (of %d snippets)"
          % (good, bad, known_bad, len(work)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
