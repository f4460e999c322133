#!/usr/bin/env python3.11
"""Time Plait's parser against CPython's on the whole standard library.

Usage: python3.11 Tools/bench/parse_stdlib.py --build-dir DIR [--stdlib DIR]
                                               [--repeat N]

Plait: `Programs/_astdump --bench FILE...` reads every file, then parses
them all to ASTs (in arenas, no Python objects) and reports the time.
CPython: this interpreter runs compile(src, path, 'exec',
ast.PyCF_ONLY_AST) on the same bytes (so its time includes building the
ast module's Python objects, which is what that call costs).  The best of
--repeat runs of each is compared.
"""

import argparse
import ast
import os
import re
import subprocess
import sys
import time
import warnings


def stdlib_files(root):
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in (
            "__pycache__", "site-packages", "dist-packages"))
        for name in sorted(filenames):
            if name.endswith(".py"):
                files.append(os.path.join(dirpath, name))
    return files


def time_cpython(files):
    sources = []
    for path in files:
        with open(path, "rb") as f:
            sources.append((path, f.read()))
    errors = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        for path, src in sources:
            try:
                compile(src, path, "exec", ast.PyCF_ONLY_AST)
            except (SyntaxError, ValueError):
                errors += 1
        t1 = time.perf_counter()
    return t1 - t0, errors


def time_plait(astdump, files):
    out = subprocess.run([astdump, "--bench"] + files, capture_output=True,
                         text=True, check=True).stdout
    m = re.search(r"\((\d+) errors\) in ([0-9.]+) seconds", out)
    return float(m.group(2)), int(m.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--stdlib", default="/usr/lib/python3.11")
    ap.add_argument("--repeat", type=int, default=3)
    opts = ap.parse_args()
    astdump = os.path.join(opts.build_dir, "Programs", "_astdump")
    files = stdlib_files(opts.stdlib)
    size = sum(os.path.getsize(f) for f in files)
    plait = min(time_plait(astdump, files) for _ in range(opts.repeat))
    cpy = min(time_cpython(files) for _ in range(opts.repeat))
    print("%d files, %.1f MB" % (len(files), size / 1e6))
    print("plait   : %.3f s (%d files with errors)" % plait)
    print("cpython : %.3f s (%d files with errors)  [%s]"
          % (cpy[0], cpy[1], sys.version.split()[0]))
    print("ratio   : plait takes %.2fx CPython's time" % (plait[0] / cpy[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
