# Struct sequences (Objects/structseq.c) as seen through the types that use
# them: sys.version_info & co., time.struct_time, posix.stat_result,
# posix.terminal_size.  Output must match python3.11.
import sys, time, posix


def show(f, *args, **kw):
    try:
        print(repr(f(*args, **kw)))
    except Exception as e:
        print(type(e).__name__, e)


# sys singletons: repr, tuple behaviour, attributes, class attributes
vi = sys.version_info
print(type(vi).__name__, type(vi).__module__, len(vi), vi[:2] >= (3, 11))
print(vi.major == vi[0], vi.releaselevel == vi[3], isinstance(vi, tuple))
print(type(vi).n_fields, type(vi).n_sequence_fields,
      type(vi).n_unnamed_fields, type(vi).__match_args__)
show(type(vi))
show(type(sys.flags))
show(type(sys.float_info), (1,) * 11)
print(sys.float_info)
print(sys.int_info)
print(sys.float_info.max == sys.float_info[0], sys.float_info.epsilon)
print(type(sys.flags).__match_args__)
print(sys.hash_info.width, sys.hash_info.modulus, sys.hash_info.inf,
      sys.hash_info.imag, sys.hash_info.algorithm)
print(type(sys.thread_info).__match_args__, sys.thread_info.name)
show(setattr, vi, 'major', 4)
show(setattr, vi, 'other', 4)
print(vi.__reduce__()[1][1])
print(type(vi).__dict__.keys() == {'__repr__', '__reduce__', 'major',
                                   'minor', 'micro', 'releaselevel',
                                   'serial', '__doc__', 'n_sequence_fields',
                                   'n_fields', 'n_unnamed_fields',
                                   '__match_args__'})
show(type, 'X', (type(vi),), {})

# time.struct_time: 9 visible fields, 2 attribute-only ones
ST = time.struct_time
print(ST.n_fields, ST.n_sequence_fields, ST.n_unnamed_fields,
      ST.__match_args__)
for args in [(range(9),), (range(11),), (range(10),), (range(8),),
             (range(12),), (5,), ((1,) * 9, 5), ((1,) * 9, None),
             ((1,) * 9, {'tm_zone': 'X', 'junk': 1}), (),
             ((1,) * 9, {}, 3)]:
    show(ST, *args)
show(ST, sequence=range(9))
show(ST, range(9), dict={'tm_gmtoff': 7})
show(ST, range(9), foo=1)
s = ST(range(9), {'tm_zone': 'UTC'})
print(s.tm_zone, s.tm_gmtoff, len(s), s[-1], s[2:5], list(s)[:3])
print(s.__reduce__())
s11 = ST(range(11))
print(s11, s11.tm_zone, s11.tm_gmtoff, tuple(s11))
print(s11 == tuple(range(9)), hash(s11) == hash(tuple(range(9))),
      s11 + (1,), s11 * 0, 3 in s11, s11.index(4), s11.count(4))
print(ST.tm_year.__doc__ is not None, type(ST.tm_zone).__name__)
show(getattr, s11, 'tm_bogus')
show(setattr, s11, 'tm_year', 1)
print(ST(s11.__reduce__()[1][0], s11.__reduce__()[1][1]) == s11)

# match statement via __match_args__
match ST(range(9)):
    case ST(a, b, c):
        print('matched', a, b, c)

# posix.stat_result: unnamed integer times at 7..9, float times derived
SR = posix.stat_result
print(SR.n_fields, SR.n_sequence_fields, SR.n_unnamed_fields,
      SR.__match_args__)
r = SR(range(10))
print(r, r.st_atime, r.st_mtime, r.st_ctime, r.st_atime_ns, r[7])
r = SR(range(10), {'st_atime': 1.5, 'st_blksize': 4096})
print(r.st_atime, r.st_mtime, r.st_blksize, r.st_rdev)
print(r.__reduce__())
show(SR, range(3))
show(SR, range(20))
show(SR, range(10), 5)
show(SR, 5)
show(type, 'Sub', (SR,), {})

# two-field type with no hidden fields
TS = posix.terminal_size
show(TS, (80, 24))
show(TS, (80,))
show(TS, (80, 24, 1))
t = TS([100, 50])
print(t.columns, t.lines, t == (100, 50), t.__reduce__(), TS.__doc__)
print(TS.__module__, SR.__module__, posix.uname_result.__module__,
      posix.times_result.__module__, ST.__module__)
print(posix.uname_result.__match_args__, posix.times_result.__match_args__)
print(repr(TS((1, 'x' * 20))))
print(TS.columns.__doc__)

# subclasses of tuple semantics: sorting, comparisons, iteration
a, b = TS((1, 2)), TS((1, 3))
print(a < b, sorted([b, a]), max(a), [x for x in b])
