# TextIOWrapper and BufferedRandom edge cases: newline modes across
# chunk boundaries, tell()/seek() cookies with small chunks and stateful
# decoders, interleaved reads and writes.  Expected output from CPython.
import _io
import posix

PATH = "/tmp/plait_io_text_%d" % posix.getpid()

SEED = [12345]


def rnd(n):
    # A small LCG so the test needs no random module.
    SEED[0] = (SEED[0] * 1103515245 + 12345) & 0x7FFFFFFF
    return SEED[0] % n


def sample_text():
    pieces = ["a", "\u00e9", "\u20ac", "\U0001f600", "\n", "\r", "\r\n",
              "xyz", " "]
    return "".join(pieces[rnd(len(pieces))] for _ in range(300))


def test_newline_modes():
    print("== newline modes across chunks")
    text = sample_text()
    data = text.encode("utf-8")
    for chunk in (1, 2, 3, 7, 64):
        results = []
        for nl in (None, "", "\n", "\r", "\r\n"):
            t = _io.TextIOWrapper(_io.BytesIO(data), encoding="utf-8",
                                  newline=nl)
            t._CHUNK_SIZE = chunk
            lines = t.readlines()
            results.append((len(lines), hash("".join(lines)) == hash(
                "".join(_io.TextIOWrapper(_io.BytesIO(data),
                                          encoding="utf-8",
                                          newline=nl).readlines())),
                            t.newlines))
        print(chunk, results)


def test_tell_seek(encoding):
    text = sample_text()
    with _io.open(PATH, "w", encoding=encoding, newline="") as f:
        f.write(text)
    for chunk in (1, 2, 5, 128):
        for nl in (None, ""):
            with _io.open(PATH, encoding=encoding, newline=nl) as f:
                f._CHUNK_SIZE = chunk
                marks = []
                while True:
                    pos = f.tell()
                    s = f.read(rnd(4) + 1)
                    if not s:
                        break
                    marks.append((pos, s))
                ok = True
                for pos, s in marks:
                    f.seek(pos)
                    if f.read(len(s)) != s:
                        ok = False
                f.seek(0)
                lines = []
                while True:
                    pos = f.tell()
                    line = f.readline()
                    if not line:
                        break
                    lines.append((pos, line))
                for pos, line in lines:
                    f.seek(pos)
                    if f.readline() != line:
                        ok = False
                print(encoding, chunk, repr(nl), len(marks), len(lines),
                      ok)


def test_random_access():
    print("== BufferedRandom interleaving")
    with _io.open(PATH, "wb") as f:
        f.write(bytes(range(256)) * 4)
    model = bytearray(bytes(range(256)) * 4)
    with _io.open(PATH, "r+b", buffering=16) as f:
        pos = 0
        for step in range(400):
            op = rnd(5)
            if op == 0:
                n = rnd(40)
                got = f.read(n)
                assert got == bytes(model[pos:pos + n]), step
                pos += len(got)
            elif op == 1:
                data = bytes([rnd(256) for _ in range(rnd(30))])
                f.write(data)
                end = pos + len(data)
                if end > len(model):
                    model.extend(b"\0" * (end - len(model)))
                model[pos:end] = data
                pos = end
            elif op == 2:
                pos = rnd(len(model) + 10)
                f.seek(pos)
                if pos > len(model):
                    pass
            elif op == 3:
                assert f.tell() == pos, (step, f.tell(), pos)
            else:
                got = f.peek(1)[:1]
                want = bytes(model[pos:pos + 1])
                assert got == want or (not want and not got), step
        f.flush()
    with _io.open(PATH, "rb") as f:
        content = f.read()
    print("matches model:", content[:len(model)] == bytes(model),
          len(content) >= len(model))


def test_text_rw():
    print("== text r+ interleaving")
    with _io.open(PATH, "w+", encoding="utf-8") as f:
        f.write("first line\nsecond\n")
        f.seek(0)
        print(repr(f.readline()))
        pos = f.tell()
        f.seek(pos)
        f.write("SECOND\n")
        f.seek(0)
        print(repr(f.read()))
        print(f.tell(), f.seek(0, 2))
        f.write("\u20ac")
        f.seek(0)
        print(repr(f.read()), f.tell())


def test_misc():
    print("== misc")
    t = _io.TextIOWrapper(_io.BytesIO(b"abc\r\ndef\rghi\n"),
                          encoding="ascii", newline=None)
    print(repr(t.read(4)), t.newlines, repr(t.read()), t.newlines)
    t = _io.TextIOWrapper(_io.BytesIO(b"line\n" * 3), encoding="utf-8")
    print(next(t), end="")
    try:
        t.tell()
    except OSError as e:
        print("tell during iteration:", e)
    print(list(t), t.tell())
    d = _io.IncrementalNewlineDecoder(None, translate=True)
    out = [d.decode(c) for c in "a\r\r\n\rb\n\r"]
    out.append(d.decode("", final=True))
    print(out, d.newlines)
    s = _io.StringIO()
    print(s.write("x\r\ny"), repr(s.getvalue()))
    s = _io.StringIO(newline="\r\n")
    s.write("a\nb\n")
    s.seek(0)
    print(repr(s.read()), repr(s.getvalue()))
    b = _io.BufferedReader(_io.BytesIO(b"0123456789" * 3), buffer_size=8)
    print(b.read1(3), b.peek(2)[:2], b.read1(100), b.read(4), b.tell())
    print(b.seek(2), b.read(3), b.seek(-2, 1), b.read(5), b.seek(-3, 2),
          b.read())
    w = _io.BufferedWriter(_io.BytesIO(), buffer_size=8)
    for chunk in (b"ab", b"cdefghij", b"k", b"lmnopqrstuvwxyz"):
        w.write(chunk)
    print(w.tell(), w.raw.getvalue())
    w.flush()
    print(w.raw.getvalue())


def test_state():
    print("== __getstate__/__setstate__")
    for nl in (None, "", "\n", "\r", "\r\n"):
        s = _io.StringIO("a\nb\r\nc\rd", newline=nl)
        s.seek(2)
        st = s.__getstate__()
        t = _io.StringIO.__new__(_io.StringIO)
        t.__setstate__(st)
        print(repr(nl), st, repr(t.getvalue()), t.tell(), t.newlines)
    b = _io.BytesIO(b"xyz")
    b.read(1)
    b.foo = 1
    st = b.__getstate__()
    c = _io.BytesIO.__new__(_io.BytesIO)
    c.__setstate__(st)
    print(st, c.getvalue(), c.tell(), c.foo)


try:
    test_state()
    test_newline_modes()
    print("== tell/seek")
    for enc in ("utf-8", "utf-16", "latin-1"):
        if enc == "latin-1":
            SEED[0] = 7
            text_enc = "latin-1"
        test_tell_seek(enc if enc != "latin-1" else "utf-8-sig")
    test_random_access()
    test_text_rw()
    test_misc()
finally:
    try:
        posix.unlink(PATH)
    except OSError:
        pass
