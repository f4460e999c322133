# The codec machinery: the registry, error handlers, _codecs, and the
# built-in and charmap codecs through str.encode / bytes.decode.
import codecs
import _codecs


def show(label, f, *args, **kw):
    try:
        r = f(*args, **kw)
    except Exception as e:
        extra = ""
        if isinstance(e, UnicodeError) and hasattr(e, "start"):
            extra = " [%r %r %r]" % (e.encoding, e.start, e.end)
        print(label, "->", type(e).__name__ + ":", str(e) + extra)
    else:
        print(label, "->", ascii(r))


# ---------------------------------------------------------------- _codecs
names = [n for n in dir(_codecs) if not n.startswith("_")]
print(names)

# ---------------------------------------------------------------- registry
info = codecs.lookup("utf-8")
print(info.name, info is codecs.lookup("UTF-8"), info is codecs.lookup("utf_8"))
for name in ["latin-1", "Latin1", "ISO-8859-1", "iso8859_15", "cp1252",
             "koi8_r", "mac_roman", "U8", "utf-16", "UTF-32-BE", "ascii",
             "us-ascii", "utf-7", "unicode_escape", "raw-unicode-escape",
             "punycode", "rot13", "hex", "cp437"]:
    show("lookup " + name, lambda n: codecs.lookup(n).name, name)
show("lookup unknown", codecs.lookup, "no-such-codec")
show("lookup int", codecs.lookup, 1)
show("lookup nul", codecs.lookup, "a\0b")
show("register non-callable", codecs.register, 1)
show("lookup_error unknown", codecs.lookup_error, "nope")
show("register_error non-callable", codecs.register_error, "x", 1)

seen = []


def search(name):
    seen.append(name)
    if name == "my_codec":
        return codecs.CodecInfo(
            lambda s, errors="strict": (s.upper().encode("ascii"), len(s)),
            lambda b, errors="strict": (bytes(b).decode("ascii").lower(),
                                        len(b)),
            name="my-codec")
    if name == "bad_tuple":
        return (1, 2, 3)
    if name == "not_text":
        ci = codecs.CodecInfo(lambda s, e="strict": (s, len(s)),
                              lambda s, e="strict": (s, len(s)),
                              name="not-text")
        ci._is_text_encoding = False
        return ci
    if name == "returns_int":
        return codecs.CodecInfo(lambda s, e="strict": (5, 1),
                                lambda s, e="strict": (5, 1),
                                name="returns-int")
    if name == "raises":
        def boom(*a):
            raise ValueError("boom")
        return codecs.CodecInfo(boom, boom, name="raises")
    return None


codecs.register(search)
for name in ["My Codec", "my-codec", "A..B", " x-y ", "Ab\xe9c", "a!!b"]:
    show("lookup " + ascii(name), lambda n: codecs.lookup(n).name, name)
print(seen)
mc = codecs.lookup("my_codec")
print(mc.name, mc is codecs.lookup("MY-CODEC"))
print("abc".encode("my_codec"), b"ABC".decode("my-codec"),
      codecs.encode("xy", "my_codec"), codecs.decode(b"XY", "my_codec"))
show("bad tuple", codecs.lookup, "bad_tuple")
show("not text encode", "x".encode, "not_text")
show("not text decode", b"x".decode, "not_text")
show("not text codecs.encode", codecs.encode, "x", "not_text")
show("returns int encode", "x".encode, "returns_int")
show("returns int decode", b"x".decode, "returns_int")
show("returns int codecs.decode", codecs.decode, b"x", "returns_int")
show("raises", codecs.encode, "x", "raises")
e = None
try:
    codecs.decode(b"x", "raises")
except ValueError as exc:
    e = exc
print(type(e.__cause__).__name__, e.__cause__)
show("rot13 str.encode", "x".encode, "rot13")
show("rot13 codecs.encode", codecs.encode, "Hello", "rot13")
show("hex decode", codecs.decode, b"6869", "hex")
show("hex bad", codecs.decode, b"zz", "hex")
codecs.unregister(search)
seen.clear()
show("after unregister", codecs.lookup, "my_codec_2")
print(seen)
codecs.unregister(search)

# ---------------------------------------------------------------- handlers
print(codecs.lookup_error("strict"), codecs.lookup_error("namereplace"),
      codecs.lookup_error("surrogateescape"))
print(codecs.strict_errors is codecs.lookup_error("strict"))
s = "a\xe9\u20ac\U0001f600\udc80z"
for errors in ["strict", "ignore", "replace", "backslashreplace",
               "xmlcharrefreplace", "namereplace", "surrogateescape",
               "surrogatepass"]:
    for enc in ["ascii", "latin-1", "utf-8", "utf-16-le", "utf-32-be",
                "cp1252", "koi8_r", "charmap"]:
        show("encode %s %s" % (enc, errors), s.encode, enc, errors)
data = b"a\xe9\x80\xff\xed\xa0\x80z"
for errors in ["strict", "ignore", "replace", "backslashreplace",
               "xmlcharrefreplace", "namereplace", "surrogateescape",
               "surrogatepass"]:
    for enc in ["ascii", "utf-8", "utf-16-le", "utf-32", "cp1252",
                "mac_roman", "utf-7"]:
        show("decode %s %s" % (enc, errors), data.decode, enc, errors)

show("strict non-exception", codecs.strict_errors, 5)
show("ignore non-exception", codecs.ignore_errors, 5)
show("replace non-exception", codecs.replace_errors, ValueError())
u = UnicodeEncodeError("ascii", "ab\xe9\u1234c", 2, 4, "why")
for h in ["ignore", "replace", "backslashreplace", "xmlcharrefreplace",
          "namereplace"]:
    show("handler " + h, codecs.lookup_error(h), u)
d = UnicodeDecodeError("utf-8", b"ab\xff\xfec", 2, 4, "why")
for h in ["ignore", "replace", "backslashreplace", "surrogateescape",
          "xmlcharrefreplace"]:
    show("handler " + h, codecs.lookup_error(h), d)
t = UnicodeTranslateError("ab\xe9\u1234c", 2, 4, "why")
for h in ["ignore", "replace", "backslashreplace", "xmlcharrefreplace"]:
    show("translate " + h, codecs.lookup_error(h), t)

calls = []


def myhandler(exc):
    calls.append((type(exc).__name__, exc.encoding, exc.start, exc.end,
                  exc.reason))
    if isinstance(exc, UnicodeEncodeError):
        return ("<%d>" % (exc.end - exc.start), exc.end)
    return ("[%s]" % exc.object[exc.start:exc.end].hex(), exc.end)


codecs.register_error("test.mine", myhandler)
print(codecs.lookup_error("test.mine") is myhandler)
print("x\xe9\xe8y\u1234".encode("ascii", "test.mine"))
print("x\xe9\xe8y\u1234".encode("latin-1", "test.mine"))
print("x\udc80\udc81y".encode("utf-8", "test.mine"))
print("x\udc80y".encode("utf-16-be", "test.mine"))
print("x\u1234y".encode("cp1252", "test.mine"))
print(b"x\xff\xfey".decode("ascii", "test.mine"))
print(b"x\xff\xfey\xc3".decode("utf-8", "test.mine"))
print(b"x\x00\xd8\x00y\x00".decode("utf-16-le", "test.mine"))
print(b"x\x81y".decode("cp1252", "test.mine"))
for c in calls:
    print(c)


def bytes_handler(exc):
    return (b"!!", exc.end)


codecs.register_error("test.bytes", bytes_handler)
print("a\xe9b".encode("ascii", "test.bytes"))
print("a\udc80b".encode("utf-16-le", "test.bytes"))
show("bytes odd for utf-32", "a\udc80b".encode, "utf-32-le", "test.bytes")
show("bytes in decoder", b"a\xffb".decode, "ascii", "test.bytes")


def back(exc):
    return ("?", -1)


codecs.register_error("test.negpos", back)
show("negative pos", "\xe9ab".encode, "ascii", "test.negpos")


def far(exc):
    return ("?", 100)


codecs.register_error("test.far", far)
show("out of bounds", "ab\xe9".encode, "ascii", "test.far")
codecs.register_error("test.bad", lambda exc: "nope")
show("bad result encode", "ab\xe9".encode, "ascii", "test.bad")
show("bad result decode", b"ab\xff".decode, "ascii", "test.bad")
codecs.register_error("test.nonascii", lambda exc: ("\xe9", exc.end))
show("non-ascii replacement", "ab\u1234".encode, "ascii", "test.nonascii")
show("latin-1 replacement", "ab\u1234".encode, "latin-1", "test.nonascii")
show("unknown handler encode", "ab\xe9".encode, "ascii", "nope")
show("unknown handler decode", b"ab\xff".decode, "ascii", "nope")
show("unknown handler unused", "ab".encode, "ascii", "nope")

# ---------------------------------------------------------------- messages
show("ascii msg", "\xe9".encode, "ascii")
show("ascii msg 2", "ab\xe9\xe8".encode, "ascii")
show("latin msg", "\u20ac".encode, "latin-1")
show("utf8 msg", "\udc80".encode, "utf-8")
show("utf8 dec", b"\xff".decode, "utf-8")
show("utf8 dec 2", b"\xe2\x82".decode, "utf-8")
show("ascii dec", b"\x80".decode, "ascii")
show("cp1252 dec", b"\x81".decode, "cp1252")
show("cp1252 enc", "\u1234".encode, "cp1252")
show("utf-16 odd", b"a".decode, "utf-16-le")
show("utf-32 range", b"\x00\x00\x11\x00".decode, "utf-32-le")

# ---------------------------------------------------------------- built-ins
for enc in ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32",
            "utf-32-le", "utf-32-be", "utf-7", "latin-1", "unicode_escape",
            "raw_unicode_escape"]:
    text = "h\xe9llo \u20ac \U0001f600 +-~\\"
    try:
        b = text.encode(enc)
    except UnicodeEncodeError as e:
        print(enc, "encode error", e)
        continue
    print(enc, b, b.decode(enc) == text)

print(_codecs.utf_8_decode(b"ab\xc3", None, False))
print(_codecs.utf_8_decode(b"ab\xc3", None, True) if False else "-")
show("utf_8_decode final", _codecs.utf_8_decode, b"ab\xc3", None, True)
print(_codecs.utf_16_ex_decode(b"\xfe\xff\x00a", "strict", 0, True))
print(_codecs.utf_16_ex_decode(b"\xff\xfea\x00", "strict", 0, True))
print(_codecs.utf_32_ex_decode(b"\x00\x00\xfe\xff\x00\x00\x00a"))
print(_codecs.utf_16_encode("a"), _codecs.utf_16_encode("a", None, 1),
      _codecs.utf_16_le_encode("a"), _codecs.utf_32_be_encode("a"))
print(_codecs.latin_1_decode(b"\xe9\xff"), _codecs.ascii_encode("abc"))
print(_codecs.readbuffer_encode(b"abc"), _codecs.readbuffer_encode("\xe9"))
print(_codecs.escape_encode(b"a\\'\"\t\n\r\x00\x7f\xe9"))
print(_codecs.escape_decode(b"a\\x41\\n\\\\\\101"), _codecs.escape_decode("\\t"))
show("escape_decode trailing", _codecs.escape_decode, b"ab\\")
show("escape_decode bad x", _codecs.escape_decode, b"\\x4")
print(_codecs.escape_decode(b"\\x4", "replace"), _codecs.escape_decode(b"\\x4g", "ignore"))
show("utf_8_encode int", _codecs.utf_8_encode, 1)
show("utf_8_decode str", _codecs.utf_8_decode, "abc")

# unicode_escape / raw_unicode_escape
s = "a\\'\"\t\n\r\x00\x7f\xe9\u1234\U00012345"
print(codecs.unicode_escape_encode(s))
print(codecs.raw_unicode_escape_encode(s))
for d in [b"a\\x4", b"a\\x4g", b"\\u12", b"\\U00110000", b"\\N{foo}",
          b"\\N{", b"\\Nx", b"\\", b"\\N{LATIN SMALL LETTER A}\\x41\\u0041"
          b"\\U00000041\\101\\n\\t\\'\\\n.", b"\\N{EM DASH}"]:
    for e in ["strict", "replace", "backslashreplace"]:
        show("unicode_escape %r %s" % (d, e), codecs.unicode_escape_decode,
             d, e)
for d in [b"a\\x4", b"\\u12", b"\\N{LATIN", b"\\", b"ab\\"]:
    print(ascii(codecs.unicode_escape_decode(d, "strict", False)))
for d in [b"\\u12", b"\\u1234\\U00010000x\\", b"\\U0001000", b"\\x41",
          b"\\U00110000", b"\\\\u1234", b"\\\\\\u1234"]:
    for f in [True, False]:
        show("raw %r %s" % (d, f), codecs.raw_unicode_escape_decode, d,
             "strict", f)

# UTF-7
print("".join(chr(c) for c in range(128) if chr(c).encode("utf-7") == bytes([c])))
for s in ["\xe9", "\xe9a", "\xe9.", "\xe9-", "\xe9 ", "+", "a+b", "\U00012345",
          "\xe9\xe9\xe9", "\ud800", "\xe9\x00", "\xe9+", "\xe9~"]:
    print(ascii(s), s.encode("utf-7"))
for b in [b"+AOk", b"+AOk-", b"+AOkA", b"+AOm", b"+AOkx", b"a+", b"+-",
          b"+2AA", b"\x80", b"+AOkA6Q-", b"+2ADcAA-", b"+2AA-", b"x+AOm.y",
          b"x+AOkA.y", b"x+AOkx-y", b"+!", b"x+AOk\x80", b"+2ABB-",
          b"+2ADYAA-"]:
    for e in ["strict", "replace"]:
        show("utf-7 %r %s" % (b, e), b.decode, "utf-7", e)

# incremental decoders fed byte by byte
text = "a\xe9\u20ac\U0001f600+b~"
for enc in ["utf-8", "utf-16", "utf-16-be", "utf-32", "utf-32-le", "utf-7",
            "cp1252", "latin-1", "unicode_escape"]:
    try:
        raw = text.encode(enc)
    except UnicodeEncodeError:
        raw = "a\xe9b".encode(enc)
    dec = codecs.getincrementaldecoder(enc)()
    parts = [dec.decode(raw[i:i + 1]) for i in range(len(raw))]
    parts.append(dec.decode(b"", final=True))
    print(enc, ascii(parts))
dec = codecs.getincrementaldecoder("utf-8")("replace")
print(ascii([dec.decode(bytes([c])) for c in b"a\xe2\x82x\xff"]),
      ascii(dec.decode(b"\xe2", final=True)))
dec = codecs.getincrementaldecoder("utf-16")()
print(ascii(dec.decode(b"\xff")), ascii(dec.decode(b"\xfe")),
      ascii(dec.decode(b"a\x00\x3d")), ascii(dec.decode(b"\xd8\x00")),
      ascii(dec.decode(b"\xde")))
show("utf-16 truncated final", dec.decode, b"", True)
enc = codecs.getincrementalencoder("utf-16")()
print(enc.encode("a"), enc.encode("b"), enc.encode("", final=True))
enc = codecs.getincrementalencoder("utf-7")()
print(enc.encode("a\xe9"), enc.encode("\xe9b"), enc.encode("", final=True))

# charmap
print(codecs.charmap_build("abc\ufffe"))
m = codecs.charmap_build("".join(map(chr, range(256))))
print(type(m).__name__, codecs.charmap_encode("ab\xff", "strict", m))
for t in [{1: None}, {1: 300}, {1: "xy"}, {1: 1.5}, {1: -1}, {1: 0x110000},
          "a\ufffe", {}]:
    for e in ["strict", "replace"]:
        show("charmap_decode %r %s" % (t, e), codecs.charmap_decode,
             b"\x00\x01\x02", e, t)
for t in [{97: None}, {97: 300}, {97: b"xy"}, {97: 1.5}, {97: "x"}, {},
          codecs.charmap_build("xyz"), {97: None, 63: 63},
          {98: b"B", 97: None, 38: 38, 35: 35, 57: 57, 55: 55, 59: 59}]:
    for e in ["strict", "replace", "xmlcharrefreplace"]:
        show("charmap_encode %s" % e, codecs.charmap_encode, "ab", e, t)
print(codecs.charmap_decode(b"\xe9"), codecs.charmap_encode("\xe9"))
for enc in ["cp1252", "koi8_r", "mac_roman", "cp437", "iso8859_5", "cp850"]:
    text = "Hello \xe9\u0416\xa0\u20ac"
    print(enc, text.encode(enc, "replace"),
          ascii(bytes(range(128, 256)).decode(enc, "replace")[:40]))

# punycode encoding (idna needs unicodedata; punycode decoding and base64
# need the memoryview builtin: not in Plait yet)
print("b\xfccher".encode("punycode"), "\u4e2d\u6587".encode("punycode"))

# str(), bytearray.decode, buffer arguments
print(str(b"caf\xe9", "latin-1"), bytearray(b"caf\xe9").decode("cp1252"),
      str(b"x\xffy", "ascii", "replace"), str(b"abc", encoding="utf-16-le",
                                              errors="replace"))
print(bytearray("\xe9", "cp1252"), bytes("\xe9", "koi8_r", "replace"))
show("encode kw", "x".encode, encoding="cp1252", errors="strict")
show("decode kw", b"x".decode, encoding="mac_roman")
show("codecs.encode kw", codecs.encode, obj="x", encoding="utf-16-le")
show("codecs.decode default", codecs.decode, b"\xc3\xa9")
show("encode unknown", "x".encode, "no-such")
show("decode unknown", b"x".decode, "no-such")

# streams
import io
sw = codecs.getwriter("utf-8")
sr = codecs.getreader("cp1252")
print(sw.__name__, sr.__name__)
print(codecs.encode("\xe9", "utf-8"))
print(list(codecs.iterdecode([b"\xc3", b"\xa9", b"x"], "utf-8")),
      list(codecs.iterencode(["a", "\xe9"], "utf-16")))
