# _string: formatter_parser and formatter_field_name_split (the parsers
# behind string.Formatter) with 3.11's tuples, laziness and errors, and
# how a failed step leaves the iterator.
import _string as s


def t(f):
    try:
        r = f()
        print(repr(r)[:300])
    except Exception as e:
        print(type(e).__name__, e)


print([n for n in dir(s) if not n.startswith('__')])
P = lambda x: list(s.formatter_parser(x))
t(lambda: P('abc'))
t(lambda: P(''))
t(lambda: P('{}'))
t(lambda: P('a{0}b{1:>10}c{x!r}d{y.z[0]!s:{w}}e'))
t(lambda: P('{{}}'))
t(lambda: P('a{{b'))
t(lambda: P('a}}b'))
t(lambda: P('{'))
t(lambda: P('}'))
t(lambda: P('a{'))
t(lambda: P('a}'))
t(lambda: P('{0!}'))
t(lambda: P('{0!x}'))
t(lambda: P('{0!rr}'))
t(lambda: P('{0!r:}'))
t(lambda: P('{!r}'))
t(lambda: P('{:}'))
t(lambda: P('{0:{1:{2}}}'))
t(lambda: P('{0[}'))
t(lambda: P('{0[a]b}'))
t(lambda: P('{0]}'))
t(lambda: P('{a{b}'))
t(lambda: P('{0:}}'))
t(lambda: P('x{0:{{}}'))
t(lambda: P('{ab!r'))
t(lambda: P('{ab'))
t(lambda: P('{0!'))
t(lambda: P('{0:'))
t(lambda: P('éa{é}'))
t(lambda: P('{[}]}'))
t(lambda: P('{a[{]}'))
t(lambda: P('{a[:]}'))
t(lambda: P('{!}'))
t(lambda: P('{a!r:x{y}z}'))
t(lambda: P('abc}}def{{ghi'))
t(lambda: P('{0}}'))
t(lambda: P(5))
t(lambda: s.formatter_parser(b'x'))
t(lambda: next(it)); t(lambda: next(it)); t(lambda: next(it))
F = s.formatter_field_name_split
def FF(x):
    a, b = F(x); return a, list(b)
t(lambda: FF('a'))
t(lambda: FF('0'))
t(lambda: FF('0.b[1][x].c'))
t(lambda: FF('a.b.'))
t(lambda: FF('a..b'))
t(lambda: FF('a['))
t(lambda: FF('a[]'))
t(lambda: FF('a[0'))
t(lambda: FF('a[0]x'))
t(lambda: FF(''))
t(lambda: FF('.a'))
t(lambda: FF('[0]'))
t(lambda: FF('00'))
t(lambda: FF('-1'))
t(lambda: FF('99999999999999999999999'))
t(lambda: FF('a[99999999999999999999999]'))
t(lambda: FF('a[-1]'))
t(lambda: FF('a[01]'))
t(lambda: FF('a[ 1]'))
t(lambda: FF('a.0'))
t(lambda: FF('a]'))
t(lambda: F(5))
it = s.formatter_parser('a{b}c')
print(type(it).__name__, iter(it) is it)
t(lambda: next(it))
t(lambda: next(it))
t(lambda: next(it))
a, b = F('x.y')
print(type(b).__name__, iter(b) is b)
print(s.formatter_parser.__doc__, '|', s.formatter_field_name_split.__doc__, '|', s.__doc__)
print(s.formatter_parser.__text_signature__)
a,b = s.formatter_field_name_split('a..b'); print(a, type(b).__name__)
try: print(s.formatter_field_name_split('1'*30))
except Exception as e: print(type(e).__name__, e)
it = s.formatter_parser('a{')
for x in range(2):
    try: next(it)
    except Exception as e: print(type(e).__name__, e)
for src in ['a}b{c}', '{0!rr}x', '{a{b}c', '{0]}', 'x{0[}', '{0!}', '{ab!r']:
    it = s.formatter_parser(src)
    for i in range(3):
      try: print(next(it))
      except Exception as e: print(type(e).__name__, e)
print(s.formatter_field_name_split('٣.x')[0])
print(list(s.formatter_field_name_split('a[٣]')[1]))
print(list(s.formatter_parser('{٣!r}')))
class S(str): pass
print(type(s.formatter_field_name_split(S('ab.c'))[0]), list(s.formatter_parser(S('x{y}'))), type(list(s.formatter_parser(S('x{y}')))[0][0]))
it=s.formatter_parser('{a'); 
try: next(it)
except Exception as e: print(e)
print(next(it, 'END'))
try: type(it)()
except Exception as e: print(type(e).__name__, e)
for src in ['a..b.c', 'a[1]x.y', 'a[1][2', 'a.b[]', 'a.[x]', 'a[x]]']:
    it = s.formatter_field_name_split(src)[1]
    for i in range(4):
      try: print(next(it))
      except Exception as e: print(type(e).__name__, e)


# the str.format grammar as string.Formatter drives it (a local copy of
# its loop: string.py itself needs re, which is not importable yet)
def vformat(fmt, args, kwargs):
    out = []
    auto = 0
    for literal, name, spec, conv in s.formatter_parser(fmt):
        out.append(literal)
        if name is None:
            continue
        if name == '':
            name = str(auto)
            auto += 1
        first, rest = s.formatter_field_name_split(name)
        obj = args[first] if isinstance(first, int) else kwargs[first]
        for is_attr, key in rest:
            obj = getattr(obj, key) if is_attr else obj[key]
        if conv == 'r':
            obj = repr(obj)
        elif conv == 's':
            obj = str(obj)
        elif conv == 'a':
            obj = ascii(obj)
        out.append(format(obj, vformat(spec, args, kwargs)))
    return ''.join(out)


print(vformat('{0}-{a.real}-{b[1]:>4}{c!r}', (1,), dict(a=2, b='xyz', c='q')))
print(vformat('{} {}', (1, 2), {}), vformat('{0:{1}}', (1, 5), {}))
print(vformat('{x[k][0]!a:*^9}', (), dict(x={'k': ['\xe9']})))
