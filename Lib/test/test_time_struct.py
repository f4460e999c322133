# time.struct_time (a struct sequence with tm_zone/tm_gmtoff attributes)
# and the functions that make or take it: gmtime, localtime, mktime,
# asctime, ctime, strftime, the timezone constants, tzset, get_clock_info.
# Output must match python3.11 (timestamps are fixed, TZ is set to UTC).
import time, posix

def show(f, *args):
    try:
        print(repr(f(*args)))
    except Exception as e:
        print(type(e).__name__, e)

ST = time.struct_time
g = time.gmtime(946782123)
print(g, type(g) is ST, len(g), g.tm_zone, g.tm_gmtoff)
print(g.__reduce__())
print(time.gmtime(0), time.gmtime(-1.5).tm_sec, time.gmtime(1.99).tm_sec)
print(time.gmtime(2**40).tm_year, time.gmtime(-2**33).tm_year)
for bad in ('x', float('nan'), 1e20, 2**100, [1]):
    show(time.gmtime, bad)
print(type(time.gmtime()), type(time.localtime()), type(time.gmtime(None)))
l = time.localtime(0)
print(type(l.tm_zone), type(l.tm_gmtoff), l.tm_isdst in (0, 1))
print(time.mktime(time.localtime(1e9)), time.mktime(tuple(time.localtime(1e9))))
for bad in ((1, 2, 3), [2000, 1, 1, 0, 0, 0, 0, 1, 0], 5,
            (2000, 1, 1, 0, 0, 0, 0, 1, 0, 5), (1.5,) * 9):
    show(time.mktime, bad)

# asctime / ctime
print(time.asctime(g), time.asctime((2000, 1, 1, 0, 0, 0, 0, 1, 0)))
print(time.ctime(0) == time.asctime(time.localtime(0)))
for t in ((2000, 13, 1, 0, 0, 0, 0, 1, 0), (2000, 0, 0, 0, 0, 0, 0, 0, 0),
          (-5, 1, 1, 0, 0, 0, 0, 1, 0), (12345, 1, 1, 0, 0, 0, 0, 1, 0),
          (2000, 1, 1, 0, 0, 0, 0, 1, 0, 5), (2000, 1, 32, 0, 0, 0, 0, 1, 0)):
    show(time.asctime, t)
show(time.ctime, 'x')

# strftime, range checks and normalisation
print(time.strftime('%Y-%m-%d %H:%M:%S %j %a %b %A %B %w %U %Z %z', g))
print(time.strftime('%Y %m %d %j', (2000, 0, 0, 0, 0, 0, 0, 0, -5)))
print(repr(time.strftime('', g)), time.strftime('%%a%', g),
      time.strftime('%Y', (1900, 1, 1, 0, 0, 0, 0, 1, 0)))
for t in ((2000, 13, 1, 0, 0, 0, 0, 1, 0), (2000, 1, 32, 0, 0, 0, 0, 1, 0),
          (2000, 1, 1, 24, 0, 0, 0, 1, 0), (2000, 1, 1, 0, 60, 0, 0, 1, 0),
          (2000, 1, 1, 0, 0, 62, 0, 1, 0), (2000, 1, 1, 0, 0, 61, 0, 1, 0),
          (2000, 1, 1, 0, 0, 0, -1, 1, 0), (2000, 1, 1, 0, 0, 0, -2, 1, 0),
          (2000, 1, 1, 0, 0, 0, 0, 367, 0), (2000, 1, 1, 0, 0, 0, 0, 366, 0)):
    show(time.strftime, '%Y %m %d %H %M %S %a %j', t)
show(time.strftime, 5)
show(time.strftime, '%Y', 5)
show(time.strftime, '%Y', (1.5, 1, 1, 0, 0, 0, 0, 1, 0))
z = ST((2000, 1, 1, 0, 0, 0, 5, 1, 0), {'tm_zone': 'ABC', 'tm_gmtoff': 3600})
print(time.strftime('%Z %z', z), z.tm_zone, z.tm_gmtoff)

# timezone data under TZ=UTC after tzset()
posix.putenv(b'TZ', b'UTC')
time.tzset()
print(time.timezone, time.altzone, time.daylight, time.tzname)
print(time.localtime(946782123) == g, time.localtime(0).tm_zone,
      time.mktime(g), time.ctime(946782123))

# get_clock_info
for name in ('time', 'monotonic', 'perf_counter', 'process_time',
             'thread_time'):
    ci = time.get_clock_info(name)
    print(name, type(ci).__name__, sorted(vars(ci)), ci.monotonic,
          ci.adjustable, type(ci.resolution), ci.resolution > 0,
          type(ci.implementation))
show(time.get_clock_info, 'x')
show(time.get_clock_info, 5)

# strptime goes through the pure-Python _strptime, as in CPython
s = time.strptime('2000-01-02 03:04:05', '%Y-%m-%d %H:%M:%S')
print(s, type(s) is ST, s.tm_zone, s.tm_gmtoff)
show(time.strptime, 'x', '%Y')
show(time.strptime, 5)
print(time.strptime('Sun Jan  2 03:02:03 2000') == time.strptime(
    time.asctime(g)))
