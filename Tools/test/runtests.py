#!/usr/bin/env python3.11
"""Plait's test runner (`make test`).

Runs every test the project has and prints one line per test file, then
exactly `N passed, N failed` (plus `, N skipped` when any were skipped).
Exits non-zero when any test failed.

Kinds of tests:
  c       Programs/test_*.c, built by make into the build tree; pass = exit 0.
  host    Tools/test/host/test_*.py, run by the reference python3.11 with
          `--build-dir DIR`; they drive Plait's programs and compare with
          CPython 3.11 computed live.  Exit 0 = pass, 77 = skipped.
  python  Lib/test/test_*.py, run by ./python.  When Lib/test/NAME.exp
          exists (made once by CPython 3.11) stdout must equal it;
          otherwise exit 0 = pass.  A first output line starting with
          SKIP marks a skip.
"""

import argparse
import os
import subprocess
import sys
import time

TIMEOUT = 900


def discover(srcdir, builddir, kinds):
    tests = []
    if "c" in kinds:
        progdir = os.path.join(srcdir, "Programs")
        for name in sorted(os.listdir(progdir)):
            if name.startswith("test_") and name.endswith(".c"):
                exe = os.path.join(builddir, "Programs", name[:-2])
                tests.append(("c", name[:-2], [exe], None))
    if "host" in kinds:
        hostdir = os.path.join(srcdir, "Tools", "test", "host")
        if os.path.isdir(hostdir):
            for name in sorted(os.listdir(hostdir)):
                if name.startswith("test_") and name.endswith(".py"):
                    cmd = [sys.executable, os.path.join(hostdir, name),
                           "--build-dir", builddir]
                    tests.append(("host", name[:-3], cmd, None))
    if "python" in kinds:
        libdir = os.path.join(srcdir, "Lib", "test")
        names = os.listdir(libdir) if os.path.isdir(libdir) else []
        for name in sorted(names):
            if name.startswith("test_") and name.endswith(".py"):
                exp = os.path.join(libdir, name[:-3] + ".exp")
                cmd = [os.path.join(builddir, "python"),
                       os.path.join(libdir, name)]
                tests.append(("python", name[:-3], cmd,
                              exp if os.path.exists(exp) else None))
    return tests


def run_one(kind, cmd, exp):
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=TIMEOUT,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        return "FAIL", (exc.stdout or b"") + b"\n*** timed out\n"
    except OSError as exc:
        return "FAIL", str(exc).encode()
    out = proc.stdout
    if kind == "host" and proc.returncode == 77:
        return "SKIP", out
    if kind == "python" and out.startswith(b"SKIP"):
        return "SKIP", out
    if proc.returncode != 0:
        return "FAIL", out + b"\n*** exit status %d\n" % proc.returncode
    if exp is not None:
        with open(exp, "rb") as f:
            want = f.read()
        if out != want:
            return "FAIL", b"*** output differs from " + exp.encode() + b"\n" + out
    return "PASS", out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", default=".")
    ap.add_argument("--srcdir", default=".")
    ap.add_argument("--kind", action="append",
                    choices=["c", "host", "python"])
    ap.add_argument("--only", default="",
                    help="comma-separated substrings of test names")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    kinds = args.kind or ["c", "host", "python"]
    builddir = os.path.abspath(args.build_dir)
    srcdir = os.path.abspath(args.srcdir)
    tests = discover(srcdir, builddir, kinds)
    if args.only:
        wanted = [w for w in args.only.split(",") if w]
        tests = [t for t in tests if any(w in t[1] for w in wanted)]
    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    for kind, name, cmd, exp in tests:
        t0 = time.monotonic()
        status, out = run_one(kind, cmd, exp)
        dt = time.monotonic() - t0
        counts[status] += 1
        print(f"{status} {kind}/{name} ({dt:.1f}s)", flush=True)
        if status == "FAIL" or args.verbose:
            text = out.decode("utf-8", "replace").rstrip()
            lines = text.splitlines()
            if len(lines) > 60 and not args.verbose:
                lines = ["[... %d lines ...]" % (len(lines) - 60)] + lines[-60:]
            for line in lines:
                print("    " + line)
    summary = f"{counts['PASS']} passed, {counts['FAIL']} failed"
    if counts["SKIP"]:
        summary += f", {counts['SKIP']} skipped"
    print(summary)
    return 1 if counts["FAIL"] or not tests else 0


if __name__ == "__main__":
    sys.exit(main())
