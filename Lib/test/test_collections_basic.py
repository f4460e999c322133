# _collections: deque methods, maxlen, errors, iterator invalidation; _count_elements.
from _collections import deque, _count_elements
d = deque([1, 2, 3])
d.append(4); d.appendleft(0)
print(d, len(d), d[0], d[-1], d.pop(), d.popleft(), d)
d.extend('ab'); d.extendleft('xy'); print(d)
d.rotate(2); print(d); d.rotate(-3); print(d)
print(d.count('a'), d.index(2), 'a' in d, 'q' in d, d.index(2, 1, 6))
d.remove('a'); d.reverse(); print(d)
d.insert(1, 'Z'); d.insert(-1, 'W'); print(d, list(reversed(d)))
d[0] = 'first'; del d[1]; print(d)
m = deque(range(10), maxlen=3); print(m, m.maxlen, deque().maxlen)
m.appendleft(-1); print(m)
print(deque('ab') + deque('cd'), deque('ab') * 3, deque('ab') == deque('ab'), deque('ab') < deque('b'))
c = d.copy(); c.append(1); print(c == d, type(c).__name__)
e = deque(); e.append(e); print(e)
for args, exc in [((), IndexError)]:
    try:
        deque().pop()
    except IndexError as ex:
        print(ex)
try:
    for x in d:
        d.append(1)
except RuntimeError as ex:
    print(ex)
try:
    d.index('nope')
except ValueError as ex:
    print(ex)
try:
    d[100]
except IndexError as ex:
    print(ex)
try:
    deque(maxlen=-1)
except ValueError as ex:
    print(ex)
try:
    deque('a', maxlen=1).insert(0, 'b')
except IndexError as ex:
    print(ex)
try:
    d.remove('nope')
except ValueError as ex:
    print(ex)
cnt = {}
_count_elements(cnt, 'abracadabra'); print(sorted(cnt.items()))
f = deque([1,2]); f += [3]; f *= 2; print(f)
g = deque('abc', 2); g.extend('xyz'); print(g)
class D(deque): pass
print(D('ab'), D('ab', 3).copy())
print(deque('abc').__reversed__().__length_hint__())
d.clear(); print(d, bool(d))
from _collections import defaultdict
d = defaultdict(list)
d['a'].append(1); d['b']; print(d, d.default_factory, isinstance(d, dict), len(d))
e = defaultdict(None, {'x': 1}, y=2); print(e)
try:
    e['q']
except KeyError as ex:
    print('KeyError', ex)
c = d.copy(); c['z']; print(type(c).__name__, sorted(c), sorted(d))
try:
    defaultdict(5)
except TypeError as ex:
    print(ex)
f = defaultdict(int); f['k'] += 3; print(f, f.get('m'), 'm' in f)
f.default_factory = str; print(repr(f['n']), f)
print(defaultdict(), d.__reduce__()[1])
from _collections import _tuplegetter as tg
g = tg(1, 'doc')
class P(tuple): x = g
print(P((1,2)).x, P.x is g, g.__doc__)
try: g.__get__(5)
except TypeError as e: print(e)
try: P((1,)).x
except IndexError as e: print(e)
try: g.__set__(P((1,2)), 3)
except AttributeError as e: print(e)
print(g.__reduce__())

# Shared deque / count / tee / cycle hammered by 4 threads: must not crash.
import _thread, itertools, time
from _collections import deque
d = deque()
c = itertools.count()
a, b = itertools.tee(range(100000))
cy = itertools.cycle('abc')
done = []
lock = _thread.allocate_lock()
def work(n):
    for i in range(5000):
        d.append(i)
        if len(d) > 100:
            try:
                d.popleft()
            except IndexError:
                pass
        next(c)
        next(a, None)
        next(cy)
        if i % 1000 == 0:
            d.rotate(3)
            try:
                for x in d:
                    pass
            except RuntimeError:
                pass
    with lock:
        done.append(n)
for n in range(4):
    _thread.start_new_thread(work, (n,))
while len(done) < 4:
    time.sleep(0.05)
print('ok', next(c) >= 0, len(d) <= 104)
