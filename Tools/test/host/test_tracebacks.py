"""Uncaught exception tracebacks: ./python and python3.11 must write the
same stderr (byte for byte, `^^^^` marker lines included) and exit 1.

Run by Tools/test/runtests.py as: python3.11 test_tracebacks.py --build-dir DIR
"""
import argparse
import os
import subprocess
import sys
import tempfile
import unittest

PYTHON = None

CASES = {
    "zero_division": "a = 1\nb = 0\nc = a / b\n",
    "subscript_in_call": (
        "def g(x):\n"
        "    return x['a'] + 1\n"
        "\n"
        "def f():\n"
        "    d = {}\n"
        "    return g(d)\n"
        "\n"
        "f()\n"),
    "during_handling": (
        "try:\n"
        "    1/0\n"
        "except ZeroDivisionError:\n"
        "    x = [1,2][5]\n"),
    "direct_cause": (
        "class A:\n"
        "    pass\n"
        "def h():\n"
        "    try:\n"
        "        A().missing\n"
        "    except AttributeError as e:\n"
        "        raise ValueError('bad') from e\n"
        "h()\n"),
    "multiline_call": (
        "def f(a, b):\n"
        "    return a + b\n"
        "\n"
        "x = f(1,\n"
        "      'a')\n"),
    "non_ascii": "x = '\u00e9' + 1\n",
    "finally_runs": (
        "def f():\n"
        "    raise KeyError('x')\n"
        "try:\n"
        "    f()\n"
        "finally:\n"
        "    print('done')\n"),
    "module_not_found": "import nosuchmod_plait_test\n",
    "recursion": "def r(n):\n    return r(n+1)\nr(0)\n",
    "whole_line_no_carets": "raise ValueError('whole line')\n",
    "name_error": "def f():\n    return undefined_thing\nf()\n",
    "attribute_error_method": "x = 1\nx.append(2)\n",
    "reraise_in_except": (
        "try:\n"
        "    try:\n"
        "        1/0\n"
        "    except ZeroDivisionError:\n"
        "        raise TypeError(1)\n"
        "except TypeError:\n"
        "    raise\n"),
    "with_exit": (
        "class CM:\n"
        "    def __enter__(self):\n"
        "        return self\n"
        "    def __exit__(self, *a):\n"
        "        return False\n"
        "with CM():\n"
        "    {}['missing']\n"),
    "generator": (
        "def gen():\n"
        "    yield 1\n"
        "    raise RuntimeError('in gen')\n"
        "for x in gen():\n"
        "    pass\n"),
    "exception_group": (
        "raise ExceptionGroup('eg', [ValueError(1), TypeError(2)])\n"),
    "exception_group_wide": (
        "raise ExceptionGroup('w', [ValueError(i) for i in range(17)])\n"),
    "exception_group_nested_chained": (
        "def f():\n"
        "    raise ValueError('in f')\n"
        "try:\n"
        "    f()\n"
        "except ValueError as e:\n"
        "    raise ExceptionGroup('outer', [e, ExceptionGroup('inner',\n"
        "        [KeyError(2), TypeError('t')]), OSError(3)])\n"),
    "except_star_body_raises": (
        "try:\n"
        "    raise ExceptionGroup('a', [ValueError(1)])\n"
        "except* ValueError:\n"
        "    1/0\n"),
    "except_star_naked_body_raises": (
        "try:\n"
        "    raise ValueError(1)\n"
        "except* ValueError:\n"
        "    1/0\n"),
    "except_star_naked_reraise": (
        "try:\n"
        "    raise ValueError(1)\n"
        "except* ValueError:\n"
        "    raise\n"),
    "except_star_unhandled_rest": (
        "try:\n"
        "    raise ExceptionGroup('a', [ValueError(1), TypeError(2)])\n"
        "except* ValueError:\n"
        "    pass\n"),
    "keyboard_interrupt": "print('before')\nraise KeyboardInterrupt\n",
    "system_exit_message": "import sys\nsys.exit('bye')\n",
    "syntax_error": "x = (1,\n",
    "wrong_arg_count": "def f(a):\n    pass\nf(1, 2)\n",
}


def run(python, path):
    return subprocess.run([python, path], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                          timeout=60)


class TracebackTests(unittest.TestCase):
    maxDiff = None

    def check(self, name, source):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, name + ".py")
            with open(path, "w", encoding="utf-8") as f:
                f.write(source)
            want = run("/usr/bin/python3.11", path)
            got = run(PYTHON, path)
        self.assertEqual(got.stderr.decode("utf-8", "replace"),
                         want.stderr.decode("utf-8", "replace"))
        self.assertEqual(got.stdout, want.stdout)
        self.assertEqual(got.returncode, want.returncode)


def make_test(name, source):
    def test(self):
        self.check(name, source)
    return test


for _name, _source in CASES.items():
    setattr(TracebackTests, "test_" + _name, make_test(_name, _source))


def main():
    global PYTHON
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    args, rest = ap.parse_known_args()
    PYTHON = os.path.join(os.path.abspath(args.build_dir), "python")
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=1)


if __name__ == "__main__":
    main()
