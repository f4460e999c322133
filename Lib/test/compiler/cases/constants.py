# Constant folding as 3.11's AST optimizer does it.
a = -1, +2, ~3, not 4, -0.0, -(1j), +1.5, ~True, -True, not ()
b = 1 + 2 * 3 - 4 // 3 % 5 ** 2, 2 ** -1, 0 ** 0, 7 / 2, -7 // 2, -7 % 3
c = 1 << 10, 1 << 62, 2 ** 64, 10 ** 30, 2 ** 127, 3 ** 81, 1 << 200
d = 1.5 * 2, 1e308 * 10, 7.5 // 2, -7.5 % 2, 2.0 ** 0.5, (-8.0) ** (1 / 3)
e = 1 + 2j, 3 - 4j, 2j * 2j, (1 + 2j) / (3 - 4j), 1j ** 2, 1 / 0, 1 % 0
f = "ab" + "cd", "-" * 40, "x" * 5000, b"a" * 3, (1, 2) * 3, () * 10**9
g = "abc"[1], "abc"[-1], "abc"[5], b"abc"[0], (1, (2, 3))[1], "éa"[0]
h = True & False, True | 2, True ^ True, 1 & 3, -5 >> 1, 5 >> 100, 1 << -1
i = (1, 2, (3, 4)), [1, 2, 3], {1, 2, 3}, {1: 2, 3: 4}, [*a, 1], (*a, 1)
j = x in [1, 2, 3], x not in {1, 2}, x in [a, b], x in (1, 2), x in {a}
k = "%s and %r" % (a, b), "%5s|%-3s|%.2s" % (a, b, c), "%d" % (a,), "%%s" % ()
l = "%s" % (a,), "%s %s" % (a,), "%s" % (a, b), "%s" % (*a,), "%100s" % (a,)
m = -9223372036854775808, 9223372036854775807 + 1, 0x7fffffffffffffff * 2
n = 123456789012345678901234567890123456789012, -123456789012345678901234567890123456789012, -0x1fffffffffffffffffffffffffffffffffffffff
o = __debug__, not __debug__, (1).real, 1 .imag, "a" "b", f"{1}" "x"
for x in [1, 2, 3]: pass
for x in {1, 2, 3}: pass
for x in [a, b]: pass
p = [x for x in [1, 2] if x in [3, 4]]
q = 1 if 2 else 3
r = not (a is b), not (a in b), not (a is not b), not a is b, not (a < b)
s = ((1, 2), (3, [4])), (1, 2) + (3,), ((1,) * 2) * 2
