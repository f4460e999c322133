# _heapq: the heap functions and their max-heap helpers give CPython's
# exact list layouts; errors for non-lists, empty heaps and comparisons
# that mutate the list ("list changed size during iteration"); heapq.py's
# merge/nsmallest/nlargest over the C functions; many threads pushing and
# popping one shared heap lose and duplicate nothing.
import _heapq as h
import heapq
import _thread


def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)


print([n for n in dir(h) if not n.startswith('__')], hasattr(h, '__about__'))
print(heapq.heappush is h.heappush, heapq.__about__ == h.__about__)

data = [5, 3, 8, 1, 9, 2, 7, 7, 0, 4, 6, 11, -1, 3]
l = list(data)
h.heapify(l)
print(l)
m = list(data)
h._heapify_max(m)
print(m)
print(h.heappop(l), l)
print(h._heappop_max(m), m)
print(h.heapreplace(l, 7), l)
print(h._heapreplace_max(m, 0), m)
print(h.heappushpop(l, -5), h.heappushpop(l, 100), l)
h.heappush(l, 2)
h.heappush(l, -3)
print(l)
print([h.heappop(l) for _ in range(len(l))])
l = []
for v in [9, 1, 8, 2, 7, 3, 6, 4, 5, 0] * 3:
    h.heappush(l, v)
print(l)
print([h.heappop(l) for _ in range(len(l))])
big = [(i * 7919) % 10007 for i in range(5000)]
hb = list(big)
h.heapify(hb)
print(hb[:12], all(hb[i] <= hb[c] for i in range(len(hb))
                   for c in (2 * i + 1, 2 * i + 2) if c < len(hb)))
print([h.heappop(hb) for _ in range(len(hb))] == sorted(big))
hm = list(big)
h._heapify_max(hm)
print(hm[:12], [h._heappop_max(hm) for _ in range(len(hm))] == sorted(big, reverse=True))
words = ['pear', 'apple', 'fig', 'kiwi', 'banana']
h.heapify(words)
print(words, h.heappop(words))
tl = [(2, 'b'), (1, 'z'), (1, 'a'), (3, 'c')]
h.heapify(tl)
print(tl)

# heapq.py on top of the C functions
print(heapq.nsmallest(3, data), heapq.nlargest(3, data))
print(heapq.nsmallest(2, data, key=lambda v: -v), heapq.nlargest(4, data, key=abs))
print(list(heapq.merge([1, 4, 9], [2, 3, 10], [0, 5])))
print(list(heapq.merge([9, 4, 1], [10, 3, 2], reverse=True)))
print(list(heapq.merge(['a', 'bbb'], ['cc'], key=len)))

# errors
show(lambda: h.heappush((), 1))
show(lambda: h.heappop(()))
show(lambda: h.heappop([]))
show(lambda: h.heapify(()))
show(lambda: h.heapreplace([], 1))
show(lambda: h.heapreplace((), 1))
show(lambda: h.heappushpop([], 1))
show(lambda: h.heappushpop((), 1))
show(lambda: h._heappop_max([]))
show(lambda: h._heappop_max(5))
show(lambda: h._heapreplace_max([], 1))
show(lambda: h._heapreplace_max({}, 1))
show(lambda: h._heapify_max(5))
show(lambda: h.heappush([]))
show(lambda: h.heappush([], 1, 2))
show(lambda: h.heapreplace([1]))
show(lambda: h.heapify([1, 'a', 2]))
show(lambda: h.heappush([1], 'a'))


class LL(list):
    pass


ll = LL([3, 1, 2])
h.heapify(ll)
h.heappush(ll, 0)
print(type(ll).__name__, ll, h.heappop(ll))


# comparisons that mutate the heap
class Evil:
    def __init__(self, v, lst):
        self.v = v
        self.lst = lst

    def __lt__(self, o):
        self.lst.clear()
        return True


def evil_list():
    lst = []
    lst.extend([Evil(i, lst) for i in range(5)])
    return lst


l = evil_list()
show(lambda: h.heappush(l, Evil(9, l)))
show(lambda: h.heappop(evil_list()))
show(lambda: h.heapify(evil_list()))
show(lambda: h.heapreplace(evil_list(), 1))
l = evil_list()
show(lambda: h.heappushpop(l, Evil(1, l)))
show(lambda: h._heapify_max(evil_list()))
show(lambda: h._heappop_max(evil_list()))
show(lambda: h._heapreplace_max(evil_list(), 3))


class Grow:
    def __init__(self, lst):
        self.lst = lst

    def __lt__(self, o):
        self.lst.append(0)
        return False


l = []
l.extend([Grow(l) for i in range(5)])
show(lambda: h.heappush(l, Grow(l)))
show(lambda: h.heapify(l))


class Boom:
    def __lt__(self, o):
        raise ZeroDivisionError('boom')


l = [Boom(), Boom(), Boom()]
show(lambda: h.heapify(l))
show(lambda: h.heappop(l))
print(len(l))

# many threads share one heap
NTHREADS = 8
PER = 1500
shared = []
popped = []
lock = _thread.allocate_lock()
done = [0]


def worker(base):
    got = []
    for i in range(PER):
        h.heappush(shared, base + i * NTHREADS)
        if i % 3 == 2:
            got.append(h.heappop(shared))
    with lock:
        popped.extend(got)
        done[0] += 1


for t in range(NTHREADS):
    _thread.start_new_thread(worker, (t,))
while True:
    with lock:
        if done[0] == NTHREADS:
            break
rest = [h.heappop(shared) for _ in range(len(shared))]
print(rest == sorted(rest), sorted(popped + rest) == list(range(NTHREADS * PER)))

for n in sorted(dir(h)):
    f = getattr(h, n)
    if callable(f) and not n.startswith('__'):
        print(n, f.__text_signature__)
        print(f.__doc__)
print(h.__doc__)
print(h.__about__)
