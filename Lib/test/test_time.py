# Tests of the time module's clocks, sleep (detached: other threads keep
# running) and broken-down time.  Exits non-zero on failure; runs the same
# on python3.11.
import _thread
import sys
import time

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def test_clocks():
    for name in ("time", "monotonic", "perf_counter", "process_time",
                 "thread_time"):
        v = getattr(time, name)()
        check(type(v) is float, name + " is float")
        ns = getattr(time, name + "_ns")()
        check(type(ns) is int, name + "_ns is int")
    check(time.time() > 1.6e9, "time() is recent")
    a = time.monotonic()
    b = time.monotonic()
    check(b >= a, "monotonic")


def test_sleep():
    t0 = time.monotonic()
    time.sleep(0.05)
    check(time.monotonic() - t0 >= 0.045, "sleep slept")
    time.sleep(0)
    for bad, exc in ((-1, ValueError), ("x", TypeError)):
        try:
            time.sleep(bad)
            check(False, "sleep(%r) should raise" % (bad,))
        except exc:
            pass
    # A sleeping thread does not stop others.
    box = {"n": 0, "stop": False}
    done = _thread.allocate_lock()
    done.acquire()

    def spin():
        while not box["stop"]:
            box["n"] += 1
        done.release()

    _thread.start_new_thread(spin, ())
    time.sleep(0.1)
    box["stop"] = True
    check(done.acquire(timeout=30), "spinner stopped")
    check(box["n"] > 0, "other thread ran while main slept")


def test_struct_time():
    t = time.gmtime(0)
    check(tuple(t) == (1970, 1, 1, 0, 0, 0, 3, 1, 0), "gmtime(0) %r" % (t,))
    check(t.tm_year == 1970 and t.tm_wday == 3 and t.tm_yday == 1,
          "fields")
    check(repr(t) == "time.struct_time(tm_year=1970, tm_mon=1, tm_mday=1, "
          "tm_hour=0, tm_min=0, tm_sec=0, tm_wday=3, tm_yday=1, "
          "tm_isdst=0)", "repr %r" % repr(t))
    check(len(t) == 9 and t[0] == 1970, "sequence")
    t2 = time.gmtime(1234567890)
    check(tuple(t2)[:6] == (2009, 2, 13, 23, 31, 30), "gmtime %r" % (t2,))
    check(time.strftime("%Y-%m-%d %H:%M:%S", t2) == "2009-02-13 23:31:30",
          "strftime")
    check(time.asctime(t2) == "Fri Feb 13 23:31:30 2009", "asctime")
    lt = time.localtime(1234567890)
    check(time.mktime(lt) == 1234567890.0, "mktime(localtime) round trip")
    check(isinstance(time.ctime(0), str), "ctime")
    check(isinstance(time.timezone, int) and isinstance(time.tzname, tuple),
          "timezone constants")
    check(time.struct_time((2000, 1, 1, 0, 0, 0, 5, 1, 0)).tm_year == 2000,
          "struct_time constructor")


def main():
    test_clocks()
    test_sleep()
    test_struct_time()
    if failures:
        print("%d failure(s)" % len(failures))
        sys.exit(1)
    print("ok")


main()
