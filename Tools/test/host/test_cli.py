"""The python command line: version output, -c/-m/stdin/-i, and refusal of
what is missing.

Run by Tools/test/runtests.py as: python3.11 test_cli.py --build-dir DIR
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import unittest

PYTHON = None


def run(*args, input=None, cwd=None, python=None):
    return subprocess.run([python or PYTHON, *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL if input is None else None,
                          input=input, cwd=cwd, timeout=60)


CPYTHON = "/usr/bin/python3.11"


class VersionTests(unittest.TestCase):
    def test_version_long_and_short(self):
        for opt in ("--version", "-V"):
            p = run(opt)
            self.assertEqual(p.returncode, 0)
            self.assertRegex(p.stdout.decode(),
                             r"^Python 3\.11\.\d+ \(plait \d+\.\d+\.\d+\)\n$")

    def test_version_verbose(self):
        p = run("-VV")
        self.assertEqual(p.returncode, 0)
        self.assertTrue(p.stdout.startswith(b"Python 3.11."))
        self.assertIn(b"plait", p.stdout)
        self.assertIn(b"free-threaded", p.stdout)

    def test_help(self):
        p = run("--help")
        self.assertEqual(p.returncode, 0)
        self.assertIn(b"usage:", p.stdout)


class RefusalTests(unittest.TestCase):
    def assert_refused(self, p):
        # Exit status 2 and a message; a signal would give a negative status.
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertTrue(p.stderr.strip())

    def test_unknown_long_option(self):
        p = run("--no-such-option")
        self.assert_refused(p)
        self.assertIn(b"unknown option --no-such-option", p.stderr)

    def test_missing_script(self):
        p = run("/nonexistent/script.py")
        self.assert_refused(p)
        self.assertIn(b"can't open file '/nonexistent/script.py': "
                      b"[Errno 2] No such file or directory", p.stderr)

    def test_command(self):
        p = run("-c", "import sys; print(sys.argv, 6 * 7)", "a", "b")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, b"['-c', 'a', 'b'] 42\n")

    def test_unsupported_are_refused_not_crashed(self):
        for args in (["-X", "dev"], ["-W", "error"]):
            with self.subTest(args=args):
                p = run(*args)
                self.assert_refused(p)


class ProgramSourceTests(unittest.TestCase):
    """-m, stdin and -i behave as CPython 3.11's (same output)."""

    def same_as_cpython(self, *args, input=None, cwd=None):
        mine = run(*args, input=input, cwd=cwd)
        theirs = run(*args, input=input, cwd=cwd, python=CPYTHON)
        self.assertEqual(mine.stdout, theirs.stdout)
        self.assertEqual(mine.returncode, theirs.returncode, mine.stderr)
        return mine, theirs

    def test_module(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "plait_m.py"), "w") as f:
                f.write("import sys\n"
                        "print(sys.argv[1:], __name__, __spec__.name,\n"
                        "      sys.argv[0] == __file__,\n"
                        "      sys.path[0] == %r)\n" % os.path.realpath(d))
            self.same_as_cpython("-m", "plait_m", "x", "y", cwd=d)
            mine, theirs = self.same_as_cpython("-m", "plait_no_such_mod",
                                                cwd=d)
            self.assertIn(b"No module named plait_no_such_mod", mine.stderr)

    def test_stdin(self):
        src = b"import sys\nprint(sys.argv, __file__, __name__)\n"
        self.same_as_cpython("-", "a", input=src)
        self.same_as_cpython(input=src)

    def test_interactive_piped(self):
        src = (b"x = 3\nx * 2\nif x:\n  print('yes')\n\n"
               b"for i in range(2):\n  print(i)\n\n1/0\n"
               b"def f(\n  a):\n  return a\n\nf(5)\nx y\n"
               b"import sys\nsys.exit(4)\nprint('not reached')\n")
        mine, theirs = self.same_as_cpython("-i", "-q", input=src)
        self.assertEqual(mine.stderr, theirs.stderr)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    args, rest = ap.parse_known_args()
    PYTHON = args.build_dir.rstrip("/") + "/python"
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=1)
