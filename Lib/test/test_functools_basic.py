# _functools: reduce and cmp_to_key (KeyWrapper).
from _functools import reduce, cmp_to_key
import operator
print(reduce(operator.add, [1, 2, 3, 4]), reduce(operator.add, [], 10), reduce(lambda a, b: a * b, range(1, 6), 1))
for a in [(operator.add, []), (operator.add, 5)]:
    try:
        reduce(*a)
    except TypeError as e:
        print(e)
def cmp(a, b):
    return (a > b) - (a < b)
print(sorted([5, 2, 9, 1], key=cmp_to_key(cmp)), sorted('bca', key=cmp_to_key(lambda a, b: cmp(b, a))))
K = cmp_to_key(cmp)
print(K(1) < K(2), K(2) == K(2), K(3) >= K(4), K(7).obj)
try:
    hash(K(1))
except TypeError as e:
    print(e)
