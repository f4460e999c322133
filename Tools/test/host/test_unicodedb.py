"""Plait's Unicode database against CPython 3.11's, computed live.

Run by Tools/test/runtests.py as:
    python3.11 test_unicodedb.py --build-dir DIR

Drives DIR/Programs/_unicodedump (built here with gcc from the sources if
DIR has none) and compares its output, line by line, with what this
interpreter's str methods and unicodedata module say:
  - every property, mapping, value, name and single-character
    normalization of every code point, now and under ucd_3_2_0;
  - name lookups (names, aliases, named sequences, near misses) as
    unicodedata.lookup, \\N{...} and ucd_3_2_0.lookup see them;
  - normalization and is_normalized of constructed sequences;
  - str.lower/upper/title/capitalize/swapcase/casefold of constructed
    strings (final sigma included);
  - the NFKC UTF-8 helper.
Prints one summary line; exit 0 only if everything is identical.
"""

import argparse
import codecs
import ctypes
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unicodedata

SRCDIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
SOURCES = ["Programs/_unicodedump.c", "Objects/unicodectype.c",
           "Objects/unicode_normalize.c"]
OLD = unicodedata.ucd_3_2_0
NCODES = 0x110000
FORMS = ("NFC", "NFD", "NFKC", "NFKD")
MAX_REPORTED = 10


# ----------------------------------------------------------------- helpers

def hexs(s):
    return " ".join("%04X" % ord(c) for c in s)


def mapped(c, s):
    return "=" if s == c else hexs(s)


def opt(v):
    return "-" if v is None else str(v)


def opt_float(v):
    return "-" if v is None else "%.17g" % v


def find_dump(build_dir, tmpdir):
    exe = os.path.join(build_dir, "Programs", "_unicodedump")
    if os.path.exists(exe):
        return exe
    exe = os.path.join(tmpdir, "_unicodedump")
    cmd = ["gcc", "-std=c11", "-O1", "-DPy_BUILD_CORE",
           "-I" + os.path.join(SRCDIR, "Include"),
           "-I" + os.path.join(SRCDIR, "Include", "internal"), "-o", exe]
    cmd += [os.path.join(SRCDIR, s) for s in SOURCES]
    subprocess.run(cmd, check=True)
    return exe


def run_dump(exe, args, lines=None):
    data = None if lines is None else ("\n".join(lines) + "\n").encode()
    proc = subprocess.run([exe, *args], input=data, stdout=subprocess.PIPE,
                          check=True)
    return proc.stdout.decode("ascii").split("\n")[:-1]


class Report:
    def __init__(self):
        self.failures = 0
        self.counts = []

    def compare(self, what, inputs, got, want):
        self.counts.append("%d %s" % (len(want), what))
        if len(got) != len(want):
            print("%s: %d lines, expected %d" % (what, len(got), len(want)))
            self.failures += 1
        bad = [i for i, (g, w) in enumerate(zip(got, want)) if g != w]
        for i in bad[:MAX_REPORTED]:
            print("%s mismatch for %s:\n  plait:   %s\n  cpython: %s"
                  % (what, inputs[i], got[i], want[i]))
        self.failures += len(bad)


# ----------------------------------------------------------------- props

def is_cased(c):
    return (c + "A").title()[-1] == "a"


def is_case_ignorable(c, cased):
    # The final-sigma rule skips case-ignorable characters around a sigma.
    if cased:
        return ("A\u03a3" + c).lower()[1] == "\u03c2"
    return ("A" + c + "\u03a3").lower()[-1] == "\u03c2"


def flag_string(c):
    cased = is_cased(c)
    flags = (
        c.isprintable(), c.isspace(), c.isalpha(), c.isdecimal(),
        c.isdigit(), c.isnumeric(), c.isalnum(), c.islower(), c.isupper(),
        unicodedata.category(c) == "Lt", cased, is_case_ignorable(c, cased),
        len(("a" + c + "b").splitlines()) == 2,
        c.isidentifier() and c != "_", ("a" + c).isidentifier(),
    )
    return "".join("1" if f else "0" for f in flags)


def database_fields(db, c):
    fields = [db.category(c), db.bidirectional(c), str(db.combining(c)),
              db.east_asian_width(c), str(db.mirrored(c)),
              opt(db.decimal(c, None)), opt(db.digit(c, None)),
              opt_float(db.numeric(c, None)), db.decomposition(c),
              db.name(c, "")]
    fields += [mapped(c, db.normalize(f, c)) for f in FORMS]
    return ";".join(fields)


def expected_prop_line(cp, sre):
    c = chr(cp)
    low, up, tit = c.lower(), c.upper(), c.title()
    # CPython's one-character mappings are the first character of the full
    # ones; _sre shows its lower mapping and, through iscased, its upper.
    if sre.unicode_tolower(cp) != ord(low[0]) or \
            sre.unicode_iscased(cp) != (low[0] != c or up[0] != c):
        raise AssertionError("simple mappings of U+%04X" % cp)
    fields = ["%04X" % cp, flag_string(c), mapped(c, low), mapped(c, up),
              mapped(c, tit), mapped(c, c.casefold()), mapped(c, low[0]),
              mapped(c, up[0]), mapped(c, tit[0]),
              opt(unicodedata.decimal(c, None)),
              opt(unicodedata.digit(c, None)),
              opt_float(unicodedata.numeric(c, None)),
              database_fields(unicodedata, c)]
    return ";".join(fields) + "|" + database_fields(OLD, c)


def check_props(exe, report):
    import _sre
    got = run_dump(exe, ["props"])
    want = [expected_prop_line(cp, _sre) for cp in range(NCODES)]
    report.compare("code points", ["U+%04X" % cp for cp in range(NCODES)],
                   got, want)


# ----------------------------------------------------------------- names

def hidden_names():
    """Aliases and named sequences, enumerated through CPython's own name
    capsule (they have no Python-level listing)."""
    getptr = ctypes.pythonapi.PyCapsule_GetPointer
    getptr.restype = ctypes.c_void_p
    getptr.argtypes = [ctypes.py_object, ctypes.c_char_p]
    ptr = getptr(unicodedata._ucnhash_CAPI, b"unicodedata._ucnhash_CAPI")
    proto = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_uint32, ctypes.c_char_p,
                             ctypes.c_int, ctypes.c_int)
    getname = proto(ctypes.cast(ptr, ctypes.POINTER(ctypes.c_void_p))[0])
    buf = ctypes.create_string_buffer(256)
    names = []
    for cp in range(0xF0000, 0x100000):
        if getname(cp, buf, 256, 1) and not getname(cp, buf, 256, 0):
            getname(cp, buf, 256, 1)
            names.append(buf.value.decode("ascii"))
    return names


def name_inputs():
    rng = random.Random(3110)
    names = [unicodedata.name(chr(cp), None) for cp in range(NCODES)]
    names = [n for n in names if n]
    hidden = hidden_names()
    inputs = names + hidden
    ordinary = [n for n in names if not n.startswith(("CJK UNIFIED",
                                                      "HANGUL SYLLABLE"))]
    for n in ordinary + hidden:
        inputs.append(n.lower())
    for n in rng.sample(names, 4000) + hidden:
        inputs += [n.title(), n + "X", n[:-1], n + " ", " " + n,
                   n.replace(" ", "  ", 1), n.replace("-", " ", 1)]
    inputs += [
        "", " ", "A", "LATIN", "LATIN SMALL LETTER", "a" * 300, "A" * 128,
        "LATIN SMALL LETTER \xe9", "LATIN SMALL LETTER A\0",
        "NULL", "null", "BYTE ORDER MARK", "KEYCAP NUMBER SIGN",
        "CJK UNIFIED IDEOGRAPH-4E00", "CJK UNIFIED IDEOGRAPH-4e00",
        "cjk unified ideograph-4E00", "CJK UNIFIED IDEOGRAPH-04E00",
        "CJK UNIFIED IDEOGRAPH-004E00", "CJK UNIFIED IDEOGRAPH-4E0",
        "CJK UNIFIED IDEOGRAPH-", "CJK UNIFIED IDEOGRAPH-3400 ",
        "CJK UNIFIED IDEOGRAPH-0003400", "CJK UNIFIED IDEOGRAPH-+4E00",
        "CJK COMPATIBILITY IDEOGRAPH-F900", "CJK COMPATIBILITY IDEOGRAPH-0F900",
        "cjk compatibility ideograph-f900", "CJK COMPATIBILITY IDEOGRAPH-FA6E",
        "NUSHU CHARACTER-1B170", "NUSHU CHARACTER-01B170",
        "KHITAN SMALL SCRIPT CHARACTER-18B00", "TANGUT IDEOGRAPH-17000",
        "HANGUL SYLLABLE ", "HANGUL SYLLABLE A", "HANGUL SYLLABLE GA",
        "HANGUL SYLLABLE ga", "hangul syllable GA", "HANGUL SYLLABLE GGGA",
        "HANGUL SYLLABLE GAGX", "HANGUL SYLLABLE G", "HANGUL SYLLABLE GAGG ",
        "HANGUL SYLLABLEGA", "HANGUL SYLLABLE  GA",
    ]
    for first, last in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF),
                        (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
                        (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF),
                        (0x2CEB0, 0x2EBEF), (0x30000, 0x3134F),
                        (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)):
        for cp in (first - 1, first, last, last + 1):
            for fmt in ("CJK UNIFIED IDEOGRAPH-%X",
                        "CJK COMPATIBILITY IDEOGRAPH-%X",
                        "CJK UNIFIED IDEOGRAPH-%05X"):
                inputs.append(fmt % cp)
    for cp in rng.sample(range(0xAC00, 0xD7A4), 300):
        n = unicodedata.name(chr(cp))
        inputs += [n[:16] + n[16:].lower(), n[:-1], n + "A"]
    return inputs


def lookup_expected(fn, name):
    try:
        return hexs(fn(name))
    except (KeyError, UnicodeDecodeError):
        return "-"


def escape_lookup(name):
    if "}" in name:
        return "-"       # cannot be written inside \N{...}
    return codecs.decode(b"\\N{" + name.encode() + b"}", "unicode_escape")


def check_lookup(exe, report):
    inputs = name_inputs()
    encoded = [n.encode().hex() for n in inputs]
    for ucd, flags, what, fn in (
            (0, 1, "unicodedata.lookup", unicodedata.lookup),
            (0, 0, "\\N{} escapes", escape_lookup),
            (1, 1, "ucd_3_2_0.lookup", OLD.lookup)):
        todo = [(n, e) for n, e in zip(inputs, encoded)
                if fn is not escape_lookup or "}" not in n]
        got = run_dump(exe, ["lookup", str(ucd), str(flags)],
                       [e for _, e in todo])
        want = [lookup_expected(fn, n) for n, _ in todo]
        report.compare(what, [repr(n) for n, _ in todo], got, want)


# ----------------------------------------------------------------- sequences

def interesting_chars():
    """Pools of characters that exercise normalization and case mapping."""
    marks, bases, decomposable, compat, hangul, other = [], [], [], [], [], []
    for cp in range(NCODES):
        c = chr(cp)
        if unicodedata.combining(c) or OLD.combining(c):
            marks.append(c)
        d = unicodedata.decomposition(c)
        if d:
            (compat if d.startswith("<") else decomposable).append(c)
            if not d.startswith("<"):
                parts = [chr(int(x, 16)) for x in d.split()]
                bases.extend(parts)
    hangul = [chr(cp) for cp in list(range(0x1100, 0x1113))
              + list(range(0x1161, 0x1176)) + list(range(0x11A7, 0x11C3))]
    hangul += ["\uac00", "\uac01", "\uac1c", "\ud7a3", "\ud7a4"]
    other = ["a", "A", " ", "\u00e9", "\u212b", "\U0002f868",
             "\U0002f874", "\U0002f91f", "\U0002f95f", "\U0002f9bf",
             "\u0344", "\u0f73", "\u0f75", "\u0f81", "\u1b05", "\u1b35",
             "\u1b06", "\ufb2c", "\u0958", "\u2adc", "\u0350", "\u0358"]
    return marks, sorted(set(bases)), decomposable, compat, hangul, other


def normalize_inputs():
    rng = random.Random(1511)
    marks, bases, decomposable, compat, hangul, other = interesting_chars()
    some_marks = ["\u0301", "\u0316", "\u0345", "\u05b0", "\u0334",
                  "\u0308", "\u031b", "\u0350", "\u0f72"]
    seqs = [""]
    for c in decomposable:
        d = unicodedata.normalize("NFD", c)
        for m in rng.sample(some_marks, 3):
            seqs += [d + m, d[0] + m + d[1:], c + m, m + c]
    pool = marks + bases + decomposable + compat + hangul + other
    for _ in range(30000):
        n = rng.randint(2, 8)
        seqs.append("".join(rng.choice(pool) for _ in range(n)))
    for _ in range(2000):
        s = [rng.choice(bases), *rng.sample(marks, 5)]
        s.insert(rng.randint(1, 5), rng.choice(bases))
        seqs.append("".join(s))
    for _ in range(200):
        n = rng.randint(30, 80)
        seqs.append(rng.choice(bases) + "".join(rng.choice(marks)
                                                for _ in range(n)))
    for _ in range(2000):
        seqs.append("".join(rng.choice(hangul + marks[:20])
                            for _ in range(rng.randint(2, 6))))
    return seqs


def normalize_expected(s):
    out = []
    for db in (unicodedata, OLD):
        for form in FORMS:
            out.append("%d:%s" % (db.is_normalized(form, s),
                                  hexs(db.normalize(form, s))))
    return ";".join(out)


def check_normalize(exe, report):
    seqs = normalize_inputs()
    got = run_dump(exe, ["normalize"], [hexs(s) for s in seqs])
    want = [normalize_expected(s) for s in seqs]
    report.compare("normalized sequences", [hexs(s) for s in seqs], got,
                   want)


def case_inputs():
    rng = random.Random(8311)
    cased, ignorable, uncased = [], [], []
    for cp in range(NCODES):
        c = chr(cp)
        if unicodedata.category(c) in ("Cs", "Cn", "Co"):
            continue
        cc = is_cased(c)
        ci = is_case_ignorable(c, cc)
        if cc:
            cased.append(c)
        if ci:
            ignorable.append(c)
        if not cc and not ci and rng.random() < 0.01:
            uncased.append(c)
    seqs = [""]
    for c in cased + ignorable:
        seqs += ["A\u03a3" + c, "A" + c + "\u03a3", c + "\u03a3",
                 "\u03a3" + c, c + "a" + c + "B"]
    specials = ["\u03a3", "\u03a3", "\u03c3", "\u03c2", "\u0130", "\u00df",
                "\ufb03", "\u1fb3", "\u1f88", "\u01c5", "\u0345", "'", " ",
                ".", "\u00ad", "\u0300", "\u02b0", "1", "\u0149"]
    pool = specials * 40 + rng.sample(cased, 400) + \
        rng.sample(ignorable, 200) + uncased
    for _ in range(20000):
        seqs.append("".join(rng.choice(pool)
                            for _ in range(rng.randint(1, 10))))
    return seqs


def check_casemap(exe, report):
    seqs = case_inputs()
    got = run_dump(exe, ["casemap"], [hexs(s) for s in seqs])
    want = [";".join(hexs(f(s)) for f in (str.lower, str.upper, str.title,
                                          str.capitalize, str.swapcase,
                                          str.casefold))
            for s in seqs]
    report.compare("case-mapped strings", [hexs(s) for s in seqs], got, want)


def check_nfkc8(exe, report):
    rng = random.Random(3131)
    marks, bases, decomposable, compat, hangul, other = interesting_chars()
    pool = compat + decomposable + marks[:50] + hangul + other + \
        list("abcXYZ_09")
    texts = [b"", b"abc", b"\xff", b"\xc0\x80", b"\xc1\xbf", b"\xed\xa0\x80",
             b"\xf4\x90\x80\x80", b"\xe2\x82", b"\x80", b"a\xe2\x82\xac",
             b"\xf0\x9f\x98\x80", b"\xf5\x80\x80\x80", b"\xe0\x80\xaf"]
    for _ in range(5000):
        s = "".join(rng.choice(pool) for _ in range(rng.randint(1, 6)))
        texts.append(s.encode("utf-8", "surrogatepass"))
    for _ in range(2000):
        texts.append(bytes(rng.randrange(256)
                           for _ in range(rng.randint(1, 6))))
    want = []
    for t in texts:
        try:
            want.append(unicodedata.normalize("NFKC", t.decode("utf-8"))
                        .encode("utf-8").hex())
        except UnicodeDecodeError:
            want.append("ERROR")
    got = run_dump(exe, ["nfkc8"], [t.hex() for t in texts])
    report.compare("NFKC UTF-8 texts", [repr(t) for t in texts], got, want)


# ----------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build-dir", default=".")
    args = parser.parse_args()
    if unicodedata.unidata_version != "14.0.0" or \
            sys.version_info[:2] != (3, 11):
        print("SKIP: needs CPython 3.11 with Unicode 14.0.0")
        return 77
    tmpdir = tempfile.mkdtemp(prefix="ucd-test-")
    try:
        exe = find_dump(args.build_dir, tmpdir)
        report = Report()
        check_props(exe, report)
        check_lookup(exe, report)
        check_normalize(exe, report)
        check_casemap(exe, report)
        check_nfkc8(exe, report)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    verdict = ("all identical" if report.failures == 0
               else "%d MISMATCHES" % report.failures)
    print("test_unicodedb: %s: %s" % (", ".join(report.counts), verdict))
    return 0 if report.failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
