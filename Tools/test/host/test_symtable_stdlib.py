#!/usr/bin/env python3.11
"""Compare Programs/_symdump with CPython's symtable module over the stdlib.

Usage: python3.11 Tools/test/host/test_symtable_stdlib.py --build-dir DIR
                  [--stdlib DIR] [--jobs N] [--verbose] [FILE...]

For every .py file under the system python3.11 directory (the test suite
included) the expected output is computed live by this interpreter with
symtable.symtable(source_bytes, path, "exec"), in the canonical form that
_symdump prints: per scope its type, name, line, is_optimized() and
is_nested(); per symbol (sorted by name) its scope (LOCAL, GLOBAL_EXPLICIT,
GLOBAL_IMPLICIT, FREE, CELL) and its DEF_* flags, from which every
is_referenced/is_assigned/is_parameter/is_global/is_declared_global/
is_local/is_free/is_nonlocal/is_imported/is_annotated predicate follows;
then the child scopes in order (is_namespace follows from them).  A file
that fails gives "ErrorName: message (lineno, offset, end_lineno,
end_offset)".  Files listed in Lib/test/compiler/symtable_known_failures.txt
may differ; the run fails only on an unlisted difference.
"""

import argparse
import multiprocessing
import os
import subprocess
import sys
import sysconfig
import warnings

ORACLE = "/usr/bin/python3.11"
if (os.path.exists(ORACLE) and os.path.realpath(sys.executable)
        != os.path.realpath(ORACLE) and __name__ == "__main__"):
    os.execv(ORACLE, [ORACLE] + sys.argv)

import symtable  # noqa: E402
import _symtable  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
DEFAULT_STDLIB = ("/usr/lib/python3.11" if os.path.isdir("/usr/lib/python3.11")
                  else sysconfig.get_paths()["stdlib"])
KNOWN = os.path.join(ROOT, "Lib", "test", "compiler",
                     "symtable_known_failures.txt")

SCOPES = ["NONE", "LOCAL", "GLOBAL_EXPLICIT", "GLOBAL_IMPLICIT", "FREE",
          "CELL"]
FLAGS = [(_symtable.DEF_GLOBAL, "GLOBAL"), (_symtable.DEF_LOCAL, "LOCAL"),
         (_symtable.DEF_PARAM, "PARAM"), (_symtable.DEF_NONLOCAL, "NONLOCAL"),
         (_symtable.USE, "USE"), (_symtable.DEF_FREE, "FREE"),
         (_symtable.DEF_FREE_CLASS, "FREE_CLASS"),
         (_symtable.DEF_IMPORT, "IMPORT"), (_symtable.DEF_ANNOT, "ANNOT"),
         (512, "COMP_ITER")]


def dump(table, level, out):
    indent = " " * (4 * level)
    out.append("%s%s %s line=%d optimized=%d nested=%d\n" % (
        indent, table.get_type(), table.get_name(), table.get_lineno(),
        table.is_optimized(), table.is_nested()))
    for sym in sorted(table.get_symbols(), key=lambda s: s.get_name()):
        raw = sym._Symbol__flags
        scope = (raw >> _symtable.SCOPE_OFF) & _symtable.SCOPE_MASK
        names = [n for f, n in FLAGS if raw & f]
        out.append("%s  %s scope=%s flags=%s\n" % (
            indent, sym.get_name(), SCOPES[scope] if scope < 6 else "?",
            "|".join(names) or "0"))
    for child in table.get_children():
        dump(child, level + 1, out)


def expected_output(source, path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = []
            dump(symtable.symtable(source, path, "exec"), 0, out)
            return "".join(out)
        except SyntaxError as e:
            return "%s: %s (%s, %s, %s, %s)\n" % (
                type(e).__name__, e.msg, e.lineno, e.offset, e.end_lineno,
                e.end_offset)
        except (ValueError, MemoryError, RecursionError) as e:
            return "%s: %s\n" % (type(e).__name__, e)


def check(args):
    symdump, path = args
    with open(path, "rb") as f:
        source = f.read()
    want = expected_output(source, path)
    try:
        proc = subprocess.run([symdump, path], capture_output=True,
                              timeout=60)
        got = proc.stdout.decode("utf-8", "surrogateescape")
        if proc.returncode not in (0, 1):
            got += "[exit status %d] %s" % (
                proc.returncode, proc.stderr.decode("utf-8", "replace"))
    except subprocess.TimeoutExpired:
        got = "[timeout]"
    return path, got == want, want, got


def first_difference(want, got):
    wl, gl = want.splitlines(), got.splitlines()
    for i in range(max(len(wl), len(gl))):
        w = wl[i] if i < len(wl) else "<end>"
        g = gl[i] if i < len(gl) else "<end>"
        if w != g:
            ctx = "\n".join("      " + l for l in wl[max(0, i - 3):i])
            return "%s\n    want: %s\n    got:  %s" % (ctx, w, g)
    return "    (no line differs)"


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
    symdump = os.path.join(os.path.abspath(opts.build_dir), "Programs",
                           "_symdump")
    if not os.access(symdump, os.X_OK):
        sys.exit("no executable %s" % symdump)
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
    with multiprocessing.Pool(opts.jobs) as pool:
        for path, same, want, got in pool.imap_unordered(
                check, [(symdump, f) for f in files], chunksize=4):
            rel = os.path.relpath(path, stdlib)
            if same:
                identical += 1
                if rel in known:
                    fixed.append(rel)
            elif rel in known:
                known_diff += 1
            else:
                different += 1
                print("DIFFERENT: %s" % rel)
                if opts.verbose:
                    print(first_difference(want, got))
    for rel in sorted(fixed):
        print("now passes (remove from symtable_known_failures.txt): %s"
              % rel)
    print("%d identical, %d different, %d known (of %d files)"
          % (identical, different, known_diff, len(files)))
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
