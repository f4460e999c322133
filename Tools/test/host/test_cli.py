"""The python command line: version output and refusal of what is missing.

Run by Tools/test/runtests.py as: python3.11 test_cli.py --build-dir DIR
"""
import argparse
import re
import subprocess
import sys
import unittest

PYTHON = None


def run(*args):
    return subprocess.run([PYTHON, *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                          timeout=60)


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
        for args in (["-m", "os"], ["-"], ["-X", "dev"], []):
            with self.subTest(args=args):
                p = run(*args)
                self.assertGreaterEqual(p.returncode, 0)
                if p.returncode != 0:
                    self.assertEqual(p.returncode, 2)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    args, rest = ap.parse_known_args()
    PYTHON = args.build_dir.rstrip("/") + "/python"
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=1)
