# Strings and formatting: f-strings, %, str.format, format specs, methods.
name, n, pi = "plait", 42, 3.14159
print(f"{name!r} {name!s:>8} {n:05d} {n:x} {n:#o} {pi:.2f} {pi:10.3e} {n:,}")
print(f"{n=} {pi=:.1f} {'nested ' + f'{n}'} {{braces}} {n:{'>'}{6}}")
print(f"{1_000_000:_} {0.25:%} {-3:+d} {3:+d} {'x':*^7} {12.0:g} {1e20:g}")
print("%s %r %d %5.2f %-4d| %x %X %o %e %%" % ("s", "r", 7, 2.5, 3, 255, 255, 8, 12345.678))
print("%(a)s and %(b)03d" % {"a": "A", "b": 5}, "%c%c" % (65, "b"))
print("{} {} {}".format(1, "two", 3.0), "{1}{0}".format("a", "b"), "{x[0]}{y.real}".format(x=[9], y=2))
print("{:>10}|{:<10}|{:^10}|".format("r", "l", "c"), "{:08.3f}".format(-3.14159))
print(format(1234567.891, ",.2f"), format(255, "b"), format("s", "3"), format(0.000012345, ".3g"))
s = "  Hello, World  "
print(s.strip(), s.lower(), s.upper(), s.split(","), s.replace("l", "L", 2))
print("a,b,,c".split(","), "a b  c".split(), "x".join(["1", "2", "3"]), "abc".center(9, "*"))
print("hello".find("l"), "hello".rfind("l"), "hello".index("e"), "hello".count("l"))
print("Hello".startswith("He"), "Hello".endswith(("x", "lo")), "42".isdigit(), "ab".isalpha())
print("title case words".title(), "MiXeD".swapcase(), "abc"[::-1], "abcdef"[1:5:2], "abc" * 3)
print("tab\tsep".expandtabs(4), "a\nb\r\nc".splitlines(), "x".zfill(5), "-7".zfill(4))
print(repr("quote's"), repr('dq"'), repr("both'\""), repr("\n\t\x00\u00e9\U0001f600"), ascii("é"))
print(ord("A"), chr(9731), len("\U0001f600"), "ß".upper(), "İ".lower().encode("utf-8"))
print("straße".casefold(), "a" < "b", "abc" < "abd", "Z" < "a", sorted("banana"))
print("partition".partition("t"), "partition".rpartition("t"), "a-b-c".rsplit("-", 1))
print("%.3s|%5s|%-5s|" % ("abcdef", "ab", "ab"), "{!a}".format("é"), str(b"bytes"))
print("encode".encode(), b"decode".decode(), "é".encode("utf-8"), bytes([104, 105]))
for bad in ['"%d" % "x"', '"%s %s" % ("a",)', '"{}".format()', '"{0}{}".format(1, 2)',
            'f"{1:q}"', '"abc".index("z")', '"a" * "b"', '"abc"[5]', 'ord("ab")',
            '"{:d}".format(1.5)', '"%s" % (1, 2)']:
    try:
        print(eval(bad))
    except Exception as e:
        print(type(e).__name__ + ":", e)
print(str(12), str(1.5), str(None), str([1, "a"]), repr({"k": (1,)}), str(True))
print("".join(reversed("stressed")), "-".join(map(str, range(5))), "a".isidentifier())
print(len("héllo".encode()), "héllo".encode("latin-1"), "%08.3f" % 3.14159, "%+.1e" % -1234.5)
