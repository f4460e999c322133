# try/except/else/finally, raise from, chaining, nested re-raise.
def nested_raise():
    try:
        try:
            1 / 0
        except ZeroDivisionError:
            raise TypeError("inner")
    except TypeError as e:
        return (str(e), type(e.__context__).__name__, e.__cause__,
                e.__suppress_context__)

print(nested_raise())

def raise_from():
    try:
        try:
            {}["k"]
        except KeyError as e:
            raise ValueError("v") from e
    except ValueError as e:
        return (type(e.__cause__).__name__, e.__suppress_context__)

print(raise_from())

def from_none():
    try:
        try:
            [][1]
        except IndexError:
            raise RuntimeError("r") from None
    except RuntimeError as e:
        return (e.__cause__, type(e.__context__).__name__,
                e.__suppress_context__)

print(from_none())

def flow(n):
    out = []
    try:
        out.append("try")
        if n == 1:
            raise ValueError(n)
        if n == 2:
            return out + ["return"]
    except ValueError:
        out.append("except")
    else:
        out.append("else")
    finally:
        out.append("finally")
    return out

for n in range(3):
    print(flow(n))

def finally_overrides():
    try:
        return 1
    finally:
        return 2

print(finally_overrides())

def loop_control():
    out = []
    for i in range(5):
        try:
            if i == 1:
                continue
            if i == 3:
                break
            out.append(i)
        finally:
            out.append("f%d" % i)
    return out

print(loop_control())

for i in range(3):
    try:
        try:
            raise ValueError(i)
        except ValueError:
            raise
    except ValueError as v:
        print("reraised", v)

def deep(n):
    if n == 0:
        raise KeyError("bottom")
    try:
        deep(n - 1)
    except IndexError:
        print("never")

try:
    deep(20)
except KeyError as e:
    print("caught", e)

try:
    try:
        raise ValueError("a")
    finally:
        print("cleanup")
except ValueError as e:
    print("after finally", e)

e = None
try:
    raise OSError(2, "No such file")
except OSError as e:
    print(e.errno, e.strerror, e)
try:
    e
except NameError as ne:
    print("NameError:", ne)

class MyError(Exception):
    def __init__(self, code):
        super().__init__("code %d" % code)
        self.code = code

try:
    raise MyError(7)
except Exception as e:
    print(type(e).__name__, e.code, e.args)

try:
    raise MyError
except TypeError as e:
    print("TypeError:", e)

# exception groups and except*
try:
    raise ExceptionGroup("eg", [ValueError(1), TypeError(2), ValueError(3)])
except* ValueError as g:
    print("values", [str(x) for x in g.exceptions])
except* TypeError as g:
    print("types", [str(x) for x in g.exceptions])

try:
    try:
        raise ExceptionGroup("eg", [ValueError(1), KeyError(2)])
    except* ValueError:
        print("handled values")
except ExceptionGroup as g:
    print("left", g.message, [repr(x) for x in g.exceptions])

eg = ExceptionGroup("many", [ValueError(1), TypeError(2)])
m, rest = eg.split(ValueError)
print(repr(m), repr(rest))
print(repr(eg.subgroup(TypeError)))

print(sum(1 for _ in range(3)))
assert True
try:
    assert 1 == 2, "msg"
except AssertionError as e:
    print("AssertionError", e)
