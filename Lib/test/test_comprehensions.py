# List/set/dict comprehensions, generator expressions, walrus, unpacking.
print([x * y for x in range(1, 4) for y in range(x) if (x + y) % 2])
print(sorted({c.upper() for c in "hello"}))
print({k: v for k, v in zip("abc", range(3)) if v})
print([[j for j in range(i)] for i in range(4)])
x = "outer"
print([x for x in range(3)], x)
print([(y := i * 2) for i in range(3)], y)
print(any(n > 5 for n in range(10)), all(n < 5 for n in range(3)))
data = [("a", 3), ("b", 1), ("c", 2)]
print(sorted(data, key=lambda kv: kv[1]), max(data, key=lambda kv: kv[1]))
a, *b, c = range(6)
print(a, b, c)
(p, q), r = (1, 2), 3
print(p, q, r)
first, *_ = "xyz"
print(first, _)
print([*range(3), *"ab"], {**{"a": 1}, "b": 2, **{"a": 3}})
print(*[1, 2, 3], sep="-")
try:
    a, b = [1, 2, 3]
except ValueError as e:
    print("ValueError:", e)
try:
    a, b, c = [1]
except ValueError as e:
    print("ValueError:", e)
try:
    a, *b, c = [1]
except ValueError as e:
    print("ValueError:", e)
matrix = [[1, 2, 3], [4, 5, 6]]
print([list(row) for row in zip(*matrix)])
print(list(map(lambda t: t[0] + t[1], zip([1, 2], [10, 20]))))
print(list(filter(None, [0, 1, "", "a", None])))
print(list(enumerate("ab", start=1)), list(reversed([1, 2, 3])))
def scope():
    n = 10
    return [n + i for i in range(2)], {i: n for i in range(2)}
print(scope())
class C:
    vals = [1, 2]
    doubled = [v * 2 for v in vals]
print(C.doubled)
nested = {i: {j: i * j for j in range(3)} for i in range(2)}
print(nested)
print(sum([[1], [2, 3]], []), [c for c in "ab" for _ in range(2)])
