#!/usr/bin/env python3.11
"""Regenerates the test vectors of the value tests of numbers and text:
Programs/testvalues_*.h (named so that .gitignore's Programs/test_* does not hide them).

Every expected value is computed by the running CPython 3.11 (reprs,
hash(), exception messages), from seeded generators that the C tests
reproduce, so the tests compare Plait with CPython byte for byte.

Usage: python3.11 Tools/test/regen_values.py [--check]
--check regenerates into memory and compares with the committed files.
"""

import argparse
import math
import os
import random
import struct
import sys

SRCDIR = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

def gen_long(emit):
    import sys, random
    M = (1 << 64) - 1
    def xorshift(s):
        s ^= (s << 13) & M; s ^= s >> 7; s ^= (s << 17) & M; return s
    def gen_hex(seed, nhex):
        s = seed or 1; out = []
        for i in range(nhex):
            s = xorshift(s); out.append("0123456789abcdef"[s & 15])
        if out[0] == '0': out[0] = '1'
        return ''.join(out)
    def num(seed, nhex, neg):
        v = int(gen_hex(seed, nhex), 16)
        return -v if neg else v
    def h(x): return hash(x)
    ops = ['add', 'sub', 'mul', 'floordiv', 'mod', 'and', 'or', 'xor', 'lshift', 'rshift', 'powmod']
    cases = []
    rnd = random.Random(12345)
    sizes = [1, 2, 7, 8, 9, 15, 16, 17, 30, 60, 100, 400, 600, 1000, 2000, 5000]
    for i in range(600):
        op = ops[i % len(ops)]
        na = rnd.choice(sizes); nb = rnd.choice(sizes)
        if op == 'mul' and i % 3 == 0:
            na = rnd.choice([600, 1000, 2000, 5000, 9000]); nb = rnd.choice([600, 1000, 2000, 5000, 9000])
        sa = rnd.randrange(1, 1 << 32); sb = rnd.randrange(1, 1 << 32)
        nega = rnd.random() < 0.4; negb = rnd.random() < 0.4
        a = num(sa, na, nega); b = num(sb, nb, negb)
        if op in ('lshift', 'rshift'):
            nb = 0; b = rnd.randrange(0, 3000); sb = b; negb = False
        if op == 'powmod':
            # a ** e % m with e small positive, m = b nonzero
            e = rnd.randrange(0, 300)
            r = pow(a, e, b)
            cases.append((op, sa, na, nega, sb, nb, negb, e, h(r), r.bit_length(), 1 if r < 0 else 0))
            continue
        try:
            r = {'add': lambda: a + b, 'sub': lambda: a - b, 'mul': lambda: a * b,
                 'floordiv': lambda: a // b, 'mod': lambda: a % b, 'and': lambda: a & b,
                 'or': lambda: a | b, 'xor': lambda: a ^ b, 'lshift': lambda: a << b,
                 'rshift': lambda: a >> b}[op]()
        except ZeroDivisionError:
            continue
        cases.append((op, sa, na, nega, sb, nb, negb, 0, h(r), r.bit_length(), 1 if r < 0 else 0))
    emit("/* From the seeded generator: op, seed_a, hexdigits_a,")
    emit("   neg_a, seed_b (or shift), hexdigits_b, neg_b, exponent, hash(result),")
    emit("   result.bit_length(), result < 0. */")
    emit("static const struct bigcase bigcases[] = {")
    for c in cases:
        emit('    {"%s", %du, %d, %d, %du, %d, %d, %d, %dLL, %d, %d},' % c)
    emit("};")
    # exact reprs
    emit("static const struct reprcase reprcases[] = {")
    vals = [0, 1, -1, 5, 256, 257, -5, -6, 2**30-1, 2**30, 2**31, 2**60, 2**63-1, -2**63, 2**64, 10**18, 10**19, 10**50+1,
            -(10**99), 3**200, 7**500, 2**1000]
    for v in vals:
        emit('    {"%s", "%s", "%s", %dLL},' % (hex(v), str(v), bin(v) if v.bit_length() < 200 else oct(v), hash(v)))
    emit("};")
    # parsing
    sys.set_int_max_str_digits(0)
    def fnv64(text):
        hh = 0xcbf29ce484222325
        for ch in text.encode():
            hh ^= ch
            hh = (hh * 0x100000001b3) & M
        return hh
    emit("static const struct bigstrcase bigstrcases[] = {")
    srnd = random.Random(31337)
    for nhex in [1500, 2200, 2500, 3000, 4100, 5000, 6500, 8000, 12000, 20000, 40000]:
        seed = srnd.randrange(1, 1 << 32)
        neg = srnd.random() < 0.5
        x = num(seed, nhex, neg)
        t = str(x)
        emit('    {%du, %d, %d, %dULL, %d},' % (seed, nhex, neg, fnv64(t), len(t)))
    emit("};")
    emit("static const struct powstrcase powstrcases[] = {")
    for base, e, delta in [(10, 20000, 0), (10, 20000, -1), (10, 54321, 1), (2, 60000, 0), (2, 4096 * 30, -1), (7, 40000, 0),
                           (10, 9 * 4096, 0), (10, 9 * 4096, -1), (10, 9 * 4097, 0)]:
        x = base ** e + delta
        t = str(x)
        emit('    {%d, %d, %d, %dULL, %d},' % (base, e, delta, fnv64(t), len(t)))
    emit("};")
    sys.set_int_max_str_digits(4300)
    emit("static const struct parsecase parsecases[] = {")
    import itertools
    for s, base in [('0', 10), ('  12  ', 10), ('-0', 10), ('+0x10', 0), ('0x_1f', 0), ('010', 0), ('000', 0), ('0_0', 0),
                    ('1_000', 10), ('1__0', 10), ('_1', 10), ('1_', 10), ('12a', 10), ('z', 36), ('Z', 36), ('0b101', 0),
                    ('0b101', 16), ('0o17', 8), ('0o17', 0), ('17', 8), ('', 10), (' ', 10), ('- 1', 10), ('0x', 16),
                    ('99999999999999999999999999999', 10), ('-0XDEADBEEF', 16), ('1e5', 10), ('١٢٣', 10), ('\t\n12\x0b', 10),
                    ('0' * 5000 + '1', 10), ('7' * 4300, 10), ('7' * 4301, 10), ('f' * 5000, 16)]:
        try:
            r = int(s, base)
            res = ('ok', hash(r), r.bit_length())
            emit('    {"%s", %d, 1, %dLL, %d, ""},' % (s.encode('unicode_escape').decode().replace('"', '\\"'), base, hash(r), r.bit_length()))
        except ValueError as e:
            msg = str(e)
            emit('    {"%s", %d, 0, 0, 0, "%s"},' % (s.encode('unicode_escape').decode(), base, msg.encode('unicode_escape').decode().replace('"', '\\"')))
    emit("};")


def gen_float(emit):
    import struct, math
    M = (1 << 64) - 1
    def xorshift(s):
        s ^= (s << 13) & M; s ^= s >> 7; s ^= (s << 17) & M; return s
    def fnv(data, h=0xcbf29ce484222325):
        for b in data:
            h ^= b; h = (h * 0x100000001b3) & M
        return h
    N = 1000000
    s = 88172645463325252
    h = 0xcbf29ce484222325
    hh = 0
    for i in range(N):
        s = xorshift(s)
        bits = s
        if i % 4 == 1:   # also exercise "ordinary" magnitudes
            bits = (s & ~(0x7ff << 52)) | ((1023 + (s >> 52) % 80 - 40) << 52)
            bits &= M
        x = struct.unpack('<d', struct.pack('<Q', bits))[0]
        if math.isnan(x) or math.isinf(x):
            continue
        h = fnv(repr(x).encode() + b'\n', h)
        hh = (hh * 31 + hash(x)) & M
    emit("/* Generated by Tools/test/regen_values.py with python3.11; do not")
    emit("   edit.  FNV-1a of the reprs (each followed by a newline) of the")
    emit("   finite doubles drawn from xorshift64 as in the test, and a running")
    emit("   hash of their hash() values. */")
    emit("#define FLOAT_REPR_COUNT %d" % N)
    emit("#define FLOAT_REPR_SEED %dULL" % 88172645463325252)
    emit("#define FLOAT_REPR_FNV %dULL" % h)
    emit("#define FLOAT_HASH_MIX %dULL" % hh)
    vals = [0.0, -0.0, 1.0, -1.5, 0.1, 0.2 + 0.1, 1/3, 2/3, 1e16, 1e15, 123456789012345678.0, 1e-5, 1e-4, 0.0001234,
            5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 9007199254740993.0, 1e22, 1e23, 4.35, 100.0,
            2**0.5, math.pi, math.e, 1e300 * 1e10, -1e300 * 1e10, 1234.5e-310, 0.5, 12345678901234567890.0, 9.999999999999999e22]
    emit("static const struct floatrepr floatreprs[] = {")
    for v in vals:
        b = struct.unpack('<Q', struct.pack('<d', v))[0]
        emit('    {0x%016xULL, "%s", "%s", %dLL, %d},' % (b, repr(v), v.hex(), hash(v), 1 if math.isfinite(v) and v == int(v) else 0))
    emit("};")
    emit("static const struct floatparse floatparses[] = {")
    for t in ['1_0.5', '1__0', ' -inFinity ', 'nan(1)', '0x1p3', '1e500', '', '١.٥', '  .5  ', '5.', '.', 'e5', '1e', '1e+',
              '+1.5E-3', '-iNf', 'infinit', '0.1', '1_000.000_1', '1._5', '1_e5', '\u20033.5\u2003', '00012', '1e-400', '-0',
              '2.4703282292062328e-324', '2.4703282292062327e-324', '1.7976931348623158e308', '1.7976931348623159e308',
              '9007199254740993', '0.30000000000000004']:
        try:
            v = float(t)
            b = struct.unpack('<Q', struct.pack('<d', v))[0]
            if math.isnan(v): b = 0x7ff8000000000000
            emit('    {"%s", 1, 0x%016xULL, ""},' % (t.encode('unicode_escape').decode(), b))
        except ValueError as e:
            emit('    {"%s", 0, 0, "%s"},' % (t.encode('unicode_escape').decode(), str(e).encode('unicode_escape').decode().replace('"', '\\"')))
    emit("};")
    emit("static const struct floatround floatrounds[] = {")
    for v, n in [(2.675, 2), (1.7976931348623157e308, -308), (12345.678, -2), (0.5, 0), (1.5, 0), (2.5, 0), (-2.5, 0), (0.125, 2),
                 (0.375, 2), (1e300, 2), (123.456, -1), (125.0, -1), (135.0, -1), (-0.0, 1), (5e-324, 400), (1.23456, 300),
                 (0.285, 2), (1.0000000000000002, 15), (7.0, -400)]:
        try:
            r = round(v, n)
            emit('    {%r, %d, 1, "%s"},' % (v, n, repr(r)))
        except OverflowError as e:
            emit('    {%r, %d, 0, "%s"},' % (v, n, e))
    emit("};")
    emit("static const struct floathex floathexes[] = {")
    for t in ['0x1.8p+1', '0x1p-1075', '0x1.00000000000018p0', 'zz', '0x1p10000', '0x1.0000000000001p0', '-0x0p0', '  0x1P-1074 ',
              '0x1.fffffffffffff8p1023', '0x1.fffffffffffff7p1023', 'inf', '-Infinity', '1', '0x.8', '0x1.', '0x', '0x1p', '0X1.ABCp-3',
              '0x0.0000000000001p-1022', '0x0.00000000000008p-1022', '0x0.00000000000018p-1022', '0x123456789abcdef0123p0']:
        try:
            v = float.fromhex(t)
            b = struct.unpack('<Q', struct.pack('<d', v))[0]
            emit('    {"%s", 1, 0x%016xULL, ""},' % (t, b))
        except (ValueError, OverflowError) as e:
            emit('    {"%s", 0, 0, "%s: %s"},' % (t, type(e).__name__, e))
    emit("};")


def gen_str(emit):
    def c_lit(s):
        out = []
        for b in s.encode('utf-8', 'surrogatepass'):
            c = chr(b)
            if c == '"' or c == '\\':
                out.append('\\' + c)
            elif 32 <= b < 127 and c != '?':
                out.append(c)
            else:
                out.append('\\%03o' % b)
        return '"' + ''.join(out) + '"'
    texts = ['', 'a', 'hello world', '  Hello, World!  ', 'ÄÖÜ äöü ß', 'straße', 'ΣΑΣ ΟΔΟΣ σας',
             'İstanbul', 'ﬁre ﬂy', 'a\tb\nc\r\nd\x0be\x1cf\u2028g\u2029h\x85i', '日本語テキスト', '𝄞𝄢 music 𝄞',
             'mixed Ünïcödé 𝔘𝔫𝔦 text', 'abcabcabc', 'aaa', '1,2,,3,', '  leading', 'trailing  ', 'ǅungla ǈ', 'ß' * 3, 'x' * 50 + 'é']
    calls = []
    def add(meth, s, *args):
        calls.append((meth, s, args))
    for t in texts:
        for m in ['upper', 'lower', 'title', 'capitalize', 'swapcase', 'casefold', 'strip', 'lstrip', 'rstrip', 'split',
                  'isspace', 'isalpha', 'isdigit', 'isdecimal', 'isnumeric', 'isalnum', 'islower', 'isupper', 'istitle',
                  'isidentifier', 'isprintable', 'isascii', 'splitlines', '__len__', '__repr__', 'encode']:
            add(m, t)
        add('splitlines', t, 1)
        for sub in ['a', 'bc', 'é', '𝄞', '', 'Σ', 'xyz', ' ']:
            add('find', t, sub); add('rfind', t, sub); add('count', t, sub); add('startswith', t, sub); add('endswith', t, sub)
            add('replace', t, sub, '<>' ) ; add('__contains__', t, sub)
            if sub:
                add('split', t, sub); add('rsplit', t, sub); add('partition', t, sub); add('rpartition', t, sub)
                add('split', t, sub, 1); add('rsplit', t, sub, 1)
        add('find', t, 'a', 2); add('find', t, 'a', -5, -1); add('count', t, 'a', 1, 100); add('replace', t, 'a', 'ää', 2)
        add('center', t, 30, '*'); add('ljust', t, 25); add('rjust', t, 25, 'é'); add('zfill', t, 20)
        add('strip', t, ' ab'); add('removeprefix', t, 'he'); add('removesuffix', t, 'd')
        add('rsplit', t, None, 1); add('split', t, None, 2)
        add('__getitem__', t, 0) if t else None
        add('__mul__', t, 3); add('join', ', ', t)
    for t in ['a\tb\tc\n\td', 'a\tbc\t', 'ab\r\tc', '\t', 'é\t𝄞\tx', 'no tabs']:
        for n in [None, 0, 1, 4, -1, 8]:
            if n is None:
                add('expandtabs', t)
            else:
                add('expandtabs', t, n)
    add('maketrans', 'x', 'ab', 'xyz'); add('maketrans', 'x', 'ab', 'xy', 'c'); add('maketrans', 'x', 'é𝄞', 'e♪')
    add('translate', 'abc', 'xyz'); add('zfill', '-42', 6); add('zfill', '+x', 4); add('join', 'é', 'abc'); add('join', '', '')
    add('__add__', 'abc', 'déf'); add('__add__', 'é', '𝄞')
    add('__lt__', 'abc', 'abd'); add('__lt__', 'é', 'e'); add('__lt__', '𝄞', '\uffff'); add('__eq__', 'é', 'é'); add('__lt__', 'ab', 'abc')
    for t in ['', 'aé€𝄞', 'a\ud800b\udc00\udfff', '\udc80x']:
        for codec in ['utf-16', 'utf-16-le', 'UTF-16BE', 'utf-32', 'utf_32_le', 'utf-32-be']:
            add('encode', t, codec)
            for h in ['surrogatepass', 'replace', 'ignore', 'backslashreplace', 'xmlcharrefreplace', 'surrogateescape']:
                add('encode', t, codec, h)
    add('encode', 'é\udc80', 'utf-8', 'surrogateescape'); add('encode', 'aé€', 'latin-1', 'replace'); add('encode', 'aé€', 'ascii', 'xmlcharrefreplace')
    add('encode', 'aé€\ud800', 'utf-8', 'backslashreplace'); add('encode', '\ud800', 'utf-8', 'surrogatepass'); add('encode', 'é', 'UTF_8')
    add('encode', 'aé€', 'ascii'); add('encode', '\ud800x\udc00', 'utf-8'); add('encode', 'x', 'rot13-unknown')
    add('find', '日本語テキスト日本語', '語テキスト'); add('rfind', '日本語テキスト日本語テキスト', '語テキスト')
    add('count', '𝄞ab𝄞ab𝄞ab', '𝄞ab𝄞'); add('replace', 'ΣΑΣ ΟΔΟΣ σας ΣΑΣ ΟΔΟΣ', 'ΣΑΣ Ο', 'x')
    add('split', '日本日本語日本語本', '日本語'); add('find', '\u4142\u4344\u4546\u4748\u494a', '\u4441\u4643\u4845\u4a47')
    add('find', '\u4142\u4344\u4546\u4748\u494a\u4441\u4643\u4845\u4a47', '\u4441\u4643\u4845\u4a47')
    add('find', '\U00010203\U00040506' * 3 + '\U00050607', '\U00040506\U00010203\U00040506\U00050607')
    add('find', 'a' * 1000 + 'b', 'a' * 100 + 'b'); add('count', 'ab' * 1000, 'ab'); add('replace', 'é' * 10, 'é', 'e')
    add('__repr__', "it's"); add('__repr__', 'say "hi"'); add('__repr__', 'both \' and "'); add('__repr__', '\\ \x00 \x7f \x80 \xa0 \xad \u0378 \U000e0001 \U0010ffff')
    srnd = random.Random(999)
    pool = list('abcXYZ  \t\n123') + ['é', 'ß', 'Σ', 'σ', 'ς', 'İ', 'ı', 'ﬁ', 'ǅ', '日', '本', '𝄞', '😀', '\u0301', '\u2028',
                                     '\x85', '٣', '½', 'Ⅻ', '\u00a0', '\u3000', '\x1c', '\u200b', 'Ω', 'ﬀ', 'ŉ', 'ΐ']
    rand_methods = ['upper', 'lower', 'title', 'capitalize', 'swapcase', 'casefold', 'split', 'strip', 'isspace', 'isalpha',
                    'isdigit', 'isdecimal', 'isnumeric', 'isalnum', 'islower', 'isupper', 'istitle', 'isidentifier',
                    'isprintable', 'splitlines', 'expandtabs', '__repr__']
    for n in range(600):
        t = ''.join(srnd.choice(pool) for _ in range(srnd.randrange(0, 12)))
        m = rand_methods[n % len(rand_methods)]
        add(m, t)
        if n % 5 == 0 and t:
            a = srnd.randrange(len(t))
            sub = t[a:a + srnd.randrange(1, 4)]
            add('find', t, sub); add('rfind', t, sub); add('count', t, sub); add('replace', t, sub, 'Ø'); add('split', t, sub)
    for t, a in [('abc', 1), ('abc', -1), ('abc', 3), ('𝄞é', 1)]:
        add('__getitem__', t, a)
    add('split', 'a b', ''); add('find', 'abc', 1); add('startswith', 'abc', 1); add('startswith', 'abc', ('x', 'ab'))
    add('endswith', 'abc', ('x', 1)); add('strip', 'abc', 1); add('join', '', ['a', 1]); add('center', 'a', 5, 'xy')
    add('__mul__', 'ab', -1); add('index', 'abc', 'z'); add('rindex', 'abc', 'b'); add('index', 'abcb', 'b', 2)
    add('partition', 'abc', ''); add('replace', 'abc', '', '-'); add('replace', 'abc', '', '-', 2); add('count', 'abc', '')
    add('count', 'abc', '', 5); add('count', 'abc', '', 3); add('split', 'a,b,c', ',', 0); add('rsplit', ' a b c ', None, 0)

    def argfmt(a):
        if a is None: return 'N', ''
        if isinstance(a, bool): raise TypeError
        if isinstance(a, int): return 'i', str(a)
        if isinstance(a, str): return 's', a
        if isinstance(a, tuple): return 't', '\x01'.join(a) if all(isinstance(x, str) for x in a) else None
        if isinstance(a, list): return 'l', None
        raise TypeError(a)
    emit("/* Generated by Tools/test/regen_values.py with python3.11; do not")
    emit("   edit.  method, self, argument kinds ('s' str, 'i' int, 'N' None,")
    emit("   't' tuple of str joined by \\001), arguments, expected repr of the")
    emit("   result or 'Type: message' of the exception. */")
    emit("static const struct strcase strcases[] = {")
    n = 0
    for meth, s, args in calls:
        kinds = ''
        lits = []
        ok = True
        pyargs = []
        for a in args:
            if isinstance(a, list) or (isinstance(a, tuple) and not all(isinstance(x, str) for x in a)):
                ok = False; break
            k, v = argfmt(a); kinds += k; lits.append(c_lit(v)); pyargs.append(a)
        if not ok:
            continue
        try:
            if meth == '__repr__':
                r = repr(repr(s))
            elif meth == '__len__':
                r = repr(len(s))
            else:
                r = repr(getattr(s, meth)(*pyargs))
            exp = r
        except Exception as e:
            exp = '%s: %s' % (type(e).__name__, e)
            if meth.startswith('__') and meth != '__getitem__':
                continue
        while len(lits) < 3: lits.append('NULL')
        emit('    {"%s", S(%s), "%s", {%s}, %s},' % (meth, c_lit(s), kinds, ', '.join(lits), c_lit(exp)))
        n += 1
    emit("};")



def gen_format(emit):
    import struct, math, random
    def c_lit(s):
        out = []
        for b in s.encode('utf-8', 'surrogatepass'):
            c = chr(b)
            if c == '"' or c == '\\':
                out.append('\\' + c)
            elif 32 <= b < 127 and c != '?':
                out.append(c)
            else:
                out.append('\\%03o' % b)
        return '"' + ''.join(out) + '"'
    def enc(v):
        if isinstance(v, bool):
            return 'b', '1' if v else '0'
        if isinstance(v, int):
            return 'i', str(v)
        if isinstance(v, float):
            return 'f', '%016x' % struct.unpack('<Q', struct.pack('<d', v))[0]
        if isinstance(v, str):
            return 's', v
        raise TypeError(v)
    cases = []
    ints = [0, 1, -1, 5, -42, 255, 1234567, -1234567, 2**64, -(2**70) + 3, 10**20, True, 65, 0x10FFFF]
    floats = [0.0, -0.0, 1.0, -1.5, 0.1, 1234.5, -1234567.891, 1e16, 1e-7, 123456789.0, 0.0001, 2.5, 3.0,
              1.23456789e-5, 1e100, 5e-324, float('inf'), float('-inf'), float('nan'), -0.0001, 12345.678, 0.5]
    strs = ['', 'a', 'abc', 'héllo', '日本', '𝄞x']
    int_specs = ['', 'd', '5', '<5', '^7', '=+8', '+', ' ', '05', '010,', '08,', '012_', ',', '_', 'x', 'X', '#x', '#X',
                 '#010b', 'o', '#o', 'b', '_b', '#_x', 'c', 'n', 'e', '.2f', '%', 'g', '*^12,', '\x01<3', 'é>6', 'q', '.2', '+c',
                 'z', ',x', '_n', '#c', 'dd', ',_', '99999999999999999999', '.', 'E', ',.3e', '-', '-5d']
    float_specs = ['', '.3', '.2', '10', '<10', '^10.2f', '=+12.3f', '+', ' ', '08.2f', '012,.1f', '012_.1f', ',', ',.2f',
                   'e', 'E', '.0e', '#.0e', 'f', 'F', '.0f', 'g', 'G', '#g', '.3g', '.10g', '.17', 'n', '%', '.1%', 'z', 'z.1f',
                   'z.2f', 'z.3e', 'x', '_g', ',g', '*>+15,.4f', 'd', '.0%', '#', '#.0f', '-08.3f', '020.15e']
    str_specs = ['', 's', '5', '>5', '^7', '*^9', '.2', '.1s', '+', '#', '=', ',', 'z', 'd', '05', '<3.2']
    for v in ints:
        for s in int_specs:
            cases.append(('spec', s, [v]))
    for v in floats:
        for s in float_specs:
            cases.append(('spec', s, [v]))
    for v in strs:
        for s in str_specs:
            cases.append(('spec', s, [v]))
    frnd = random.Random(777)
    rand_specs = ['', '.1', '.3', '.12', 'e', '.0e', '.15e', 'f', '.0f', '.20f', 'g', '.1g', '.17g', '%', ',.2f', '#g',
                  '+.3e', 'z.2f', '_.4f', '.50f']
    for n in range(400):
        bits = frnd.getrandbits(64)
        if n % 3 == 0:
            bits = (bits & ~(0x7ff << 52)) | ((1023 + frnd.randrange(-60, 60)) << 52)
        v = struct.unpack('<d', struct.pack('<Q', bits & ((1 << 64) - 1)))[0]
        if math.isnan(v) or math.isinf(v):
            continue
        cases.append(('spec', rand_specs[n % len(rand_specs)], [v]))
        cases.append(('spec', rand_specs[(n * 7 + 3) % len(rand_specs)], [v]))
    irnd = random.Random(778)
    rand_ispecs = ['', ',', '_', 'x', '#X', '_b', 'o', '+', '030,', '>40', 'n', 'e', '.3e', '%']
    for n in range(200):
        v = irnd.getrandbits(irnd.choice([8, 31, 64, 100, 300])) * irnd.choice([1, -1])
        cases.append(('spec', rand_ispecs[n % len(rand_ispecs)], [v]))
    pct = [('%s %d %r %a', ('x', 3.7, 'é', 'é')), ('%5.2f|%-6d|%+d|% d|%05d|%x|%#X|%#o|%e|%g|%c|%c', (3.14159, 42, 5, 5, -42, 255, 255, 8, 12345.678, 0.0001, 65, 'z')),
           ('%d', ('x',)), ('%x', (1.5,)), ('%s %s', (1,)), ('%s', (1, 2)), ('%y', (1,)), ('%', (1,)), ('%c', ('ab',)), ('%c', (0x110000,)),
           ('%*d|%-*.*f', (5, 1, 8, 2, 3.14159)), ('%*d', ('a', 1)), ('%.3s|%5s|%-5s|', ('abcdef', 'ab', 'ab')), ('%f', ('x',)), ('abc', ()),
           ('abc', 5), ('%d%%', 5), ('%i|%u', (True, -3)), ('%.2e|%G|%F', (1.0, 1e-10, float('inf'))), ('%#x', -255), ('%010.3f', -3.14159),
           ('%-010d|', 5), ('%.0f %.1f %.2f', (0.5, 0.25, 0.125)), ('%5c|', 'x'), ('%x', 3.0), ('%.5d|%8.5d|%-8.5x|%#.5x|%+.3d', (42, 42, 42, 42, 7)),
           ('%08.5d', 42), ('%s', 'é'), ('%-5s|%5r', ('é', 'é')), ('%3%|', ()), ('%.3g|%#.3g|%g', (100000.0, 1.0, 1e16)), ('%o|%#o', (-8, 0)),
           ('%d', 2**70), ('%x', -(2**70)), ('%.1f', 1e300), ('%s', 1.5), ('%r', 0.1), ('%a', 'été'), ('%i', 3.99), ('%u', -2.5), ('%c', 'é'), ('%c', -1),
           ('%(a)s', 1), ('abc%', ()), ('%ld %hd %Lf', (1, 2, 3.5))]
    for t, a in pct:
        cases.append(('pct', t, list(a) if isinstance(a, tuple) else a))
    fmts = [('{} {}', (1, 2)), ('{0} {1} {0}', ('a', 'b')), ('{!r:>5}', ('x',)), ('{{}} {}', (1,)), ('{} {0}', (1,)), ('{0} {}', (1, 2)),
            ('{2}', (1,)), ('}', ()), ('{', ()), ('{0!x}', (1,)), ('{0!rr}', (1,)), ('{:{:{}}}', (1, 2, 3)), ('{0[1]}', ('abc',)), ('{0[a}', ('x',)),
            ('{:%}', (0.25,)), ('{0:}', ('x',)), ('{0.}', (1,)), ('{0[]}', (1,)), ('{0}}', (1,)), ('{!}', (1,)), ('{0:{1}.{2}f}', (3.14159, 8, 2)),
            ('{:{}{}}', (1, '>', 5)), ('{0!s:>{1}}', ('a', 3)), ('{00}', ('z',)), ('{1}{}', ('a', 'b')), ('{}', ()), ('{!r}', ('a',)), ('{0!a}', ('é',)),
            ('{0!s}', (1.5,)), ('{0:{{}}}', (1,)), ('{0:}}', (1,)), ('{0!', (1,)), ('{0!r', (1,)), ('{0:', (1,)), ('{0[0]x}', ('ab',)),
            ('{0[0]]}', ('ab',)), ('a{0}b{1:>3}c{0!r}', ('é', 'x')), ('{0:{1}}', (12, '^+7')), ('{:,} {:_x} {:.3%}', (12345678, 0xdeadbeef, 0.12345)),
            ('{0[0]}', ((1,),)) if False else ('{0}', ('tuple',)), ('{0:d}', ('x',)), ('{:5}|{:<5}|{:>5}', ('a', 1, 2.5))]
    for t, a in fmts:
        cases.append(('fmt', t, list(a)))
    emit("static const struct fmtcase fmtcases[] = {")
    for kind, t, args in cases:
        single = not isinstance(args, list)
        alist = [args] if single else args
        kinds = ''.join(enc(v)[0] for v in alist)
        if single:
            kinds = '1' + kinds     # one non-tuple argument for %
        lits = [c_lit(enc(v)[1]) for v in alist]
        try:
            if kind == 'spec':
                r = format(alist[0], t)
            elif kind == 'pct':
                r = t % (args if single else tuple(args))
            else:
                r = t.format(*alist)
            exp = c_lit(r)
            ok = 1
        except Exception as e:
            exp = c_lit('%s: %s' % (type(e).__name__, e))
            ok = 0
        if len(lits) > 14:
            raise ValueError(t)
        emit('    {"%s", %s, "%s", {%s}, %d, %s},' % (kind, c_lit(t), kinds, ', '.join(lits) or 'NULL', ok, exp))
    emit("};")


def gen_bytes(emit):
    def c_bytes(b):
        out = []
        for x in b:
            c = chr(x)
            if c == '"' or c == '\\':
                out.append('\\' + c)
            elif 32 <= x < 127 and c != '?':
                out.append(c)
            else:
                out.append('\\%03o' % x)
        return '"' + ''.join(out) + '"'
    def enc(a):
        if a is None:
            return 'N', b''
        if isinstance(a, bool):
            raise TypeError
        if isinstance(a, int):
            return 'i', str(a).encode()
        if isinstance(a, float):
            return 'f', repr(a).encode()
        if isinstance(a, bytearray):
            return 'B', bytes(a)
        if isinstance(a, bytes):
            return 'y', a
        if isinstance(a, str):
            return 's', a.encode()
        if isinstance(a, tuple):
            return 't', b'\x01'.join(a)
        raise TypeError(a)
    texts = [b'', b'a', b'hello world', b'  Hello, World!  ', b'a\tb\nc\r\nd', b'abcabcabc', b'1,2,,3,',
             b'\x00\xff\x80abc', b'MiXeD CaSe 123', b'-42', b'Title Case Words', b'\t \n', b'aaa',
             b'\xff\xfea\x00\x00\xd8b\x00', b'\x00\xd8a\x00\x00\xdc4\xd8\x1e\xdd', b'\xfe\xff\x00a\xd8\x00',
             b'\x00\x00\x11\x00a\x00\x00\x00\x00\xd8\x00\x00\x1e\xd1\x01', b'\xff\xfe\x00\x00a\x00\x00\x00']
    calls = []
    def add(m, *args):
        calls.append((m, args))
    for m in ['upper', 'lower', 'title', 'capitalize', 'swapcase', 'strip', 'lstrip', 'rstrip', 'split', 'rsplit',
              'splitlines', 'isspace', 'isalpha', 'isdigit', 'isalnum', 'islower', 'isupper', 'istitle', 'isascii',
              'expandtabs']:
        add(m)
    for sub in [b'a', b'bc', b'', b'xyz', 97, 300, 'a', b'\xff', bytearray(b'c')]:
        for m in ['find', 'rfind', 'count', 'index', 'rindex']:
            add(m, sub)
    for sub in [b'a', b'bc', b'', (b'x', b'he'), 'a', 1]:
        add('startswith', sub); add('endswith', sub)
    for sep in [b'a', b',', b' ', b'', 'a', None]:
        add('split', sep); add('rsplit', sep, 1); add('partition', sep) if sep is not None else None; add('rpartition', sep) if sep is not None else None
    add('replace', b'a', b'XY'); add('replace', b'', b'-'); add('replace', b'a', b'', 1); add('replace', 'a', b'b'); add('replace', b'abc', b'Z')
    add('center', 15, b'*'); add('center', 15, 'x'); add('ljust', 12); add('rjust', 12, b'.'); add('zfill', 8); add('expandtabs', 4); add('expandtabs', 0)
    add('strip', b'ah '); add('lstrip', b'\x00'); add('rstrip', None); add('strip', 'a'); add('removeprefix', b'he'); add('removesuffix', b'd')
    add('splitlines', 1); add('join', (b'x', b'y')); add('translate', None, b'aeiou'); add('translate', b'x'); add('find', b'a', 2); add('count', b'a', -5, -1)
    add('index', b'zz')
    for codec in ['utf-16', 'utf-16-le', 'utf-16-be', 'utf-32', 'utf_32_le', 'UTF-32BE', 'latin-1', 'ascii', 'utf-8']:
        add('decode', codec)
        for h in ['replace', 'ignore', 'surrogatepass', 'backslashreplace', 'surrogateescape']:
            add('decode', codec, h)
    emit("static const struct bytescase bytescases[] = {")
    for t in texts:
        for ctor in ('bytes', 'bytearray'):
            for m, args in calls:
                kinds = ''
                lits = []
                for a in args:
                    k, v = enc(a)
                    kinds += k
                    lits.append('{S(%s)}' % c_bytes(v))
                self_obj = t if ctor == 'bytes' else bytearray(t)
                try:
                    r = repr(getattr(self_obj, m)(*args))
                except Exception as e:
                    r = '%s: %s' % (type(e).__name__, e)
                while len(lits) < 3:
                    lits.append('{S("")}')
                emit('    {%d, "%s", S(%s), "%s", {%s}, %s},' % (ctor == 'bytearray', m, c_bytes(t), kinds,
                                                         ', '.join(lits), c_bytes(r.encode('utf-8'))))
    emit("};")
    pct = [(b'%s %d %r %a', (b'x', 3, 'e', 'e')), (b'%d|%5.1f|%x|%c|%c|%a|%r|%b|%s', (5, 2.25, 255, 65, b'z', 'x', 'x', b'q', bytearray(b'w'))),
           (b'%c', (256,)), (b'%c', ('a',)), (b'%s %s', (b'a',)), (b'%y', (1,)), (b'%5s|%-5b|%.2s', (b'ab', b'c', b'xyz')),
           (b'%d', (b'x',)), (b'%i %u %o %e %g %E %G %F %X %%', (1, 2, 8, 1.5, 2.5, 3.5, 4.5, 5.5, 255)), (b'abc', ()), (b'abc', (5,)),
           (b'%s', ('x',)), (b'%*d|%-*.*f', (5, 1, 8, 2, 3.14159)), (b'%08.3f|%+d|% d|%#o|%#x', (-3.14159, 5, 5, 8, 255)), (b'%', ())]
    emit("static const struct bytespct bytespcts[] = {")
    for f, args in pct:
        kinds = ''.join(enc(a)[0] for a in args)
        lits = ['{S(%s)}' % c_bytes(enc(a)[1]) for a in args]
        try:
            r = repr(f % args)
        except Exception as e:
            r = '%s: %s' % (type(e).__name__, e)
        while len(lits) < 10:
            lits.append('{S("")}')
        emit('    {S(%s), "%s", {%s}, %s},' % (c_bytes(f), kinds, ', '.join(lits), c_bytes(r.encode('utf-8'))))
    emit("};")


def gen_listops(emit):
    import random
    M = (1 << 64) - 1
    def fnv(s):
        h = 0xcbf29ce484222325
        for b in s.encode():
            h ^= b
            h = (h * 0x100000001b3) & M
        return h
    rnd = random.Random(4242)
    a = []
    emit("static const struct listop listops[] = {")
    for n in range(3000):
        L = len(a)
        op = rnd.choice(['append', 'append', 'insert', 'pop', 'delslice', 'setslice', 'setext', 'delext', 'reverse',
                         'sort', 'extend', 'remove', 'setitem', 'imul', 'getslice', 'getext'])
        i = rnd.randint(-L - 3, L + 3)
        j = rnd.randint(-L - 3, L + 3)
        s = rnd.choice([-3, -2, -1, 1, 2, 3])
        v = rnd.randint(0, 999)
        k = rnd.randint(0, 6)
        err = 0
        out = ''
        try:
            if op == 'append':
                a.append(v)
            elif op == 'insert':
                a.insert(i, v)
            elif op == 'pop':
                if L == 0 or rnd.random() < 0.3:
                    i = -1
                out = repr(a.pop(i))
            elif op == 'delslice':
                del a[i:j]
            elif op == 'setslice':
                a[i:j] = list(range(v, v + k))
            elif op == 'setext':
                k = len(range(*slice(i, j, s).indices(len(a))))
                a[i:j:s] = list(range(v, v + k))
            elif op == 'delext':
                del a[i:j:s]
            elif op == 'reverse':
                a.reverse()
            elif op == 'sort':
                i = rnd.randint(0, 1)
                a.sort(reverse=bool(i))
            elif op == 'extend':
                a.extend(range(v, v + k))
            elif op == 'remove':
                if a and rnd.random() < 0.7:
                    v = rnd.choice(a)
                a.remove(v)
            elif op == 'setitem':
                a[i] = v
            elif op == 'imul':
                k = 2 if len(a) < 50 else (1 if len(a) < 200 else 0)
                a *= k
            elif op == 'getslice':
                out = repr(a[i:j])
            elif op == 'getext':
                out = repr(a[i:j:s])
        except (IndexError, ValueError) as e:
            err = 1
            out = '%s: %s' % (type(e).__name__, e)
        emit('    {"%s", %d, %d, %d, %d, %d, %dULL, "%s"},' % (op, i, j, s, v, k, fnv(repr(a)), out))
    emit("};")
    emit('static const char listops_final[] = "%s";' % repr(a))


HEADERS = {
    "testvalues_long.h": ('/* Test vectors for Programs/test_values_long.c.  Generated by\n   Tools/test/regen_values.py with python3.11; do not edit. */\nstruct bigcase {\n    const char *op;\n    uint32_t seed_a;\n    int na, neg_a;\n    uint32_t seed_b;\n    int nb, neg_b, exp;\n    long long hash;\n    int bits, negative;\n};\nstruct reprcase {\n    const char *hex, *dec, *alt;\n    long long hash;\n};\nstruct bigstrcase {\n    uint32_t seed;\n    int nhex, neg;\n    uint64_t fnv;\n    int len;\n};\nstruct powstrcase {\n    int base, exp, delta;\n    uint64_t fnv;\n    int len;\n};\nstruct parsecase {\n    const char *text;\n    int base, ok;\n    long long hash;\n    int bits;\n    const char *error;\n};\n', gen_long),
    "testvalues_float.h": ('/* Test vectors for Programs/test_values_float.c.  Generated by\n   Tools/test/regen_values.py with python3.11; do not edit. */\nstruct floatrepr {\n    uint64_t bits;\n    const char *repr, *hex;\n    long long hash;\n    int integral;\n};\nstruct floatparse {\n    const char *text;\n    int ok;\n    uint64_t bits;\n    const char *error;\n};\nstruct floatround {\n    double x;\n    int ndigits, ok;\n    const char *result;\n};\nstruct floathex {\n    const char *text;\n    int ok;\n    uint64_t bits;\n    const char *error;\n};\n', gen_float),
    "testvalues_format.h": ('/* Test vectors for Programs/test_values_format.c.  Generated by\n   Tools/test/regen_values.py with python3.11; do not edit.  kind\n   ("spec": format(arg, text), "pct": text % args, "fmt":\n   text.format(*args)), text, argument kinds (i int, f float bits, s str,\n   b bool; a leading 1: one non-tuple argument for %), arguments, ok,\n   expected result or "Type: message". */\nstruct fmtcase {\n    const char *kind, *text, *kinds;\n    const char *args[14];\n    int ok;\n    const char *expected;\n};\n', gen_format),
    "testvalues_bytes.h": ('/* Test vectors for Programs/test_values_bytes.c.  Generated by\n   Tools/test/regen_values.py with python3.11; do not edit.  Methods\n   shared by bytes and bytearray: is_bytearray, method, self, argument\n   kinds (y bytes, B bytearray, i int, f float, N None, s str, t tuple of bytes\n   joined by \\001), arguments, expected repr or "Type: message"; then\n   %-formatting cases. */\nstruct bytesarg {\n    const char *s;\n    size_t len;\n};\nstruct bytescase {\n    int bytearray;\n    const char *method;\n    const char *self;\n    size_t selflen;\n    const char *kinds;\n    struct bytesarg args[3];\n    const char *expected;\n};\nstruct bytespct {\n    const char *fmt;\n    size_t fmtlen;\n    const char *kinds;\n    struct bytesarg args[10];\n    const char *expected;\n};\n#define S(lit) lit, sizeof(lit) - 1\n', gen_bytes),
    "testvalues_listops.h": ('/* Test vectors for Programs/test_values_list.c.  Generated by\n   Tools/test/regen_values.py with python3.11; do not edit.  A random\n   sequence of list operations (op, i, j, step, value, count) with the\n   FNV-1a hash of repr(list) after each and the result or error text. */\nstruct listop {\n    const char *op;\n    int i, j, step, value, count;\n    uint64_t hash;\n    const char *out;\n};\n', gen_listops),
    "testvalues_str.h": ('/* Test vectors for Programs/test_values_str.c.  Generated by\n   Tools/test/regen_values.py with python3.11; do not edit. */\nstruct strcase {\n    const char *method;\n    const char *self;\n    size_t selflen;\n    const char *kinds;\n    const char *args[3];\n    const char *expected;\n};\n#define S(lit) lit, sizeof(lit) - 1\n', gen_str),
}


def render(name):
    header, fn = HEADERS[name]
    lines = [header.rstrip("\n")]
    fn(lambda *args: lines.append(" ".join(str(a) for a in args)))
    return "\n".join(lines) + "\n"


def main():
    if sys.version_info[:2] != (3, 11):
        sys.exit("regen_values.py must run under CPython 3.11")
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    stale = []
    for name in HEADERS:
        path = os.path.join(SRCDIR, "Programs", name)
        text = render(name)
        if args.check:
            try:
                with open(path, encoding="utf-8") as f:
                    if f.read() != text:
                        stale.append(name)
            except FileNotFoundError:
                stale.append(name)
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
    if stale:
        sys.exit("stale: %s (run Tools/test/regen_values.py)" % ", ".join(stale))


if __name__ == "__main__":
    main()
