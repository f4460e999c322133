# Lists, dicts, sets, tuples: operations, methods, errors.
l = [3, 1, 2]
l.append(4); l.extend([5, 6]); l.insert(0, 0); l.remove(3)
print(l, l.pop(), l.pop(0), l.index(2), l.count(1), l[::-1], l[1:3], l[-1])
l.sort(reverse=True); print(l); l.reverse(); print(l)
l[1:3] = ["a", "b", "c"]; print(l); del l[::2]; print(l)
print([1, 2] + [3], [0] * 3, [1, 2] < [1, 3], [[]] * 2, list(range(5))[::2])
m = [1, [2, 3]]; c = m.copy(); c[1].append(4); print(m, c, m == c, m is c)
d = {"b": 2, "a": 1}
d["c"] = 3; d.update(x=9); d.setdefault("y", []).append(1)
print(d, list(d), list(d.values()), list(d.items())[:2], len(d), "a" in d)
print(d.get("zz"), d.get("zz", 0), d.pop("x"), d.pop("zz", "dflt"), d.popitem())
print(dict(zip("ab", [1, 2])), dict([("k", "v")], z=1), dict.fromkeys("ab", 0))
print({**d, "a": 100}, d | {"q": 1}, sorted(d.keys() & {"a", "b"}))
e = {}; e |= {"n": 1}; print(e, {1: 2} == {1: 2}, {1: 2, 3: 4} == {3: 4, 1: 2})
s = {3, 1, 2}
s.add(5); s.discard(9); s.remove(1)
print(sorted(s), sorted(s | {7}), sorted(s & {2, 3}), sorted(s - {2}), sorted(s ^ {2, 8}))
print({1, 2} <= {1, 2, 3}, {1} < {1}, frozenset([1, 2]) == {1, 2}, len(set("hello")))
print(sorted(frozenset("abc")), set(), frozenset(), {1: 2}.keys() == {1})
t = (1, 2, 3)
print(t, t[1:], t + (4,), t * 2, t.index(2), t.count(3), (1,), (), tuple("ab"), 2 in t)
print(hash((1, 2)) == hash((1, 2)), (1, 2) < (1, 2, 0), max((1, "a"), (1, "b")))
a, b = 1, 2; a, b = b, a; print(a, b)
for bad in ["[][0]", "{}['k']", "[].pop()", "[1].remove(2)", "{1}.remove(2)",
            "(1,)[5]", "[1,2].index(9)", "hash([])", "{[]: 1}", "set().pop()",
            "{}.popitem()", "(1, 2)[0] + ''", "[1, 'a'].sort()", "t[0] = 1",
            "dict([1])", "list(1)", "{}.update(1)"]:
    try:
        exec(bad)
    except Exception as e:
        print(type(e).__name__ + ":", e)
nested = {"k": [1, {"s": (2, 3)}]}
print(nested["k"][1]["s"][0], repr(nested), str([None, True, 1.5, "x"]))
ll = [1]; ll.append(ll); print(ll); dd = {}; dd["self"] = dd; print(dd)
print(sorted([(2, "b"), (1, "z"), (2, "a")]), sorted(["b", "A", "c"], key=str.lower))
print(list(map(len, ["a", "bb"])), [x for x in {3: 0, 1: 0}], list(reversed({1: 0, 2: 0})))
stack = []; stack.append(1); stack.append(2); print(stack.pop(), stack)
print(len([1, 2, 3]), sum((1, 2)), any([]), all([]), min({4, 2}), list(zip((1, 2), [3])))
print(sorted({"b": 1, "a": 2}.items(), key=lambda kv: kv[1]), [1, 2, 3][-2:])
