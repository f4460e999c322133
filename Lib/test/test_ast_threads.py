# Several threads build the _ast classes for the first time at once (via
# compile(..., PyCF_ONLY_AST) before anything imported _ast), then parse,
# dump, transform and compile trees concurrently; every thread must see
# the same classes and get the same results.
import threading

SRC = '''
def f(a, *b, c=1, **d):
    return [x * 2 for x in b if x] + [a, c, d]
class K:
    y: int = 3
r = f(1, 2, 0, 3, e=4)
'''
N = 6
barrier = threading.Barrier(N)
results = [None] * N


def work(i):
    barrier.wait()
    tree = compile(SRC, 'f', 'exec', 0x400)
    ctx_class = type(tree.body[2].targets[0].ctx)
    import ast
    dumps = []
    for _ in range(20):
        t = ast.parse(SRC)
        dumps.append(ast.dump(t, include_attributes=True))
        ns = {}
        exec(compile(t, 'f', 'exec'), ns)
    results[i] = (type(tree), ctx_class, len(set(dumps)), dumps[0],
                  ns['r'], ast.unparse(tree))


threads = [threading.Thread(target=work, args=(i,)) for i in range(N)]
for t in threads:
    t.start()
for t in threads:
    t.join()
first = results[0]
print(all(r is not None for r in results))
print(all(r[0] is first[0] and r[1] is first[1] for r in results))
print(all(r[2] == 1 and r[3] == first[3] for r in results))
print(first[0].__name__, first[1].__name__, first[4])
print(first[5])
