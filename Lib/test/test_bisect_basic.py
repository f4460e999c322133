# _bisect: bisect_left/right and insort_left/right with lo, hi and key
# (3.11), on lists, tuples, ranges and other sequences; argument errors;
# comparisons that raise or mutate the list never crash.
import _bisect as b


def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)


print([n for n in dir(b) if not n.startswith('__')])
a = [1, 2, 2, 3, 5]
for x in [0, 1, 2, 2.5, 3, 5, 6]:
    print(x, b.bisect_left(a, x), b.bisect_right(a, x))
print(b.bisect_left(a, 2, 2), b.bisect_right(a, 2, 0, 2), b.bisect_left(a, 9, 3, 1))
print(b.bisect_left(a, 2, 1, -1), b.bisect_left(a, 2, 0, -2), b.bisect_left(a, 2, hi=None))
print(b.bisect_right(a, 2, lo=0, hi=len(a)), b.bisect_left(a, x=2), b.bisect_left(a, 2, 0, True))
print(b.bisect_left((1, 2, 3), 2), b.bisect_right(range(100), 42), b.bisect_left('abcdef', 'c'))
print(b.bisect_left([], 1), b.bisect_right([], 1), b.bisect_left(a, 2, 5, 5))


class Seq:
    def __len__(self):
        return 10

    def __getitem__(self, i):
        return i * 10


print(b.bisect_left(Seq(), 35), b.bisect_right(Seq(), 30))

# key: applied to the items, not to x (insort applies it to x too)
recs = [(1, 'a'), (3, 'c'), (5, 'e')]
print(b.bisect_left(recs, 3, key=lambda r: r[0]), b.bisect_right(recs, 3, key=lambda r: r[0]))
print(b.bisect_left(a, 2, key=None), b.bisect_right(a, -3, key=lambda v: -v))
lst = [(1, 'a'), (3, 'c')]
b.insort_right(lst, (3, 'x'), key=lambda r: r[0])
b.insort_left(lst, (3, 'w'), key=lambda r: r[0])
print(lst)

# insort
lst = []
for v in [5, 1, 4, 1, 3, 9, 2, 6]:
    b.insort_right(lst, v)
print(lst)
lst = [1, 3]
b.insort_left(lst, 2)
b.insort_right(lst, 3)
b.insort_left(lst, 0, 0, 0)
b.insort_right(lst, 10, hi=None)
print(lst)
lst = [(1, 'a')]
b.insort_right(lst, (1, 'b'), key=lambda p: p[0])
b.insort_left(lst, (1, 'c'), key=lambda p: p[0])
print(lst)

# errors
show(lambda: b.bisect_left(a, 2, -1))
show(lambda: b.insort_left(a, 2, -1))
show(lambda: b.bisect_left(a, 2, 1, 100))
show(lambda: b.bisect_left(a, 2, lo=None))
show(lambda: b.bisect_left(a, 2, 0, 'x'))
show(lambda: b.bisect_left(a, 2, 1.5))
show(lambda: b.bisect_left(a))
show(lambda: b.bisect_left())
show(lambda: b.bisect_left(a, 2, 0, 3, lambda x: x))
show(lambda: b.bisect_left(a, 2, 0, 3, key=lambda x: x, foo=1))
show(lambda: b.bisect_left(a, 2, foo=1))
show(lambda: b.bisect_left(5, 2))
show(lambda: b.bisect_left(a, 'x'))
show(lambda: b.bisect_right(a, 'x'))
show(lambda: b.insort_left((1, 2), 2))
show(lambda: b.insort_right(a, 1, key=len))
show(lambda: b.bisect_left([], 1, 0, 2**70))
show(lambda: b.bisect_left(a, 1, 2**70))


# comparisons that mutate the list under search
class Evil:
    def __init__(self, lst):
        self.lst = lst

    def __lt__(self, other):
        self.lst.clear()
        return True


lst = [1, 2, 3, 4, 5, 6, 7, 8]
show(lambda: b.bisect_left(lst, Evil(lst)))
lst = [1, 2, 3, 4, 5, 6, 7, 8]
show(lambda: b.bisect_right(lst, Evil(lst)))
lst = [Evil(None)] * 4
for e in lst:
    e.lst = lst
show(lambda: b.insort_left(lst, 0))
print(len(lst))


class Boom:
    def __lt__(self, other):
        raise ZeroDivisionError('boom')


show(lambda: b.bisect_left([Boom(), Boom()], 1))
show(lambda: b.insort_right([1, 2], Boom()))

for n in ('bisect_left', 'bisect_right', 'insort_left', 'insort_right'):
    f = getattr(b, n)
    print(n, f.__text_signature__)
    print(f.__doc__)
print(b.__doc__)
