# Basic behaviour of the _io module: open(), FileIO, the buffered
# classes, BytesIO, StringIO, TextIOWrapper, IncrementalNewlineDecoder.
# Prints results; the expected output comes from CPython 3.11.
import _io
import posix

PATH = "/tmp/plait_io_test_%d" % posix.getpid()


def show(label, f, *args, **kwargs):
    try:
        r = f(*args, **kwargs)
    except Exception as e:
        print(label, "->", type(e).__name__, str(e).replace(PATH, "PATH"))
    else:
        print(label, "=", repr(r).replace(PATH, "PATH"))


def cleanup():
    try:
        posix.unlink(PATH)
    except OSError:
        pass


def test_module():
    print("== module")
    print(sorted(n for n in dir(_io) if not n.startswith("__")))
    print(_io.DEFAULT_BUFFER_SIZE)
    print(issubclass(_io.UnsupportedOperation, OSError),
          issubclass(_io.UnsupportedOperation, ValueError))
    print(_io.BlockingIOError is BlockingIOError)
    print([c.__name__ for c in _io.BufferedRandom.__mro__])
    print([c.__name__ for c in _io.TextIOWrapper.__mro__])
    show("text_encoding(None)", _io.text_encoding, None)
    show("text_encoding('latin-1')", _io.text_encoding, "latin-1")
    import io
    print("io.open is _io.open:", io.open is _io.open)
    print("io.BytesIO is _io.BytesIO:", io.BytesIO is _io.BytesIO)
    print(isinstance(_io.BytesIO(), io.BufferedIOBase),
          isinstance(_io.StringIO(), io.TextIOBase))
    for n in sorted(dir(_io)):
        o = getattr(_io, n)
        if isinstance(o, type) and o.__module__ in ("_io", "io"):
            print(n, sorted(set(dir(o)) - set(dir(object))))


def test_open_errors():
    print("== open errors")
    _io.open(PATH, "w").close()
    for mode in ("rw", "rr", "z", "U", "rU", "rbt", "", "b", "+", "r+b+"):
        show("mode %r" % mode, _io.open, PATH, mode)
    show("mode int", _io.open, PATH, 3)
    show("binary encoding", _io.open, PATH, "rb", encoding="utf-8")
    show("binary errors", _io.open, PATH, "rb", errors="strict")
    show("binary newline", _io.open, PATH, "rb", newline="")
    show("bad newline", _io.open, PATH, "r", newline="x")
    show("unbuffered text", _io.open, PATH, "r", buffering=0)
    show("closefd name", _io.open, PATH, "r", closefd=False)
    show("missing", _io.open, "/nonexistent/plait/x")
    show("directory", _io.open, "/tmp")
    show("list", _io.open, [])
    show("negative fd", _io.FileIO, -1)
    show("fileio mode", _io.FileIO, PATH, "rt")
    show("opener -5", _io.FileIO, PATH, "r", opener=lambda p, f: -5)
    show("opener str", _io.FileIO, PATH, "r", opener=lambda p, f: "x")


def test_fileio():
    print("== FileIO")
    f = _io.FileIO(PATH, "w")
    print(f.mode, f.closefd, f.readable(), f.writable(), f.seekable())
    print(f.write(b"hello world\n"), f.tell())
    show("read on w", f.read)
    f.close()
    print(f.closed, repr(f))
    show("read closed", f.read)
    f = _io.FileIO(PATH, "r+")
    print(repr(f).replace(PATH, "PATH"), f.mode)
    print(f.read(5), f.tell(), f.seek(-3, 2), f.read(), f.read())
    print(f.seek(0), f.readall())
    b = bytearray(4)
    f.seek(6)
    print(f.readinto(b), b)
    print(f.truncate(5), f.seek(0, 2))
    print(f.isatty(), type(f.fileno()).__name__)
    f.close()
    for mode in ("w+", "a", "a+", "xb"):
        if mode == "xb":
            cleanup()
        g = _io.FileIO(PATH, mode)
        print(mode, g.mode, g.readable(), g.writable())
        g.close()
    show("x exists", _io.FileIO, PATH, "x")
    fd = posix.open(PATH, posix.O_RDONLY)
    g = _io.FileIO(fd, closefd=False)
    print(g.closefd, g.name == fd, g.read())
    g.close()
    posix.close(fd)
    with _io.FileIO(PATH, "w") as g:
        print(g.closed)
    print(g.closed)
    show("enter closed", g.__enter__)
    opened = []

    def opener(path, flags):
        opened.append(path)
        return posix.open(path, flags)

    with _io.open(PATH, "rb", opener=opener) as g:
        print(g.read(), opened == [PATH])


def test_buffered():
    print("== buffered")
    with _io.open(PATH, "wb") as f:
        print(type(f).__name__, f.write(b"line1\nline2\nline3"), f.tell())
        print(repr(f).replace(PATH, "PATH"), f.mode, f.name == PATH)
        print(type(f.raw).__name__)
    with _io.open(PATH, "rb") as f:
        print(type(f).__name__, f.peek(3)[:3], f.read(2), f.read1(3))
        print(f.tell(), f.readline(), f.readline(2), f.readline())
        print(f.readline(), f.read(), f.read(5), f.tell())
        print(f.seek(2), f.read(3), f.seek(-2, 1), f.read(4),
              f.seek(-1, 2), f.read())
        f.seek(0)
        print(list(f))
        f.seek(0)
        print(f.readlines(7))
        b = bytearray(3)
        f.seek(1)
        print(f.readinto(b), b, f.readinto1(b), b)
        show("negative read", f.read, -2)
        show("bad whence", f.seek, 0, 7)
        show("write", f.write, b"x")
    show("read closed", f.read)
    show("peek closed", f.peek)
    show("iter closed", iter, f)
    with _io.open(PATH, "r+b") as f:
        print(type(f).__name__, f.read(3))
        f.write(b"XY")
        print(f.tell(), f.read(2))
        f.seek(0)
        print(f.read())
        f.seek(0, 2)
        f.write(b"!end")
        f.seek(0)
        print(f.read())
        print(f.truncate(4), f.tell())
        f.seek(0)
        print(f.read())
    r = _io.BufferedReader(_io.BytesIO(b"abc"), 2)
    print(repr(r), r.read(), r.raw.getvalue())
    raw = r.detach()
    print(type(raw).__name__, repr(r))
    show("detached read", r.read)
    show("zero buffer", _io.BufferedWriter, _io.BytesIO(), 0)
    w = _io.BufferedWriter(_io.BytesIO(), 4)
    print(w.write(b"ab"), w.raw.getvalue(), w.write(b"cdefgh"),
          w.raw.getvalue())
    w.flush()
    print(w.raw.getvalue())
    p = _io.BufferedRWPair(_io.BytesIO(b"pair"), _io.BytesIO())
    print(p.read(2), p.write(b"zz"), p.readable(), p.writable())
    p.close()
    print(p.closed)


def test_bytesio():
    print("== BytesIO")
    b = _io.BytesIO(b"abc\ndef\nghi")
    print(b.read(2), b.readline(), b.tell(), b.readlines())
    print(b.seek(0), list(b), b.seek(1, 1), b.seek(-1, 2))
    b.seek(20)
    print(b.write(b"Z"), b.getvalue())
    print(b.truncate(5), b.getvalue(), b.tell())
    print(b.__getstate__()[:2])
    b3 = _io.BytesIO(b"abc")
    m = b3.getbuffer()
    m[0] = ord("X")
    print(bytes(m), b3.getvalue(), len(m))
    show("write while exported", b3.write, b"x")
    show("close while exported", b3.close)
    del m
    print(b3.write(b"!"), b3.getvalue())
    b2 = _io.BytesIO()
    b2.writelines([b"a", bytearray(b"b")])
    print(b2.getvalue(), b2.readable(), b2.isatty())
    show("negative seek", b2.seek, -1)
    show("write str", b2.write, "x")
    show("truncate -1", b2.truncate, -1)
    b2.close()
    show("closed read", b2.read)
    show("closed getvalue", b2.getvalue)
    print(b2.closed)


def test_stringio():
    print("== StringIO")
    s = _io.StringIO("a\nb\r\nc\rd")
    print(repr(s.read()), s.tell(), s.newlines)
    for nl in (None, "", "\n", "\r", "\r\n"):
        s = _io.StringIO("a\nb\r\nc\rd", newline=nl)
        print(repr(nl), repr(s.getvalue()), s.readlines(), s.newlines)
    s = _io.StringIO()
    s.write("h\u00e9llo \U0001f600")
    print(repr(s.getvalue()), s.tell(), s.seek(2), repr(s.read(2)))
    s.seek(20)
    s.write("x")
    print(repr(s.getvalue()))
    print(s.truncate(3), repr(s.getvalue()))
    show("seek neg", s.seek, -1)
    show("seek cur", s.seek, 1, 1)
    show("bad whence", s.seek, 0, 7)
    show("write bytes", s.write, b"x")
    show("init int", _io.StringIO, 5)
    show("bad newline", _io.StringIO, newline="x")
    print(s.encoding, s.errors, s.line_buffering, s.readable())
    s.close()
    show("closed", s.read)
    print(s.closed)


def test_textio():
    print("== TextIOWrapper")
    with _io.open(PATH, "w", encoding="utf-8") as f:
        print(type(f).__name__, f.encoding, f.errors, f.line_buffering,
              f.mode, f.name == PATH)
        print(repr(f).replace(PATH, "PATH"))
        print(f.write("h\u00e9llo\nw\u00f6rld\n"), f.write("last"))
        show("read on w", f.read)
    with _io.open(PATH, encoding="utf-8") as f:
        print(repr(f.read(3)), repr(f.readline()), repr(f.read()))
        f.seek(0)
        print([repr(l) for l in f])
        f.seek(0)
        positions = []
        while True:
            pos = f.tell()
            ch = f.read(1)
            if not ch:
                break
            positions.append((pos, ch))
        print(positions)
        for pos, ch in positions:
            f.seek(pos)
            assert f.read(1) == ch, (pos, ch)
        print("seek/tell round trip ok")
        show("seek cur", f.seek, 1, 1)
        show("seek end", f.seek, 1, 2)
        show("seek whence", f.seek, 0, 3)
        show("seek neg", f.seek, -1)
        print(f.seek(0, 2), repr(f.read()))
        show("write on r", f.write, "x")
    with _io.open(PATH, "wb") as f:
        f.write(b"a\r\nb\rc\nd")
    for nl in (None, "", "\n", "\r", "\r\n"):
        with _io.open(PATH, newline=nl, encoding="latin-1") as f:
            print(repr(nl), f.readlines(), f.newlines)
    with _io.open(PATH, "w", newline="\r\n", encoding="ascii") as f:
        f.write("x\ny\n")
    with _io.open(PATH, "rb") as f:
        print(f.read())
    t = _io.TextIOWrapper(_io.BytesIO(), encoding="utf-8",
                          line_buffering=True)
    t.write("no newline")
    print(t.buffer.getvalue())
    t.write("\n")
    print(t.buffer.getvalue())
    t = _io.TextIOWrapper(_io.BytesIO(), encoding="utf-8",
                          write_through=True)
    t.write("abc")
    print(t.buffer.getvalue(), t.write_through)
    t = _io.TextIOWrapper(_io.BytesIO(b"\xff\xfeabc"), encoding="ascii",
                          errors="replace")
    print(repr(t.read()))
    t = _io.TextIOWrapper(_io.BytesIO(b"\xffabc"), encoding="utf-8")
    show("decode error", t.read)
    t = _io.TextIOWrapper(_io.BytesIO(b"abc\ndef"), encoding="utf-8")
    print(repr(t.readline(2)), repr(t.readline(10)), repr(t.readline()))
    t = _io.TextIOWrapper(_io.BytesIO(), encoding="utf-8")
    t.write("abc")
    t.reconfigure(encoding="latin-1", newline="\r\n", line_buffering=True)
    t.write("\xe9\n")
    print(t.buffer.getvalue(), t.encoding, t.line_buffering)
    t = _io.TextIOWrapper(_io.BytesIO(b"xyz"), encoding="utf-8")
    t.read(1)
    show("reconfigure after read", t.reconfigure, encoding="latin-1")
    b = t.detach()
    print(type(b).__name__, repr(t))
    show("detached", t.read)
    show("bad encoding", _io.TextIOWrapper, _io.BytesIO(), encoding="nope")
    show("encoding int", _io.TextIOWrapper, _io.BytesIO(), encoding=3)
    show("write bytes", _io.TextIOWrapper(_io.BytesIO(),
                                          encoding="utf-8").write, b"x")
    t = _io.TextIOWrapper(_io.BytesIO(), encoding="utf-8")
    print(t._CHUNK_SIZE)
    t._CHUNK_SIZE = 4
    show("chunk 0", setattr, t, "_CHUNK_SIZE", 0)
    t.write("0123456789\n" * 3)
    t.seek(0)
    print(t.readlines())
    t.close()
    show("closed write", t.write, "x")
    print(t.closed)


def test_decoder():
    print("== IncrementalNewlineDecoder")
    d = _io.IncrementalNewlineDecoder(None, translate=True)
    for chunk in ("a\r", "\nb\r", "c\n", "\r"):
        print(repr(d.decode(chunk)), d.getstate(), d.newlines)
    print(repr(d.decode("", final=True)), d.newlines)
    d.reset()
    print(d.newlines, d.getstate())
    d = _io.IncrementalNewlineDecoder(None, translate=False)
    print(repr(d.decode("x\r\ny\rz\n", final=True)), d.newlines)
    d.setstate((b"", 1))
    print(repr(d.decode("q")))


def test_iobase():
    print("== _IOBase")

    class R(_io._RawIOBase):
        def __init__(self, data):
            self.data = data
            self.pos = 0

        def readable(self):
            return True

        def readinto(self, b):
            n = min(len(b), len(self.data) - self.pos)
            b[:n] = self.data[self.pos:self.pos + n]
            self.pos += n
            return n

    r = R(b"one\ntwo\nthree")
    print(r.read(2), r.readline(), r.readall(), r.read())
    r = R(b"x\ny\n")
    print(list(r), r.closed)
    r.close()
    print(r.closed)
    show("iter closed", iter, r)
    show("enter closed", r.__enter__)
    print(_io.BufferedReader(R(b"buffered\ndata")).read())
    closed = []

    class C(_io._IOBase):
        def close(self):
            closed.append(True)
            super().close()

    c = C()
    del c
    print("closed at dealloc:", closed)
    for name in ("fileno", "seek", "truncate"):
        show(name, getattr(_io._IOBase(), name))
    show("raw read", _io._RawIOBase().read)
    show("buffered read", _io._BufferedIOBase().read)
    show("text write", _io._TextIOBase().write, "")
    print(_io._IOBase().readable(), _io._IOBase().seekable())


try:
    test_module()
    test_open_errors()
    test_fileio()
    test_buffered()
    test_bytesio()
    test_stringio()
    test_textio()
    test_decoder()
    test_iobase()
finally:
    cleanup()
