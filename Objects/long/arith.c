/* The number protocol of int: the nb_* slots (binary operators return
 * NotImplemented unless both operands are ints), power with and without a
 * modulus (negative exponents with a modulus use the modular inverse),
 * shifts, and rich comparison. */
#include "Python.h"
#include "pycore_long.h"

#define CHECK_BINOP(v, w)                                   \
    do {                                                    \
        if (!PyLong_Check(v) || !PyLong_Check(w)) {         \
            Py_RETURN_NOTIMPLEMENTED;                       \
        }                                                   \
    } while (0)

static PyObject *
long_add(PyObject *a, PyObject *b)
{
    CHECK_BINOP(a, b);
    return _PyLong_Add((PyLongObject *)a, (PyLongObject *)b);
}

static PyObject *
long_sub(PyObject *a, PyObject *b)
{
    CHECK_BINOP(a, b);
    return _PyLong_Subtract((PyLongObject *)a, (PyLongObject *)b);
}

static PyObject *
long_mul(PyObject *a, PyObject *b)
{
    CHECK_BINOP(a, b);
    return _PyLong_Multiply((PyLongObject *)a, (PyLongObject *)b);
}

static PyObject *
long_floordiv(PyObject *a, PyObject *b)
{
    CHECK_BINOP(a, b);
    return _PyLong_FloorDiv(a, b);
}

static PyObject *
long_mod(PyObject *a, PyObject *b)
{
    CHECK_BINOP(a, b);
    return _PyLong_Mod(a, b);
}

static PyObject *
long_divmod(PyObject *a, PyObject *b)
{
    CHECK_BINOP(a, b);
    return _PyLong_Divmod(a, b);
}

static PyObject *
long_true_divide(PyObject *a, PyObject *b)
{
    CHECK_BINOP(a, b);
    double x = _PyLong_TrueDivideDouble(a, b);
    if (x == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    return PyFloat_FromDouble(x);
}

static int
long_sign(PyObject *v)
{
    return _PyLong_Sign(v);
}

/* The inverse of a modulo n (n > 0): ValueError if gcd(a, n) != 1.
   Extended Euclid on ints. */
static PyObject *
long_invmod(PyObject *a, PyObject *n)
{
    PyObject *b = Py_NewRef(n);
    PyObject *c = _PyLong_GetOne();
    PyObject *d = _PyLong_GetZero();
    a = _PyLong_Mod(a, n);
    if (a == NULL) {
        Py_DECREF(b);
        return NULL;
    }
    /* Invariant: a * x == c (mod n), b * x == d (mod n) for the inverse
       x being sought: reduce (a, b) like gcd. */
    while (long_sign(b) != 0) {
        PyObject *q, *r, *t, *s;
        PyObject *qr = _PyLong_Divmod(a, b);
        if (qr == NULL) {
            goto error;
        }
        q = Py_NewRef(PyTuple_GET_ITEM(qr, 0));
        r = Py_NewRef(PyTuple_GET_ITEM(qr, 1));
        Py_DECREF(qr);
        t = _PyLong_Multiply((PyLongObject *)q, (PyLongObject *)d);
        Py_DECREF(q);
        if (t == NULL) {
            Py_DECREF(r);
            goto error;
        }
        s = _PyLong_Subtract((PyLongObject *)c, (PyLongObject *)t);
        Py_DECREF(t);
        if (s == NULL) {
            Py_DECREF(r);
            goto error;
        }
        Py_SETREF(a, b);
        b = r;
        Py_SETREF(c, d);
        d = s;
    }
    Py_DECREF(b);
    Py_DECREF(d);
    /* a is now gcd(a, n). */
    if (!(_PyLong_IsCompact((PyLongObject *)a) &&
          _PyLong_CompactValue((PyLongObject *)a) == 1)) {
        Py_DECREF(a);
        Py_DECREF(c);
        PyErr_SetString(PyExc_ValueError,
                        "base is not invertible for the given modulus");
        return NULL;
    }
    Py_DECREF(a);
    PyObject *res = _PyLong_Mod(c, n);
    Py_DECREF(c);
    return res;
error:
    Py_XDECREF(a);
    Py_XDECREF(b);
    Py_XDECREF(c);
    Py_XDECREF(d);
    return NULL;
}

/* x * y, reduced modulo m when m is not NULL; steals x. */
static PyObject *
mul_mod(PyObject *x, PyObject *y, PyObject *m)
{
    PyObject *p = _PyLong_Multiply((PyLongObject *)x, (PyLongObject *)y);
    Py_DECREF(x);
    if (p == NULL || m == NULL) {
        return p;
    }
    PyObject *r = _PyLong_Mod(p, m);
    Py_DECREF(p);
    return r;
}

PyObject *
_PyLong_Pow(PyObject *v, PyObject *w, PyObject *x)
{
    if (!PyLong_Check(v) || !PyLong_Check(w)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    PyObject *mod = NULL;
    int negative_output = 0;
    if (x != NULL && x != Py_None) {
        if (!PyLong_Check(x)) {
            Py_RETURN_NOTIMPLEMENTED;
        }
        if (long_sign(x) == 0) {
            PyErr_SetString(PyExc_ValueError,
                            "pow() 3rd argument cannot be 0");
            return NULL;
        }
        mod = x;
    }
    if (long_sign(w) < 0 && mod == NULL) {
        /* A negative exponent without modulus gives a float. */
        return PyFloat_Type.tp_as_number->nb_power(v, w, Py_None);
    }
    PyObject *base = Py_NewRef(v);
    PyObject *exp = Py_NewRef(w);
    if (mod != NULL) {
        if (long_sign(mod) < 0) {
            negative_output = 1;
            mod = _PyLong_Negate(mod);
        }
        else {
            mod = Py_NewRef(mod);
        }
        if (mod == NULL) {
            goto error;
        }
        if (_PyLong_IsCompact((PyLongObject *)mod) &&
            _PyLong_CompactValue((PyLongObject *)mod) == 1) {
            Py_DECREF(base);
            Py_DECREF(exp);
            Py_DECREF(mod);
            return _PyLong_GetZero();
        }
        if (long_sign(exp) < 0) {
            PyObject *inv = long_invmod(base, mod);
            if (inv == NULL) {
                goto error;
            }
            Py_SETREF(base, inv);
            PyObject *e = _PyLong_Negate(exp);
            if (e == NULL) {
                goto error;
            }
            Py_SETREF(exp, e);
        }
        PyObject *b = _PyLong_Mod(base, mod);
        if (b == NULL) {
            goto error;
        }
        Py_SETREF(base, b);
    }
    /* Left-to-right binary exponentiation. */
    PyObject *result = _PyLong_GetOne();
    size_t nbits = _PyLong_NumBits(exp);
    PyLongObject *e = (PyLongObject *)exp;
    for (size_t i = nbits; i-- > 0;) {
        result = mul_mod(result, result, mod);
        if (result == NULL) {
            goto error;
        }
        digit d = e->ob_digit[i / PyLong_SHIFT];
        if ((d >> (i % PyLong_SHIFT)) & 1) {
            result = mul_mod(result, base, mod);
            if (result == NULL) {
                goto error;
            }
        }
    }
    if (negative_output && long_sign(result) != 0) {
        PyObject *r = _PyLong_Subtract((PyLongObject *)result,
                                       (PyLongObject *)mod);
        Py_SETREF(result, r);
    }
    Py_DECREF(base);
    Py_DECREF(exp);
    Py_XDECREF(mod);
    return result;
error:
    Py_XDECREF(base);
    Py_XDECREF(exp);
    Py_XDECREF(mod);
    return NULL;
}

static PyObject *
long_neg(PyObject *v)
{
    return _PyLong_Negate(v);
}

static PyObject *
long_pos(PyObject *v)
{
    return _PyLong_Copy((PyLongObject *)v);
}

static PyObject *
long_abs(PyObject *v)
{
    return _PyLong_Abs(v);
}

static int
long_bool(PyObject *v)
{
    return long_sign(v) != 0;
}

static PyObject *
long_invert(PyObject *v)
{
    return _PyLong_Invert(v);
}

/* The shift count: 0 and *count, or 1 if it does not fit (huge), or -1
   with an exception. */
static int
shift_count(PyObject *b, size_t *count)
{
    if (long_sign(b) < 0) {
        PyErr_SetString(PyExc_ValueError, "negative shift count");
        return -1;
    }
    int overflow;
    long long n = PyLong_AsLongLongAndOverflow(b, &overflow);
    if (overflow) {
        return 1;
    }
    if (n == -1 && PyErr_Occurred()) {
        return -1;
    }
    *count = (size_t)n;
    return 0;
}

static PyObject *
long_lshift(PyObject *a, PyObject *b)
{
    CHECK_BINOP(a, b);
    size_t n;
    int r = shift_count(b, &n);
    if (r < 0) {
        return NULL;
    }
    if (long_sign(a) == 0) {
        return _PyLong_GetZero();
    }
    if (r > 0) {
        return PyErr_NoMemory();
    }
    return _PyLong_Lshift(a, n);
}

static PyObject *
long_rshift(PyObject *a, PyObject *b)
{
    CHECK_BINOP(a, b);
    size_t n;
    int r = shift_count(b, &n);
    if (r < 0) {
        return NULL;
    }
    if (r > 0) {
        return _PyLong_GetSmallInt(long_sign(a) < 0 ? -1 : 0);
    }
    return _PyLong_Rshift(a, n);
}

static PyObject *
long_and(PyObject *a, PyObject *b)
{
    CHECK_BINOP(a, b);
    return _PyLong_Bitwise(a, '&', b);
}

static PyObject *
long_or(PyObject *a, PyObject *b)
{
    CHECK_BINOP(a, b);
    return _PyLong_Bitwise(a, '|', b);
}

static PyObject *
long_xor(PyObject *a, PyObject *b)
{
    CHECK_BINOP(a, b);
    return _PyLong_Bitwise(a, '^', b);
}

/* int(x) and __index__: an exact int with the same value. */
static PyObject *
long_long(PyObject *v)
{
    if (PyLong_CheckExact(v)) {
        return Py_NewRef(v);
    }
    return _PyLong_Copy((PyLongObject *)v);
}

static PyObject *
long_float(PyObject *v)
{
    double x = PyLong_AsDouble(v);
    if (x == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    return PyFloat_FromDouble(x);
}

PyNumberMethods _PyLong_AsNumber = {
    .nb_add = long_add,
    .nb_subtract = long_sub,
    .nb_multiply = long_mul,
    .nb_remainder = long_mod,
    .nb_divmod = long_divmod,
    .nb_power = _PyLong_Pow,
    .nb_negative = long_neg,
    .nb_positive = long_pos,
    .nb_absolute = long_abs,
    .nb_bool = long_bool,
    .nb_invert = long_invert,
    .nb_lshift = long_lshift,
    .nb_rshift = long_rshift,
    .nb_and = long_and,
    .nb_xor = long_xor,
    .nb_or = long_or,
    .nb_int = long_long,
    .nb_float = long_float,
    .nb_floor_divide = long_floordiv,
    .nb_true_divide = long_true_divide,
    .nb_index = long_long,
};

PyObject *
_PyLong_RichCompare(PyObject *a, PyObject *b, int op)
{
    CHECK_BINOP(a, b);
    int c = _PyLong_Compare(a, b);
    Py_RETURN_RICHCOMPARE(c, 0, op);
}

/* gcd(a, b) by Euclid's algorithm on ints (non-negative result). */
PyObject *
_PyLong_GCD(PyObject *a, PyObject *b)
{
    PyObject *x = _PyLong_Abs(a);
    PyObject *y = _PyLong_Abs(b);
    if (x == NULL || y == NULL) {
        Py_XDECREF(x);
        Py_XDECREF(y);
        return NULL;
    }
    while (long_sign(y) != 0) {
        PyObject *r = _PyLong_Mod(x, y);
        if (r == NULL) {
            Py_DECREF(x);
            Py_DECREF(y);
            return NULL;
        }
        Py_SETREF(x, y);
        y = r;
    }
    Py_DECREF(y);
    return x;
}
