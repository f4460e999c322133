# itertools: results, reprs and islice argument errors.
import itertools as it
from itertools import product, permutations, combinations, combinations_with_replacement, groupby
print(list(it.islice(it.count(), 5)))
print(repr(it.count(5)), repr(it.count(5, 2)), repr(it.count(1.5)))
print(list(it.repeat('a', 3)), repr(it.repeat('x')), repr(it.repeat('x', 2)))
print(list(it.chain([1,2],[3],[],(4,5))))
print(list(it.chain.from_iterable(['ab','cd'])))
print(list(it.starmap(pow, [(2,3),(3,2)])))
print(list(it.filterfalse(None, [0,1,0,2])), list(it.filterfalse(lambda x: x%2, range(6))))
print(list(it.dropwhile(lambda x: x<3, [1,2,3,4,1])))
print(list(it.takewhile(lambda x: x<3, [1,2,3,4,1])))
print(list(it.compress('ABCDEF', [1,0,1,0,1,1])))
print(list(it.islice('ABCDEFG', 2)), list(it.islice('ABCDEFG', 2, 4)), list(it.islice('ABCDEFG', 2, None)), list(it.islice('ABCDEFG', 0, None, 2)))
for a in [(-1,), (1, -1), (1, 2, 0), ('a',)]:
    try:
        it.islice([], *a)
    except ValueError as e:
        print(e)
print(list(it.islice(it.cycle('ABC'), 8)))
print(list(it.accumulate([1,2,3,4])), list(it.accumulate([1,2,3], initial=10)), list(it.accumulate([3,1,4], max)))
print(list(it.pairwise('ABCD')), list(it.pairwise('A')))
print(list(it.zip_longest('ABCD', 'xy', fillvalue='-')), list(it.zip_longest()))
print(list(it.accumulate([])), list(it.accumulate([], initial=1)))
print(list(it.product('ab', range(3))), list(it.product([0,1], repeat=3))[:4], list(it.product()), list(it.product('ab', [])), list(it.product('ab', repeat=0)))
print(list(it.permutations('ABCD', 2)), list(it.permutations(range(3))), list(it.permutations('AB', 3)), list(it.permutations('', 0)))
print(list(it.combinations('ABCD', 2)), list(it.combinations(range(4), 3)), list(it.combinations('AB', 3)), list(it.combinations('AB', 0)))
print(list(it.combinations_with_replacement('ABC', 2)), list(it.combinations_with_replacement('', 2)), list(it.combinations_with_replacement('', 0)))
print(len(list(it.permutations(range(6)))), len(list(it.combinations(range(10), 4))))
for f, a in [(combinations, ('ab', -1)), (permutations, ('ab', -1)), (permutations, ('ab', 'x')), (combinations, ('ab', 1.5))]:
    try:
        f(*a)
    except Exception as e:
        print(type(e).__name__, e)
try:
    it.product('a', repeat=-1)
except ValueError as e:
    print(e)
print([(k, list(g)) for k, g in it.groupby('AAAABBBCCDAABBB')])
print([k for k, g in it.groupby('AAAABBBCCD')])
print([(k, list(g)) for k, g in it.groupby([1, 3, 2, 4, 5, 7], key=lambda x: x % 2)])
gs = list(it.groupby('aabbc'))
print([(k, list(g)) for k, g in gs])
gi = it.groupby('aaabbb')
k, g = next(gi)
print(k, next(g))
k2, g2 = next(gi)
print(k2, list(g), list(g2))
print(list(it.groupby([])))
a, b = it.tee(range(200))
print(list(it.islice(a, 3)), sum(b), sum(a))
x, y, z = it.tee('abc', 3)
print(list(x), list(y), next(z))
c = it.tee([1, 2, 3], 1)[0]
d, = it.tee(c, 1)
print(list(d), list(c))
print(it.tee('a', 0))
p, q = it.tee(iter(range(500)))
print(sum(p), sum(q))
try:
    it.tee('a', -1)
except ValueError as e:
    print(e)
print(type(p).__name__)
for f in [lambda: it.zip_longest('a', x=1), lambda: it.product('a', x=1), lambda: it.chain(x=1), lambda: it.count('a'), lambda: it.repeat(), lambda: it.cycle(), lambda: it.starmap(len), lambda: it.tee(5), lambda: it.accumulate([1], initial=0, x=2),
          lambda: list(it.islice([1,2,3], 10**30)), lambda: it.islice([], 1, 2, 3, 4), lambda: it.pairwise(), lambda: it.groupby(), lambda: it.compress('a')]:
    try:
        f()
        print('no error')
    except Exception as e:
        print(type(e).__name__, e)
print(repr(it.count(0, 1.0)), repr(it.count(2**70, -1)), repr(it.repeat(None, 0)), list(it.repeat(1, -3)))
print(it.repeat(1, 5).__length_hint__(), list(it.islice(it.count(2**64), 2)), list(it.islice(it.count(0.5, 0.25), 3)))
