# math: values, special methods, CPython's error types and messages.
import math
print(math.pi, math.e, math.tau, math.inf, math.nan)
print(math.sqrt(2), math.floor(2.5), math.ceil(2.1), math.trunc(-2.7), math.floor(10**30))
for f, a in [(math.sqrt, (-1,)), (math.log, (0,)), (math.log, (-1,)), (math.exp, (1000,)), (math.acos, (2,)),
             (math.gamma, (0,)), (math.gamma, (-2,)), (math.lgamma, (0,)), (math.pow, (0, -1)), (math.pow, (10.0, 400)),
             (math.factorial, (-1,)), (math.factorial, (2.0,)), (math.isqrt, (-1,)), (math.fmod, (math.inf, 1)),
             (math.ldexp, (1.0, 5000)), (math.atanh, (1,)), (math.cosh, (1000,)), (math.log1p, (-1,)), (math.comb, (-1, 2)), (math.perm, (3, -1))]:
    try:
        print(f.__name__, f(*a))
    except Exception as e:
        print(f.__name__, type(e).__name__, e)
print(math.log(10**400), math.log2(2**1000), math.log10(10**500), math.log(8, 2), math.log(100, 10))
print(math.factorial(30), math.isqrt(10**40 + 5), math.isqrt(99), math.comb(50, 20), math.perm(10, 3), math.perm(5))
print(math.gcd(12, 18, 27), math.gcd(), math.lcm(4, 6, 10), math.lcm())
print(math.fsum([0.1]*10), sum([0.1]*10), math.fsum([1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50]))
print(math.prod([1,2,3,4]), math.prod([], start=5), math.prod([1.5, 2]))
print(math.hypot(3, 4), math.hypot(), math.hypot(1, 2, 2), math.dist((0, 0), (3, 4)))
print(math.isclose(1.0, 1.0 + 1e-10), math.isclose(1, 1.1), math.isclose(0, 1e-10, abs_tol=1e-9))
print(math.nextafter(1.0, 2.0), math.ulp(1.0), math.ulp(0.0), math.cbrt(27), math.exp2(10))
print(math.frexp(8.0), math.modf(2.5), math.ldexp(0.5, 4), math.copysign(3, -0.0), math.fabs(-2))
print(math.isnan(math.nan), math.isinf(-math.inf), math.isfinite(1e308))
print(math.degrees(math.pi), math.radians(180), math.atan2(1, 1), math.remainder(10, 3))
print(math.gamma(5), round(math.lgamma(10), 12), math.erf(0.5), math.erfc(0.5), math.expm1(1e-10))
class F:
    def __floor__(self): return 'fl'
    def __ceil__(self): return 'ce'
    def __trunc__(self): return 'tr'
print(math.floor(F()), math.ceil(F()), math.trunc(F()))
try:
    math.trunc("x")
except TypeError as e:
    print(e)
print(math.floor(True), math.sqrt(4), math.sin(0), math.cos(0), math.tan(0))
