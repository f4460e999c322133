# Several threads writing lines through one shared stream: every line must
# arrive whole, none lost or duplicated.  Covers BufferedWriter over a
# file, TextIOWrapper over that, TextIOWrapper over BytesIO, BytesIO and
# StringIO directly, and concurrent readers of one BufferedReader.
# No .exp: CPython 3.11's TextIOWrapper is not thread-safe (it can tear
# writes), so this test asserts Plait's stronger guarantee instead.
import _io
import posix
import _thread

PATH = "/tmp/plait_io_threads_%d" % posix.getpid()
THREADS = 8
LINES = 1500


def run_threads(target):
    # _thread directly: threading needs os, which needs memoryview.
    done = [_thread.allocate_lock() for _ in range(THREADS)]
    errors = []

    def body(i):
        try:
            target(i)
        except BaseException as e:
            errors.append(e)
        finally:
            done[i].release()

    for i in range(THREADS):
        done[i].acquire()
        _thread.start_new_thread(body, (i,))
    for lock in done:
        lock.acquire()
    if errors:
        raise errors[0]


def expected_lines():
    return sorted("thread %d line %d" % (i, j)
                  for i in range(THREADS) for j in range(LINES))


def check(label, text):
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    ok = sorted(lines) == expected_lines()
    print(label, "lines:", len(lines), "intact:", ok)
    assert ok, label


def writer_for(write, as_bytes):
    def work(i):
        for j in range(LINES):
            line = "thread %d line %d\n" % (i, j)
            write(line.encode() if as_bytes else line)
    return work


def test_buffered_file():
    with _io.open(PATH, "wb", buffering=64) as f:
        run_threads(writer_for(f.write, True))
    with _io.open(PATH, "rb") as f:
        check("BufferedWriter", f.read().decode())


def test_text_file():
    with _io.open(PATH, "w", encoding="utf-8") as f:
        run_threads(writer_for(f.write, False))
    with _io.open(PATH, encoding="utf-8") as f:
        check("TextIOWrapper(file)", f.read())


def test_text_line_buffered():
    with _io.open(PATH, "w", encoding="utf-8", buffering=1) as f:
        run_threads(writer_for(f.write, False))
    with _io.open(PATH, encoding="utf-8") as f:
        check("TextIOWrapper(line_buffering)", f.read())


def test_text_bytesio():
    b = _io.BytesIO()
    t = _io.TextIOWrapper(b, encoding="utf-8", write_through=True)
    run_threads(writer_for(t.write, False))
    t.flush()
    check("TextIOWrapper(BytesIO)", b.getvalue().decode())


def test_memory():
    b = _io.BytesIO()
    run_threads(writer_for(b.write, True))
    check("BytesIO", b.getvalue().decode())
    s = _io.StringIO()
    run_threads(writer_for(s.write, False))
    check("StringIO", s.getvalue())


def test_concurrent_readers():
    with _io.open(PATH, "wb") as f:
        for j in range(THREADS * LINES):
            f.write(("%d\n" % j).encode())
    seen = [[] for _ in range(THREADS)]
    with _io.open(PATH, "rb", buffering=100) as f:
        def work(i):
            for line in f:
                seen[i].append(int(line))
        run_threads(work)
    allseen = sorted(x for part in seen for x in part)
    ok = allseen == list(range(THREADS * LINES))
    print("concurrent readers: all lines once:", ok)
    assert ok


try:
    test_buffered_file()
    test_text_file()
    test_text_line_buffered()
    test_text_bytesio()
    test_memory()
    test_concurrent_readers()
finally:
    try:
        posix.unlink(PATH)
    except OSError:
        pass
