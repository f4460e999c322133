# error messages name builtin functions as CPython does (module.name())
import math, _operator, _struct, os, signal
for f, a, k in [(math.sqrt, (), {}), (len, (1, 2), {}), (_operator.add, (1,), {'x': 1}), ([].append, (), {}), (_struct.calcsize, (), {}), (math.pi.__float__, (1,), {}), (dict.fromkeys, (), {}), (len, (), {'a': 1}), (math.gcd, (), {'a': 1})]:
    try:
        f(*a, **k)
    except TypeError as e:
        print(e)
for f in (lambda: os.umask(2**40), lambda: os.umask(-2**40), lambda: signal.getsignal(2**40), lambda: os.strerror(2**63)):
    try: f()
    except (OverflowError, ValueError) as e: print(type(e).__name__, e)
