# Arithmetic: ints, big ints, floats, bools, operators and their errors.
print(7 // 2, -7 // 2, 7 % 3, -7 % 3, 7 % -3, divmod(-7, 2), 2 ** 10, 2 ** -1)
print(10 / 4, 1 / 3, -0.0, 0.1 + 0.2, 1e300 * 1e10, -1e300 * 1e10)
print(2 ** 100, -(3 ** 70), (2 ** 100) // 3, (2 ** 100) % 97, 10 ** 30 + 1)
print(123456789 * 987654321987654321, (1 << 200) >> 190, ~5, -5 & 0xff, 6 | 9, 6 ^ 3)
print(int("123"), int("-0x1f", 16), int("1_000"), int(3.99), int(-3.99), int("z", 36))
print(float("1.5"), float("inf"), float("-nan"), round(2.5), round(3.5), round(2.675, 2))
print(abs(-3), abs(-2.5), pow(3, 4, 5), pow(2, -1, 7), max(1, 2.5), min([3, 1, 2]))
print(True + True, True * 3, 5 > 3 > 1, 1 < 2 < 2, 1 == 1.0, hash(1) == hash(1.0))
print(bin(10), oct(8), hex(255), (255).bit_length(), (1024).to_bytes(2, "big"))
print(int.from_bytes(b"\x01\x00", "little"), 3 .real, (3.5).as_integer_ratio())
print(1e16, 1.5e-7, 123456789.0, 0.1, 1/7, 2.0 ** 0.5, float(2 ** 60))
print(x := 5, x + 1)
n = 10
n += 5; n -= 3; n *= 2; n //= 5; n **= 3; n %= 7; n <<= 2; n >>= 1; n |= 8; n &= 12; n ^= 5
print(n)
for expr in ["1 / 0", "1 // 0", "1 % 0", "1.0 / 0", "2 ** 10000.0", "'a' + 1",
             "1 + 'a'", "[] * 'x'", "int('abc')", "int('')", "float('x')",
             "1 << -1", "divmod(1, 0)", "pow(2, -1, 4)", "None + 1", "-'a'",
             "int(float('inf'))", "int(float('nan'))", "chr(-1)", "10 ** 5000 * 1.0"]:
    try:
        print(eval(expr))
    except Exception as e:
        print(type(e).__name__ + ":", e)
print(sum(range(101)), sum([0.1] * 10), 17 .__add__(3), (5).__rsub__(8))
print(sorted([3, -1, 2.5, 0]), 3 == 3.0, 0.5 == 1 / 2, -(-5))
