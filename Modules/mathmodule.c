/* The math module: C99 libm functions with CPython's error semantics.
 *
 * Errors: a NaN result from a non-NaN argument is ValueError("math
 * domain error"); an infinite result from finite arguments is
 * OverflowError("math range error") unless the function defines that
 * point as a pole (ValueError).  Integer functions (gcd, lcm, factorial,
 * isqrt, comb, perm) work on arbitrary-size ints through the int API.
 *
 * Thread safety: the module has no mutable state; every function works
 * on its arguments only.  Nothing locks. */
#include "Python.h"
#include <math.h>
#include <float.h>
#include <errno.h>

/* ------------------------------------------------------------------ */
/* Error helpers                                                       */

/* Set ValueError('math domain error').  Returns NULL. */
static PyObject *
math_domain_error(void)
{
    PyErr_SetString(PyExc_ValueError, "math domain error");
    return NULL;
}

/* Set OverflowError('math range error').  Returns NULL. */
static PyObject *
math_range_error(void)
{
    PyErr_SetString(PyExc_OverflowError, "math range error");
    return NULL;
}

/* Convert arg (borrowed) to double; -1.0 with exception on failure. */
static int
math_as_double(PyObject *arg, double *out)
{
    if (PyFloat_CheckExact(arg)) {
        *out = PyFloat_AS_DOUBLE(arg);
        return 0;
    }
    *out = PyFloat_AsDouble(arg);
    if (*out == -1.0 && PyErr_Occurred()) {
        return -1;
    }
    return 0;
}

/* Check r = f(x): NaN from non-NaN is a domain error, inf from finite is
 * a range error (or domain error when pole_is_domain).  Returns a new
 * float or NULL. */
static PyObject *
math_check1(double x, double r, int pole_is_domain)
{
    if (isnan(r) && !isnan(x)) {
        return math_domain_error();
    }
    if (isinf(r) && isfinite(x)) {
        if (pole_is_domain || errno == EDOM) {
            return math_domain_error();
        }
        return math_range_error();
    }
    if (r != 0.0 && fabs(r) < DBL_MIN && errno == ERANGE) {
        /* Underflow is not an error. */
    }
    return PyFloat_FromDouble(r);
}

/* Apply a one-argument libm function to a borrowed argument. */
static PyObject *
math_1(PyObject *arg, double (*func)(double), int pole_is_domain)
{
    double x;
    if (math_as_double(arg, &x) < 0) {
        return NULL;
    }
    errno = 0;
    double r = func(x);
    return math_check1(x, r, pole_is_domain);
}

#define MATH_FUNC1(name, cfunc, pole) \
    static PyObject * \
    math_##name(PyObject *module, PyObject *arg) \
    { \
        return math_1(arg, cfunc, pole); \
    }

/* Log functions are domain errors at 0 and for negatives. */
MATH_FUNC1(acos, acos, 0)
MATH_FUNC1(acosh, acosh, 0)
MATH_FUNC1(asin, asin, 0)
MATH_FUNC1(asinh, asinh, 0)
MATH_FUNC1(atan, atan, 0)
MATH_FUNC1(atanh, atanh, 1)
MATH_FUNC1(cbrt, cbrt, 0)
MATH_FUNC1(cos, cos, 0)
MATH_FUNC1(cosh, cosh, 0)
MATH_FUNC1(erf, erf, 0)
MATH_FUNC1(erfc, erfc, 0)
MATH_FUNC1(exp, exp, 0)
MATH_FUNC1(exp2, exp2, 0)
MATH_FUNC1(expm1, expm1, 0)
MATH_FUNC1(fabs, fabs, 0)
MATH_FUNC1(sin, sin, 0)
MATH_FUNC1(sinh, sinh, 0)
MATH_FUNC1(sqrt, sqrt, 0)
MATH_FUNC1(tan, tan, 0)
MATH_FUNC1(tanh, tanh, 0)

/* gamma: poles at 0 and negative integers are domain errors. */
static PyObject *
math_gamma(PyObject *module, PyObject *arg)
{
    double x;
    if (math_as_double(arg, &x) < 0) {
        return NULL;
    }
    if (isfinite(x) && (x == 0.0 || (x < 0.0 && x == floor(x)))) {
        return math_domain_error();
    }
    if (x == -INFINITY) {
        return math_domain_error();
    }
    errno = 0;
    return math_check1(x, tgamma(x), 0);
}

/* lgamma: poles are domain errors; lgamma(-inf) is inf. */
static PyObject *
math_lgamma(PyObject *module, PyObject *arg)
{
    double x;
    if (math_as_double(arg, &x) < 0) {
        return NULL;
    }
    if (isfinite(x) && x <= 0.0 && x == floor(x)) {
        return math_domain_error();
    }
    int sign;
    errno = 0;
    return math_check1(x, lgamma_r(x, &sign), 0);
}

/* log of a positive value given as int (any size) or float; sets
 * *ok = 0 with ValueError for non-positive input. */
static double
math_log_value(PyObject *arg, double (*func)(double), int *ok)
{
    *ok = 1;
    if (PyLong_Check(arg)) {
        if (_PyLong_Sign(arg) <= 0) {
            math_domain_error();
            *ok = 0;
            return 0.0;
        }
        double x = PyLong_AsDouble(arg);
        if (x == -1.0 && PyErr_Occurred()) {
            if (!PyErr_ExceptionMatches(PyExc_OverflowError)) {
                *ok = 0;
                return 0.0;
            }
            /* Too big for a double: log(m * 2**e) = log(m) + e*log(2). */
            PyErr_Clear();
            Py_ssize_t e;
            double m = _PyLong_Frexp((PyLongObject *)arg, &e);
            if (m == -1.0 && PyErr_Occurred()) {
                *ok = 0;
                return 0.0;
            }
            return func(m) + func(2.0) * (double)e;
        }
        return func(x);
    }
    double x;
    if (math_as_double(arg, &x) < 0) {
        *ok = 0;
        return 0.0;
    }
    if (isnan(x) || x == INFINITY) {
        return x;
    }
    if (x <= 0.0) {
        math_domain_error();
        *ok = 0;
        return 0.0;
    }
    return func(x);
}

/* log(x[, base]).  New reference. */
static PyObject *
math_log(PyObject *module, PyObject *args)
{
    PyObject *x, *base = NULL;
    if (!PyArg_UnpackTuple(args, "log", 1, 2, &x, &base)) {
        return NULL;
    }
    int ok;
    double num = math_log_value(x, log, &ok);
    if (!ok) {
        return NULL;
    }
    if (base == NULL) {
        return PyFloat_FromDouble(num);
    }
    double den = math_log_value(base, log, &ok);
    if (!ok) {
        return NULL;
    }
    if (den == 0.0) {
        PyErr_SetString(PyExc_ZeroDivisionError, "float division by zero");
        return NULL;
    }
    return PyFloat_FromDouble(num / den);
}

static PyObject *
math_log2(PyObject *module, PyObject *arg)
{
    int ok;
    double r = math_log_value(arg, log2, &ok);
    return ok ? PyFloat_FromDouble(r) : NULL;
}

static PyObject *
math_log10(PyObject *module, PyObject *arg)
{
    int ok;
    double r = math_log_value(arg, log10, &ok);
    return ok ? PyFloat_FromDouble(r) : NULL;
}

static PyObject *
math_log1p(PyObject *module, PyObject *arg)
{
    double x;
    if (math_as_double(arg, &x) < 0) {
        return NULL;
    }
    if (x <= -1.0) {
        return math_domain_error();
    }
    return PyFloat_FromDouble(log1p(x));
}

/* ------------------------------------------------------------------ */
/* Two-argument float functions                                        */

/* Unpack two float arguments for `name`.  Returns 0 or -1. */
static int
math_2args(PyObject *args, const char *name, double *x, double *y)
{
    PyObject *a, *b;
    if (!PyArg_UnpackTuple(args, name, 2, 2, &a, &b)) {
        return -1;
    }
    if (math_as_double(a, x) < 0 || math_as_double(b, y) < 0) {
        return -1;
    }
    return 0;
}

static PyObject *
math_atan2(PyObject *module, PyObject *args)
{
    double x, y;
    if (math_2args(args, "atan2", &y, &x) < 0) {
        return NULL;
    }
    return PyFloat_FromDouble(atan2(y, x));
}

static PyObject *
math_copysign(PyObject *module, PyObject *args)
{
    double x, y;
    if (math_2args(args, "copysign", &x, &y) < 0) {
        return NULL;
    }
    return PyFloat_FromDouble(copysign(x, y));
}

static PyObject *
math_fmod(PyObject *module, PyObject *args)
{
    double x, y;
    if (math_2args(args, "fmod", &x, &y) < 0) {
        return NULL;
    }
    if (isinf(y) && isfinite(x)) {
        return PyFloat_FromDouble(x);
    }
    double r = fmod(x, y);
    if (isnan(r) && !isnan(x) && !isnan(y)) {
        return math_domain_error();
    }
    return PyFloat_FromDouble(r);
}

static PyObject *
math_remainder(PyObject *module, PyObject *args)
{
    double x, y;
    if (math_2args(args, "remainder", &x, &y) < 0) {
        return NULL;
    }
    double r = remainder(x, y);
    if (isnan(r) && !isnan(x) && !isnan(y)) {
        return math_domain_error();
    }
    return PyFloat_FromDouble(r);
}

/* pow(x, y) with CPython's special cases. */
static PyObject *
math_pow(PyObject *module, PyObject *args)
{
    double x, y;
    if (math_2args(args, "pow", &x, &y) < 0) {
        return NULL;
    }
    if (x == 0.0 && y < 0.0 && isfinite(y)) {
        return math_domain_error();
    }
    if (x < 0.0 && isfinite(x) && isfinite(y) && y != floor(y)) {
        return math_domain_error();
    }
    errno = 0;
    double r = pow(x, y);
    if (isinf(r) && isfinite(x) && isfinite(y)) {
        return math_range_error();
    }
    return PyFloat_FromDouble(r);
}

static PyObject *
math_nextafter(PyObject *module, PyObject *args)
{
    double x, y;
    if (math_2args(args, "nextafter", &x, &y) < 0) {
        return NULL;
    }
    return PyFloat_FromDouble(nextafter(x, y));
}

static PyObject *
math_ldexp(PyObject *module, PyObject *args)
{
    double x;
    PyObject *xo, *io;
    if (!PyArg_UnpackTuple(args, "ldexp", 2, 2, &xo, &io) ||
        math_as_double(xo, &x) < 0) {
        return NULL;
    }
    if (!PyLong_Check(io)) {
        PyErr_SetString(PyExc_TypeError,
                        "Expected an int as second argument to ldexp.");
        return NULL;
    }
    int overflow;
    long e = PyLong_AsLongAndOverflow(io, &overflow);
    if (e == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (overflow) {
        e = overflow > 0 ? LONG_MAX : LONG_MIN;
    }
    if (x == 0.0 || !isfinite(x)) {
        return PyFloat_FromDouble(x);
    }
    if (e > INT_MAX) {
        return math_range_error();
    }
    if (e < INT_MIN) {
        return PyFloat_FromDouble(copysign(0.0, x));
    }
    double r = ldexp(x, (int)e);
    if (isinf(r)) {
        return math_range_error();
    }
    return PyFloat_FromDouble(r);
}

/* ------------------------------------------------------------------ */
/* Float classification and decomposition                              */

static PyObject *
math_isnan(PyObject *module, PyObject *arg)
{
    double x;
    if (math_as_double(arg, &x) < 0) {
        return NULL;
    }
    return PyBool_FromLong(isnan(x));
}

static PyObject *
math_isinf(PyObject *module, PyObject *arg)
{
    double x;
    if (math_as_double(arg, &x) < 0) {
        return NULL;
    }
    return PyBool_FromLong(isinf(x));
}

static PyObject *
math_isfinite(PyObject *module, PyObject *arg)
{
    double x;
    if (math_as_double(arg, &x) < 0) {
        return NULL;
    }
    return PyBool_FromLong(isfinite(x));
}

static PyObject *
math_degrees(PyObject *module, PyObject *arg)
{
    double x;
    if (math_as_double(arg, &x) < 0) {
        return NULL;
    }
    return PyFloat_FromDouble(x * (180.0 / M_PI));
}

static PyObject *
math_radians(PyObject *module, PyObject *arg)
{
    double x;
    if (math_as_double(arg, &x) < 0) {
        return NULL;
    }
    return PyFloat_FromDouble(x * (M_PI / 180.0));
}

/* frexp(x) -> (m, e).  New reference. */
static PyObject *
math_frexp(PyObject *module, PyObject *arg)
{
    double x;
    if (math_as_double(arg, &x) < 0) {
        return NULL;
    }
    int e = 0;
    double m = x;
    if (isfinite(x) && x != 0.0) {
        m = frexp(x, &e);
    }
    return Py_BuildValue("(di)", m, e);
}

/* modf(x) -> (frac, int part).  New reference. */
static PyObject *
math_modf(PyObject *module, PyObject *arg)
{
    double x;
    if (math_as_double(arg, &x) < 0) {
        return NULL;
    }
    if (isinf(x)) {
        return Py_BuildValue("(dd)", copysign(0.0, x), x);
    }
    double ip;
    double fp = modf(x, &ip);
    return Py_BuildValue("(dd)", fp, ip);
}

static PyObject *
math_ulp(PyObject *module, PyObject *arg)
{
    double x;
    if (math_as_double(arg, &x) < 0) {
        return NULL;
    }
    if (isnan(x)) {
        return PyFloat_FromDouble(x);
    }
    x = fabs(x);
    if (isinf(x)) {
        return PyFloat_FromDouble(x);
    }
    double up = nextafter(x, INFINITY);
    if (isinf(up)) {
        return PyFloat_FromDouble(x - nextafter(x, -INFINITY));
    }
    return PyFloat_FromDouble(up - x);
}

/* ------------------------------------------------------------------ */
/* floor / ceil / trunc: ints pass through, floats convert, anything   */
/* else goes through __floor__ / __ceil__ / __trunc__.                 */

/* Round arg with func, or call its special method `dunder`.  New ref. */
static PyObject *
math_round_to_int(PyObject *arg, double (*func)(double), const char *dunder,
                  int float_fallback)
{
    if (PyLong_CheckExact(arg)) {
        return Py_NewRef(arg);
    }
    if (!PyFloat_CheckExact(arg)) {
        PyObject *meth = PyObject_GetAttrString((PyObject *)Py_TYPE(arg),
                                                dunder);
        if (meth != NULL) {
            PyObject *r = PyObject_CallOneArg(meth, arg);
            Py_DECREF(meth);
            return r;
        }
        if (!PyErr_ExceptionMatches(PyExc_AttributeError)) {
            return NULL;
        }
        PyErr_Clear();
        if (!float_fallback) {
            PyErr_Format(PyExc_TypeError,
                         "type %.100s doesn't define %s method",
                         Py_TYPE(arg)->tp_name, dunder);
            return NULL;
        }
    }
    double x;
    if (math_as_double(arg, &x) < 0) {
        return NULL;
    }
    return PyLong_FromDouble(func(x));
}

static PyObject *
math_floor(PyObject *module, PyObject *arg)
{
    return math_round_to_int(arg, floor, "__floor__", 1);
}

static PyObject *
math_ceil(PyObject *module, PyObject *arg)
{
    return math_round_to_int(arg, ceil, "__ceil__", 1);
}

static PyObject *
math_trunc(PyObject *module, PyObject *arg)
{
    return math_round_to_int(arg, trunc, "__trunc__", 0);
}

/* ------------------------------------------------------------------ */
/* Sums, products, distances                                           */

/* fsum(iterable): exact sum via Shewchuk's partials, rounded once. */
static PyObject *
math_fsum(PyObject *module, PyObject *seq)
{
    PyObject *it = PyObject_GetIter(seq);
    if (it == NULL) {
        return NULL;
    }
    double small[32], *p = small;
    Py_ssize_t n = 0, cap = 32;
    double special = 0.0, inf_sum = 0.0;
    int have_special = 0;
    PyObject *item;
    while ((item = PyIter_Next(it)) != NULL) {
        double x;
        int rc = math_as_double(item, &x);
        Py_DECREF(item);
        if (rc < 0) {
            goto error;
        }
        if (!isfinite(x)) {
            if (isinf(x)) {
                inf_sum += x;
            }
            special += x;
            have_special = 1;
            continue;
        }
        Py_ssize_t i = 0;
        for (Py_ssize_t j = 0; j < n; j++) {
            double y = p[j];
            if (fabs(x) < fabs(y)) {
                double t = x;
                x = y;
                y = t;
            }
            double hi = x + y;
            double lo = y - (hi - x);
            if (lo != 0.0) {
                p[i++] = lo;
            }
            x = hi;
        }
        if (!isfinite(x)) {
            PyErr_SetString(PyExc_OverflowError,
                            "intermediate overflow in fsum");
            goto error;
        }
        n = i;
        if (n >= cap) {
            Py_ssize_t ncap = cap * 2;
            double *np = PyMem_Malloc(ncap * sizeof(double));
            if (np == NULL) {
                PyErr_NoMemory();
                goto error;
            }
            memcpy(np, p, n * sizeof(double));
            if (p != small) {
                PyMem_Free(p);
            }
            p = np;
            cap = ncap;
        }
        p[n++] = x;
    }
    if (PyErr_Occurred()) {
        goto error;
    }
    Py_DECREF(it);
    if (have_special) {
        if (p != small) {
            PyMem_Free(p);
        }
        if (isnan(inf_sum)) {
            PyErr_SetString(PyExc_ValueError, "-inf + inf in fsum");
            return NULL;
        }
        return PyFloat_FromDouble(special);
    }
    double hi = 0.0;
    if (n > 0) {
        hi = p[--n];
        double lo = 0.0;
        while (n > 0) {
            double x = hi;
            double y = p[--n];
            hi = x + y;
            double yr = hi - x;
            lo = y - yr;
            if (lo != 0.0) {
                break;
            }
        }
        /* Half-way case: correct the rounding using the next partial. */
        if (n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) ||
                      (lo > 0.0 && p[n - 1] > 0.0))) {
            double y = lo * 2.0;
            double x = hi + y;
            double yr = x - hi;
            if (y == yr) {
                hi = x;
            }
        }
    }
    if (p != small) {
        PyMem_Free(p);
    }
    return PyFloat_FromDouble(hi);

error:
    Py_DECREF(it);
    if (p != small) {
        PyMem_Free(p);
    }
    return NULL;
}

/* prod(iterable, *, start=1).  New reference. */
static PyObject *
math_prod(PyObject *module, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"", "start", NULL};
    PyObject *seq, *start = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|$O:prod", kwlist,
                                     &seq, &start)) {
        return NULL;
    }
    PyObject *it = PyObject_GetIter(seq);
    if (it == NULL) {
        return NULL;
    }
    PyObject *acc = start ? Py_NewRef(start) : PyLong_FromLong(1);
    PyObject *item;
    while (acc != NULL && (item = PyIter_Next(it)) != NULL) {
        PyObject *r = PyNumber_Multiply(acc, item);
        Py_DECREF(item);
        Py_SETREF(acc, r);
    }
    Py_DECREF(it);
    if (acc != NULL && PyErr_Occurred()) {
        Py_CLEAR(acc);
    }
    return acc;
}

/* Euclidean norm of n doubles, scaled to avoid overflow. */
static double
math_vector_norm(const double *v, Py_ssize_t n, int found_nan)
{
    double max = 0.0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (isinf(v[i])) {
            return INFINITY;
        }
        if (fabs(v[i]) > max) {
            max = fabs(v[i]);
        }
    }
    if (found_nan) {
        return NAN;
    }
    if (max == 0.0 || n <= 1) {
        return max;
    }
    double sum = 0.0, comp = 0.0;
    for (Py_ssize_t i = 0; i < n; i++) {
        double x = v[i] / max;
        double y = x * x - comp;
        double t = sum + y;
        comp = (t - sum) - y;
        sum = t;
    }
    return max * sqrt(sum);
}

/* hypot(*coordinates).  New reference. */
static PyObject *
math_hypot(PyObject *module, PyObject *args)
{
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    double small[16] = {0.0};
    double *v = n <= 16 ? small : PyMem_Malloc(n * sizeof(double));
    if (v == NULL) {
        return PyErr_NoMemory();
    }
    int found_nan = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *o = PyTuple_GET_ITEM(args, i);
        if (!PyFloat_Check(o) && !PyLong_Check(o) &&
            !PyIndex_Check(o) && Py_TYPE(o)->tp_as_number == NULL) {
            PyErr_Format(PyExc_TypeError,
                         "must be real number, not %.200s",
                         Py_TYPE(o)->tp_name);
            goto error;
        }
        if (math_as_double(o, &v[i]) < 0) {
            goto error;
        }
        found_nan |= isnan(v[i]);
    }
    double r = math_vector_norm(v, n, found_nan);
    if (v != small) {
        PyMem_Free(v);
    }
    return PyFloat_FromDouble(r);
error:
    if (v != small) {
        PyMem_Free(v);
    }
    return NULL;
}

/* dist(p, q).  New reference. */
static PyObject *
math_dist(PyObject *module, PyObject *args)
{
    PyObject *p, *q;
    if (!PyArg_UnpackTuple(args, "dist", 2, 2, &p, &q)) {
        return NULL;
    }
    PyObject *pt = PySequence_Tuple(p);
    if (pt == NULL) {
        return NULL;
    }
    PyObject *qt = PySequence_Tuple(q);
    if (qt == NULL) {
        Py_DECREF(pt);
        return NULL;
    }
    PyObject *res = NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(pt);
    double *v = NULL;
    if (n != PyTuple_GET_SIZE(qt)) {
        PyErr_SetString(PyExc_ValueError,
                        "both points must have the same number of "
                        "dimensions");
        goto done;
    }
    v = PyMem_Malloc((n ? n : 1) * sizeof(double));
    if (v == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    int found_nan = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        double a, b;
        if (math_as_double(PyTuple_GET_ITEM(pt, i), &a) < 0 ||
            math_as_double(PyTuple_GET_ITEM(qt, i), &b) < 0) {
            goto done;
        }
        v[i] = fabs(a - b);
        found_nan |= isnan(v[i]);
    }
    res = PyFloat_FromDouble(math_vector_norm(v, n, found_nan));
done:
    PyMem_Free(v);
    Py_DECREF(pt);
    Py_DECREF(qt);
    return res;
}

/* isclose(a, b, *, rel_tol=1e-09, abs_tol=0.0). */
static PyObject *
math_isclose(PyObject *module, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"a", "b", "rel_tol", "abs_tol", NULL};
    double a, b, rel_tol = 1e-9, abs_tol = 0.0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "dd|$dd:isclose", kwlist,
                                     &a, &b, &rel_tol, &abs_tol)) {
        return NULL;
    }
    if (rel_tol < 0.0 || abs_tol < 0.0) {
        PyErr_SetString(PyExc_ValueError, "tolerances must be non-negative");
        return NULL;
    }
    if (a == b) {
        Py_RETURN_TRUE;
    }
    if (isinf(a) || isinf(b)) {
        Py_RETURN_FALSE;
    }
    double diff = fabs(b - a);
    int ok = (diff <= fabs(rel_tol * b)) || (diff <= fabs(rel_tol * a)) ||
             (diff <= abs_tol);
    return PyBool_FromLong(ok);
}

/* ------------------------------------------------------------------ */
/* Integer functions                                                   */

/* gcd(*integers).  New reference. */
static PyObject *
math_gcd(PyObject *module, PyObject *args)
{
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    PyObject *res = PyLong_FromLong(0);
    for (Py_ssize_t i = 0; res != NULL && i < n; i++) {
        PyObject *x = PyNumber_Index(PyTuple_GET_ITEM(args, i));
        if (x == NULL) {
            Py_CLEAR(res);
            break;
        }
        Py_SETREF(res, _PyLong_GCD(res, x));
        Py_DECREF(x);
    }
    return res;
}

/* lcm(*integers).  New reference. */
static PyObject *
math_lcm(PyObject *module, PyObject *args)
{
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    PyObject *res = PyLong_FromLong(1);
    for (Py_ssize_t i = 0; res != NULL && i < n; i++) {
        PyObject *x = PyNumber_Index(PyTuple_GET_ITEM(args, i));
        if (x == NULL) {
            Py_CLEAR(res);
            break;
        }
        PyObject *g = _PyLong_GCD(res, x);
        PyObject *r = NULL;
        if (g != NULL) {
            if (_PyLong_Sign(g) == 0) {
                r = PyLong_FromLong(0);
            }
            else {
                PyObject *q = PyNumber_FloorDivide(res, g);
                if (q != NULL) {
                    PyObject *m = PyNumber_Multiply(q, x);
                    Py_DECREF(q);
                    r = m ? PyNumber_Absolute(m) : NULL;
                    Py_XDECREF(m);
                }
            }
            Py_DECREF(g);
        }
        Py_DECREF(x);
        Py_SETREF(res, r);
    }
    return res;
}

/* Product of the integers lo..hi inclusive, by splitting so the
 * multiplications stay balanced.  New reference. */
static PyObject *
math_range_product(unsigned long long lo, unsigned long long hi)
{
    if (lo > hi) {
        return PyLong_FromLong(1);
    }
    if (hi - lo < 8) {
        PyObject *acc = PyLong_FromUnsignedLongLong(lo);
        for (unsigned long long k = lo + 1; acc != NULL && k <= hi; k++) {
            PyObject *ko = PyLong_FromUnsignedLongLong(k);
            if (ko == NULL) {
                Py_CLEAR(acc);
                break;
            }
            Py_SETREF(acc, PyNumber_Multiply(acc, ko));
            Py_DECREF(ko);
        }
        return acc;
    }
    unsigned long long mid = lo + (hi - lo) / 2;
    PyObject *a = math_range_product(lo, mid);
    if (a == NULL) {
        return NULL;
    }
    PyObject *b = math_range_product(mid + 1, hi);
    if (b == NULL) {
        Py_DECREF(a);
        return NULL;
    }
    PyObject *r = PyNumber_Multiply(a, b);
    Py_DECREF(a);
    Py_DECREF(b);
    return r;
}

/* factorial(n): n must be an int >= 0. */
static PyObject *
math_factorial(PyObject *module, PyObject *arg)
{
    if (PyFloat_Check(arg)) {
        PyErr_SetString(PyExc_TypeError,
                        "'float' object cannot be interpreted as an "
                        "integer");
        return NULL;
    }
    int overflow;
    PyObject *n = PyNumber_Index(arg);
    if (n == NULL) {
        return NULL;
    }
    long long v = PyLong_AsLongLongAndOverflow(n, &overflow);
    Py_DECREF(n);
    if (v == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (overflow > 0) {
        PyErr_SetString(PyExc_OverflowError,
                        "factorial() argument should not exceed "
                        "9223372036854775807");
        return NULL;
    }
    if (overflow < 0 || v < 0) {
        PyErr_SetString(PyExc_ValueError,
                        "factorial() not defined for negative values");
        return NULL;
    }
    if (v < 2) {
        return PyLong_FromLong(1);
    }
    return math_range_product(2, (unsigned long long)v);
}

/* isqrt(n): floor square root of a non-negative int, by Newton's
 * method on ints starting above the root.  New reference. */
static PyObject *
math_isqrt(PyObject *module, PyObject *arg)
{
    PyObject *n = PyNumber_Index(arg);
    if (n == NULL) {
        return NULL;
    }
    int sign = _PyLong_Sign(n);
    if (sign < 0) {
        Py_DECREF(n);
        PyErr_SetString(PyExc_ValueError,
                        "isqrt() argument must be nonnegative");
        return NULL;
    }
    if (sign == 0) {
        return n;
    }
    size_t bits = _PyLong_NumBits(n);
    /* x0 = 2**ceil(bits/2) >= sqrt(n). */
    PyObject *one = PyLong_FromLong(1);
    PyObject *x = one ? _PyLong_Lshift(one, (bits + 1) / 2) : NULL;
    Py_XDECREF(one);
    while (x != NULL) {
        PyObject *q = PyNumber_FloorDivide(n, x);
        PyObject *s = q ? PyNumber_Add(x, q) : NULL;
        Py_XDECREF(q);
        PyObject *y = s ? _PyLong_Rshift(s, 1) : NULL;
        Py_XDECREF(s);
        if (y == NULL) {
            Py_CLEAR(x);
            break;
        }
        int cmp = PyObject_RichCompareBool(y, x, Py_LT);
        if (cmp <= 0) {
            Py_DECREF(y);
            if (cmp < 0) {
                Py_CLEAR(x);
            }
            break;
        }
        Py_SETREF(x, y);
    }
    Py_DECREF(n);
    return x;
}

/* Convert comb/perm arguments to non-negative ints.  Returns 0 or -1. */
static int
math_comb_args(PyObject *args, const char *name, PyObject **n, PyObject **k,
               int k_optional)
{
    PyObject *a, *b = NULL;
    if (!PyArg_UnpackTuple(args, name, k_optional ? 1 : 2, 2, &a, &b)) {
        return -1;
    }
    *n = PyNumber_Index(a);
    if (*n == NULL) {
        return -1;
    }
    *k = b == NULL || b == Py_None ? Py_NewRef(*n) : PyNumber_Index(b);
    if (*k == NULL) {
        Py_DECREF(*n);
        return -1;
    }
    if (_PyLong_Sign(*n) < 0) {
        PyErr_SetString(PyExc_ValueError, "n must be a non-negative integer");
        goto error;
    }
    if (_PyLong_Sign(*k) < 0) {
        PyErr_SetString(PyExc_ValueError, "k must be a non-negative integer");
        goto error;
    }
    return 0;
error:
    Py_DECREF(*n);
    Py_DECREF(*k);
    return -1;
}

/* perm(n, k=None) = n! / (n-k)!, computed as a falling product. */
static PyObject *
math_perm(PyObject *module, PyObject *args)
{
    PyObject *n, *k;
    if (math_comb_args(args, "perm", &n, &k, 1) < 0) {
        return NULL;
    }
    PyObject *res = NULL;
    int cmp = PyObject_RichCompareBool(k, n, Py_GT);
    if (cmp < 0) {
        goto done;
    }
    if (cmp) {
        res = PyLong_FromLong(0);
        goto done;
    }
    long long kv = PyLong_AsLongLong(k);
    if (kv == -1 && PyErr_Occurred()) {
        PyErr_Format(PyExc_OverflowError,
                     "k must not exceed %lld", (long long)LLONG_MAX);
        goto done;
    }
    res = PyLong_FromLong(1);
    PyObject *f = Py_NewRef(n);
    PyObject *one = PyLong_FromLong(1);
    for (long long i = 0; res != NULL && i < kv; i++) {
        Py_SETREF(res, PyNumber_Multiply(res, f));
        Py_SETREF(f, PyNumber_Subtract(f, one));
        if (f == NULL) {
            Py_CLEAR(res);
        }
    }
    Py_XDECREF(f);
    Py_XDECREF(one);
done:
    Py_DECREF(n);
    Py_DECREF(k);
    return res;
}

/* comb(n, k) = n! / (k! (n-k)!), as a running product-quotient. */
static PyObject *
math_comb(PyObject *module, PyObject *args)
{
    PyObject *n, *k;
    if (math_comb_args(args, "comb", &n, &k, 0) < 0) {
        return NULL;
    }
    PyObject *res = NULL;
    PyObject *nk = PyNumber_Subtract(n, k);
    if (nk == NULL) {
        goto done;
    }
    if (_PyLong_Sign(nk) < 0) {
        Py_DECREF(nk);
        res = PyLong_FromLong(0);
        goto done;
    }
    /* Use the smaller of k and n-k. */
    if (PyObject_RichCompareBool(nk, k, Py_LT) == 1) {
        Py_SETREF(k, nk);
    }
    else {
        Py_DECREF(nk);
    }
    long long kv = PyLong_AsLongLong(k);
    if (kv == -1 && PyErr_Occurred()) {
        PyErr_Format(PyExc_OverflowError,
                     "min(n - k, k) must not exceed %lld",
                     (long long)LLONG_MAX);
        goto done;
    }
    res = PyLong_FromLong(1);
    for (long long i = 0; res != NULL && i < kv; i++) {
        /* res = res * (n - i) // (i + 1); exact at every step. */
        PyObject *io = PyLong_FromLongLong(i);
        PyObject *i1 = PyLong_FromLongLong(i + 1);
        PyObject *f = io ? PyNumber_Subtract(n, io) : NULL;
        PyObject *m = f && i1 ? PyNumber_Multiply(res, f) : NULL;
        Py_SETREF(res, m && i1 ? PyNumber_FloorDivide(m, i1) : NULL);
        Py_XDECREF(io);
        Py_XDECREF(i1);
        Py_XDECREF(f);
        Py_XDECREF(m);
    }
done:
    Py_DECREF(n);
    Py_DECREF(k);
    return res;
}

/* ------------------------------------------------------------------ */
/* Module                                                              */

#define M1(name) {#name, math_##name, METH_O, NULL}
#define MV(name) {#name, math_##name, METH_VARARGS, NULL}
#define MK(name) {#name, (PyCFunction)(void (*)(void))math_##name, \
                  METH_VARARGS | METH_KEYWORDS, NULL}

static PyMethodDef math_methods[] = {
    M1(acos), M1(acosh), M1(asin), M1(asinh), M1(atan), MV(atan2),
    M1(atanh), M1(cbrt), M1(ceil), MV(comb), MV(copysign), M1(cos),
    M1(cosh), M1(degrees), MV(dist), M1(erf), M1(erfc), M1(exp),
    M1(exp2), M1(expm1), M1(fabs), M1(factorial), M1(floor), MV(fmod),
    M1(frexp), M1(fsum), M1(gamma), MV(gcd), MV(hypot), MK(isclose),
    M1(isfinite), M1(isinf), M1(isnan), M1(isqrt), MV(lcm), MV(ldexp),
    M1(lgamma), MV(log), M1(log10), M1(log1p), M1(log2), M1(modf),
    MV(nextafter), MV(perm), MV(pow), MK(prod), M1(radians),
    MV(remainder), M1(sin), M1(sinh), M1(sqrt), M1(tan), M1(tanh),
    M1(trunc), M1(ulp),
    {NULL}
};

static PyModuleDef math_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "math",
    .m_doc = "This module provides access to the mathematical functions\n"
             "defined by the C standard.",
    .m_size = 0,
    .m_methods = math_methods,
};

/* Create the math module.  Returns a new reference. */
PyMODINIT_FUNC
PyInit_math(void)
{
    PyObject *m = PyModule_Create(&math_module);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddObject(m, "pi", PyFloat_FromDouble(M_PI)) < 0 ||
        PyModule_AddObject(m, "e", PyFloat_FromDouble(M_E)) < 0 ||
        PyModule_AddObject(m, "tau", PyFloat_FromDouble(2.0 * M_PI)) < 0 ||
        PyModule_AddObject(m, "inf", PyFloat_FromDouble(INFINITY)) < 0 ||
        PyModule_AddObject(m, "nan", PyFloat_FromDouble(NAN)) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
