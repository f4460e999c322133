/* float: IEEE 754 binary64.  Immutable: no locking.
 *
 * repr is the shortest string that reads back as the same double
 * (Python/pystrtod.c).  Mixed float/int comparisons are exact; hashes of
 * integral floats equal the hashes of the equal ints (Python/pyhash.c). */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_long.h"
#include "pycore_unicodeobject.h"
#include "pycore_unicodectype.h"
#include "pystrtod.h"
#include "pycore_floatobject.h"
#include "pycore_formatter.h"

#include <errno.h>
#include <float.h>
#include <math.h>

PyObject *
PyFloat_FromDouble(double v)
{
    PyFloatObject *op = PyObject_Malloc(sizeof(PyFloatObject));
    if (op == NULL) {
        return PyErr_NoMemory();
    }
    _PyObject_InitHeader((PyObject *)op, &PyFloat_Type);
    op->ob_fval = v;
    return (PyObject *)op;
}

static void
float_dealloc(PyObject *op)
{
    Py_TYPE(op)->tp_free(op);
}

double
PyFloat_AsDouble(PyObject *op)
{
    if (op == NULL) {
        PyErr_BadArgument();
        return -1.0;
    }
    if (PyFloat_Check(op)) {
        return PyFloat_AS_DOUBLE(op);
    }
    PyNumberMethods *nb = Py_TYPE(op)->tp_as_number;
    if (nb == NULL || nb->nb_float == NULL) {
        if (nb != NULL && nb->nb_index != NULL) {
            PyObject *res = _PyNumber_Index(op);
            if (res == NULL) {
                return -1.0;
            }
            double val = PyLong_AsDouble(res);
            Py_DECREF(res);
            return val;
        }
        PyErr_Format(PyExc_TypeError, "must be real number, not %.50s",
                     Py_TYPE(op)->tp_name);
        return -1.0;
    }
    PyObject *res = nb->nb_float(op);
    if (res == NULL) {
        return -1.0;
    }
    if (!PyFloat_CheckExact(res)) {
        if (!PyFloat_Check(res)) {
            PyErr_Format(PyExc_TypeError,
                         "%.50s.__float__ returned non-float (type %.50s)",
                         Py_TYPE(op)->tp_name, Py_TYPE(res)->tp_name);
            Py_DECREF(res);
            return -1.0;
        }
        if (PyErr_WarnFormat(PyExc_DeprecationWarning, 1,
                "%.50s.__float__ returned non-float (type %.50s).  "
                "The ability to return an instance of a strict subclass of "
                "float is deprecated, and may be removed in a future "
                "version of Python.",
                Py_TYPE(op)->tp_name, Py_TYPE(res)->tp_name) < 0) {
            Py_DECREF(res);
            return -1.0;
        }
    }
    double val = PyFloat_AS_DOUBLE(res);
    Py_DECREF(res);
    return val;
}

double
PyFloat_GetMax(void)
{
    return DBL_MAX;
}

double
PyFloat_GetMin(void)
{
    return DBL_MIN;
}

PyObject *
PyFloat_GetInfo(void)
{
    return Py_BuildValue("(diidiiidiii)", DBL_MAX, DBL_MAX_EXP,
                         DBL_MAX_10_EXP, DBL_MIN, DBL_MIN_EXP,
                         DBL_MIN_10_EXP, DBL_DIG, DBL_EPSILON, DBL_MANT_DIG,
                         FLT_RADIX, FLT_ROUNDS);
}

/* ------------------------------------------------------ text */

PyObject *
_PyFloat_Repr(double x)
{
    char *buf = PyOS_double_to_string(x, 'r', 0, Py_DTSF_ADD_DOT_0, NULL);
    if (buf == NULL) {
        return NULL;
    }
    PyObject *res = _PyUnicode_FromASCII(buf, (Py_ssize_t)strlen(buf));
    PyMem_Free(buf);
    return res;
}

static PyObject *
float_repr(PyObject *v)
{
    return _PyFloat_Repr(PyFloat_AS_DOUBLE(v));
}

/* float(text): strips whitespace, maps Unicode digits to ASCII, removes
   underscores that sit between digits, then parses.  Returns -1 with
   *ok = 0 (no exception) when the text is not a float literal. */
static double
parse_float_text(const char *s, Py_ssize_t len, int *ok)
{
    *ok = 0;
    while (len > 0 && (*s == ' ' || (*s >= '\t' && *s <= '\r'))) {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' ||
                       (s[len - 1] >= '\t' && s[len - 1] <= '\r'))) {
        len--;
    }
    if (len == 0) {
        return -1.0;
    }
    char stackbuf[256];
    char *buf = len < (Py_ssize_t)sizeof(stackbuf) ? stackbuf
                                                    : PyMem_Malloc(len + 1);
    if (buf == NULL) {
        return -1.0;
    }
    Py_ssize_t n = 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '_') {
            /* Only between two digits. */
            if (i == 0 || i == len - 1 || !(s[i - 1] >= '0' &&
                                            s[i - 1] <= '9') ||
                !(s[i + 1] >= '0' && s[i + 1] <= '9')) {
                goto fail;
            }
            continue;
        }
        if (c == '\0') {
            goto fail;
        }
        buf[n++] = c;
    }
    buf[n] = '\0';
    char *end;
    const char *p = buf;
    double x = _Py_parse_inf_or_nan(p, &end);
    if (end == p) {
        PyObject *exc = NULL;
        x = PyOS_string_to_double(p, &end, exc);
        if (x == -1.0 && PyErr_Occurred()) {
            PyErr_Clear();
            goto fail;
        }
    }
    if (*end != '\0') {
        goto fail;
    }
    if (buf != stackbuf) {
        PyMem_Free(buf);
    }
    *ok = 1;
    return x;
fail:
    if (buf != stackbuf) {
        PyMem_Free(buf);
    }
    return -1.0;
}

PyObject *
PyFloat_FromString(PyObject *v)
{
    const char *s;
    Py_ssize_t len;
    char *owned = NULL;
    Py_buffer view = {NULL, NULL};
    if (PyUnicode_Check(v)) {
        len = PyUnicode_GET_LENGTH(v);
        if (PyUnicode_IS_ASCII(v)) {
            s = (const char *)PyUnicode_DATA(v);
        }
        else {
            owned = PyMem_Malloc((size_t)len + 1);
            if (owned == NULL) {
                return PyErr_NoMemory();
            }
            int kind = PyUnicode_KIND(v);
            const void *data = PyUnicode_DATA(v);
            for (Py_ssize_t i = 0; i < len; i++) {
                Py_UCS4 ch = PyUnicode_READ(kind, data, i);
                if (ch < 128) {
                    owned[i] = (char)ch;
                }
                else if (_PyUnicode_IsWhitespace(ch)) {
                    owned[i] = ' ';
                }
                else if (_PyUnicode_ToDecimalDigit(ch) >= 0) {
                    owned[i] = (char)('0' + _PyUnicode_ToDecimalDigit(ch));
                }
                else {
                    owned[i] = '?';
                }
            }
            owned[len] = '\0';
            s = owned;
        }
    }
    else if (PyBytes_Check(v)) {
        s = PyBytes_AS_STRING(v);
        len = PyBytes_GET_SIZE(v);
    }
    else if (PyObject_GetBuffer(v, &view, PyBUF_SIMPLE) == 0) {
        s = view.buf;
        len = view.len;
    }
    else {
        PyErr_Format(PyExc_TypeError,
                     "float() argument must be a string or a real number, "
                     "not '%.200s'", Py_TYPE(v)->tp_name);
        return NULL;
    }
    int ok;
    double x = parse_float_text(s, len, &ok);
    PyMem_Free(owned);
    if (view.obj != NULL) {
        PyBuffer_Release(&view);
    }
    if (!ok) {
        if (!PyErr_Occurred()) {
            PyErr_Format(PyExc_ValueError,
                         "could not convert string to float: %R", v);
        }
        return NULL;
    }
    return PyFloat_FromDouble(x);
}

/* ------------------------------------------------------ arithmetic */

/* Converts an operand to double: 0 and *x, 1 if not a float or int
   (NotImplemented), -1 on error (int too large). */
static int
convert_to_double(PyObject *obj, double *x)
{
    if (PyFloat_Check(obj)) {
        *x = PyFloat_AS_DOUBLE(obj);
        return 0;
    }
    if (PyLong_Check(obj)) {
        *x = PyLong_AsDouble(obj);
        if (*x == -1.0 && PyErr_Occurred()) {
            return -1;
        }
        return 0;
    }
    return 1;
}

#define CONVERT(obj, x)                             \
    do {                                            \
        int r_ = convert_to_double((obj), &(x));    \
        if (r_ < 0) {                               \
            return NULL;                            \
        }                                           \
        if (r_ > 0) {                               \
            Py_RETURN_NOTIMPLEMENTED;               \
        }                                           \
    } while (0)

static PyObject *
float_add(PyObject *v, PyObject *w)
{
    double a, b;
    CONVERT(v, a);
    CONVERT(w, b);
    return PyFloat_FromDouble(a + b);
}

static PyObject *
float_sub(PyObject *v, PyObject *w)
{
    double a, b;
    CONVERT(v, a);
    CONVERT(w, b);
    return PyFloat_FromDouble(a - b);
}

static PyObject *
float_mul(PyObject *v, PyObject *w)
{
    double a, b;
    CONVERT(v, a);
    CONVERT(w, b);
    return PyFloat_FromDouble(a * b);
}

static PyObject *
float_div(PyObject *v, PyObject *w)
{
    double a, b;
    CONVERT(v, a);
    CONVERT(w, b);
    if (b == 0.0) {
        PyErr_SetString(PyExc_ZeroDivisionError, "float division by zero");
        return NULL;
    }
    return PyFloat_FromDouble(a / b);
}

/* Python's floor division and modulo: the remainder takes the sign of
   the divisor; the quotient is exact-ish floor((a - mod) / b). */
static void
float_divmod_impl(double vx, double wx, double *floordiv, double *mod)
{
    double m = fmod(vx, wx);
    double div = (vx - m) / wx;
    if (m != 0.0) {
        if ((wx < 0) != (m < 0)) {
            m += wx;
            div -= 1.0;
        }
    }
    else {
        m = copysign(0.0, wx);
    }
    double fd;
    if (div != 0.0) {
        fd = floor(div);
        if (div - fd > 0.5) {
            fd += 1.0;
        }
    }
    else {
        fd = copysign(0.0, vx / wx);
    }
    *floordiv = fd;
    *mod = m;
}

static PyObject *
float_floor_div(PyObject *v, PyObject *w)
{
    double a, b, q, m;
    CONVERT(v, a);
    CONVERT(w, b);
    if (b == 0.0) {
        PyErr_SetString(PyExc_ZeroDivisionError,
                        "float floor division by zero");
        return NULL;
    }
    float_divmod_impl(a, b, &q, &m);
    return PyFloat_FromDouble(q);
}

static PyObject *
float_rem(PyObject *v, PyObject *w)
{
    double a, b;
    CONVERT(v, a);
    CONVERT(w, b);
    if (b == 0.0) {
        PyErr_SetString(PyExc_ZeroDivisionError, "float modulo");
        return NULL;
    }
    double m = fmod(a, b);
    if (m != 0.0) {
        if ((b < 0) != (m < 0)) {
            m += b;
        }
    }
    else {
        m = copysign(0.0, b);
    }
    return PyFloat_FromDouble(m);
}

static PyObject *
float_divmod(PyObject *v, PyObject *w)
{
    double a, b, q, m;
    CONVERT(v, a);
    CONVERT(w, b);
    if (b == 0.0) {
        PyErr_SetString(PyExc_ZeroDivisionError, "float divmod()");
        return NULL;
    }
    float_divmod_impl(a, b, &q, &m);
    return Py_BuildValue("(dd)", q, m);
}

static PyObject *
overflow_errno(void)
{
    PyErr_SetObject(PyExc_OverflowError,
                    Py_BuildValue("(is)", ERANGE,
                                  "Numerical result out of range"));
    return NULL;
}

static PyObject *
float_pow(PyObject *v, PyObject *w, PyObject *z)
{
    if (z != Py_None && z != NULL) {
        PyErr_SetString(PyExc_TypeError,
                        "pow() 3rd argument not allowed unless all "
                        "arguments are integers");
        return NULL;
    }
    double iv, iw;
    CONVERT(v, iv);
    CONVERT(w, iw);
    if (iw == 0.0) {
        return PyFloat_FromDouble(1.0);
    }
    if (isnan(iv)) {
        return PyFloat_FromDouble(iv);
    }
    if (isnan(iw)) {
        return PyFloat_FromDouble(iv == 1.0 ? 1.0 : iw);
    }
    if (iv == 0.0 && iw < 0.0) {
        PyErr_SetString(PyExc_ZeroDivisionError,
                        "0.0 cannot be raised to a negative power");
        return NULL;
    }
    if (iv < 0.0 && isfinite(iv) && isfinite(iw) && iw != floor(iw)) {
        /* The result is complex: CPython delegates to complex.__pow__,
           which arrives with the complex type. */
        PyErr_SetString(PyExc_NotImplementedError,
                        "negative float to a fractional power needs "
                        "complex, which is not implemented yet");
        return NULL;
    }
    errno = 0;
    double ix = pow(iv, iw);
    if (isinf(ix) && isfinite(iv) && isfinite(iw) && iv != 0.0) {
        return overflow_errno();
    }
    return PyFloat_FromDouble(ix);
}

static PyObject *
float_neg(PyObject *v)
{
    return PyFloat_FromDouble(-PyFloat_AS_DOUBLE(v));
}

static PyObject *
float_abs(PyObject *v)
{
    return PyFloat_FromDouble(fabs(PyFloat_AS_DOUBLE(v)));
}

static PyObject *
float_float(PyObject *v)
{
    if (PyFloat_CheckExact(v)) {
        return Py_NewRef(v);
    }
    return PyFloat_FromDouble(PyFloat_AS_DOUBLE(v));
}

static int
float_bool(PyObject *v)
{
    return PyFloat_AS_DOUBLE(v) != 0.0;
}

static PyObject *
float_trunc(PyObject *v, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromDouble(PyFloat_AS_DOUBLE(v));
}

static PyObject *
float_int(PyObject *v)
{
    return PyLong_FromDouble(PyFloat_AS_DOUBLE(v));
}

static PyNumberMethods float_as_number = {
    .nb_add = float_add,
    .nb_subtract = float_sub,
    .nb_multiply = float_mul,
    .nb_remainder = float_rem,
    .nb_divmod = float_divmod,
    .nb_power = float_pow,
    .nb_negative = float_neg,
    .nb_positive = float_float,
    .nb_absolute = float_abs,
    .nb_bool = float_bool,
    .nb_int = float_int,
    .nb_float = float_float,
    .nb_floor_divide = float_floor_div,
    .nb_true_divide = float_div,
};

/* ------------------------------------------------------ comparison */

/* Exact comparison of int w with double v (finite): -1, 0, 1 for
   v <, ==, > w. */
static int
compare_double_int(double v, PyObject *w, int *err)
{
    *err = 0;
    int vsign = v == 0.0 ? 0 : (v < 0.0 ? -1 : 1);
    int wsign = _PyLong_Sign(w);
    if (vsign != wsign) {
        return vsign < wsign ? -1 : 1;
    }
    size_t nbits = _PyLong_NumBits(w);
    if (nbits <= 48) {
        double ww = PyLong_AsDouble(w);
        return v < ww ? -1 : (v > ww ? 1 : 0);
    }
    int exponent;
    frexp(v, &exponent);
    /* |v| < 2**exponent and |w| >= 2**(nbits - 1). */
    if (exponent < 0 || (size_t)exponent < nbits) {
        return vsign > 0 ? -1 : 1;    /* |v| < |w| */
    }
    if ((size_t)exponent > nbits) {
        return vsign > 0 ? 1 : -1;    /* |v| > |w| */
    }
    /* Same bit length: compare the integer parts exactly, then the
       fraction decides. */
    double intpart;
    double fracpart = modf(v, &intpart);
    PyObject *iv = PyLong_FromDouble(intpart);
    if (iv == NULL) {
        *err = 1;
        return 0;
    }
    int c = _PyLong_Compare(iv, w);
    Py_DECREF(iv);
    if (c != 0) {
        return c;
    }
    return fracpart > 0.0 ? 1 : (fracpart < 0.0 ? -1 : 0);
}

static PyObject *
float_richcompare(PyObject *v, PyObject *w, int op)
{
    double i = PyFloat_AS_DOUBLE(v), j;
    if (PyFloat_Check(w)) {
        j = PyFloat_AS_DOUBLE(w);
    }
    else if (PyLong_Check(w)) {
        if (isnan(i)) {
            return PyBool_FromLong(op == Py_NE);
        }
        if (isinf(i)) {
            j = 0.0;    /* only the sign of i matters */
            int c = i > 0 ? 1 : -1;
            Py_RETURN_RICHCOMPARE(c, 0, op);
        }
        int err;
        int c = compare_double_int(i, w, &err);
        if (err) {
            return NULL;
        }
        Py_RETURN_RICHCOMPARE(c, 0, op);
    }
    else {
        Py_RETURN_NOTIMPLEMENTED;
    }
    int r;
    switch (op) {
    case Py_EQ: r = i == j; break;
    case Py_NE: r = i != j; break;
    case Py_LT: r = i < j; break;
    case Py_LE: r = i <= j; break;
    case Py_GT: r = i > j; break;
    case Py_GE: r = i >= j; break;
    default: r = 0; break;
    }
    return PyBool_FromLong(r);
}

int
_PyLong_CompareDouble(PyObject *v, double w)
{
    int err;
    int c = compare_double_int(w, v, &err);
    return -c;
}

static Py_hash_t
float_hash(PyObject *v)
{
    return _Py_HashDouble(v, PyFloat_AS_DOUBLE(v));
}

/* ------------------------------------------------------ methods */

static PyObject *
float_is_integer(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    double x = PyFloat_AS_DOUBLE(self);
    if (!isfinite(x)) {
        Py_RETURN_FALSE;
    }
    return PyBool_FromLong(floor(x) == x);
}

static PyObject *
float_as_integer_ratio(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    double x = PyFloat_AS_DOUBLE(self);
    if (isinf(x)) {
        PyErr_SetString(PyExc_OverflowError,
                        "cannot convert Infinity to integer ratio");
        return NULL;
    }
    if (isnan(x)) {
        PyErr_SetString(PyExc_ValueError,
                        "cannot convert NaN to integer ratio");
        return NULL;
    }
    int exponent;
    double m = frexp(x, &exponent);
    /* Scale the mantissa to an integer (at most 300 doublings). */
    for (int i = 0; i < 300 && m != floor(m); i++) {
        m *= 2.0;
        exponent--;
    }
    PyObject *num = PyLong_FromDouble(m);
    if (num == NULL) {
        return NULL;
    }
    PyObject *den = _PyLong_GetOne();
    PyObject *res = NULL;
    if (exponent > 0) {
        PyObject *n2 = _PyLong_Lshift(num, (size_t)exponent);
        Py_DECREF(num);
        num = n2;
    }
    else {
        den = _PyLong_Lshift(den, (size_t)-exponent);
    }
    if (num != NULL && den != NULL) {
        res = PyTuple_Pack(2, num, den);
    }
    Py_XDECREF(num);
    Py_XDECREF(den);
    return res;
}

/* round(x, ndigits), correctly rounded: ties go to even on the exact
   binary value (so round(2.675, 2) == 2.67). */
static PyObject *
double_round(double x, Py_ssize_t ndigits)
{
    if (ndigits > 323) {
        return PyFloat_FromDouble(x);
    }
    if (ndigits < -308) {
        return PyFloat_FromDouble(0.0 * x);
    }
    if (!isfinite(x) || x == 0.0) {
        return PyFloat_FromDouble(x);
    }
    double r;
    if (ndigits >= 0) {
        char buf[700];
        snprintf(buf, sizeof(buf), "%.*f", (int)ndigits, x);
        r = strtod(buf, NULL);
    }
    else {
        /* x = p / q exactly; round p / (q * 10**-ndigits) to even. */
        PyObject *fx = PyFloat_FromDouble(x);
        if (fx == NULL) {
            return NULL;
        }
        PyObject *ratio = float_as_integer_ratio(fx, NULL);
        Py_DECREF(fx);
        if (ratio == NULL) {
            return NULL;
        }
        PyObject *p = PyTuple_GET_ITEM(ratio, 0);
        PyObject *q = PyTuple_GET_ITEM(ratio, 1);
        PyObject *ten = PyLong_FromLong(10);
        PyObject *k = PyLong_FromSsize_t(-ndigits);
        PyObject *pow10 = _PyLong_Pow(ten, k, Py_None);
        Py_DECREF(k);
        PyObject *den = pow10 ? PyNumber_Multiply(q, pow10) : NULL;
        PyObject *qr = den ? _PyLong_DivmodNear(p, den) : NULL;
        PyObject *res = qr ? PyNumber_Multiply(PyTuple_GET_ITEM(qr, 0),
                                               pow10) : NULL;
        Py_XDECREF(qr);
        Py_XDECREF(den);
        Py_XDECREF(pow10);
        Py_DECREF(ratio);
        if (res == NULL) {
            return NULL;
        }
        r = PyLong_AsDouble(res);
        Py_DECREF(res);
        if (r == -1.0 && PyErr_Occurred()) {
            PyErr_SetString(PyExc_OverflowError,
                            "rounded value too large to represent");
            return NULL;
        }
        r = copysign(r, x);
    }
    if (isinf(r)) {
        PyErr_SetString(PyExc_OverflowError,
                        "rounded value too large to represent");
        return NULL;
    }
    return PyFloat_FromDouble(r);
}

static PyObject *
float_round(PyObject *self, PyObject *args)
{
    PyObject *o_ndigits = Py_None;
    if (!PyArg_UnpackTuple(args, "__round__", 0, 1, &o_ndigits)) {
        return NULL;
    }
    double x = PyFloat_AS_DOUBLE(self);
    if (o_ndigits == Py_None) {
        double rounded = round(x);
        if (fabs(x - rounded) == 0.5) {
            rounded = 2.0 * round(x / 2.0);
        }
        return PyLong_FromDouble(rounded);
    }
    Py_ssize_t ndigits = PyNumber_AsSsize_t(o_ndigits, NULL);
    if (ndigits == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return double_round(x, ndigits);
}

static PyObject *
float_floor(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromDouble(floor(PyFloat_AS_DOUBLE(self)));
}

static PyObject *
float_ceil(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromDouble(ceil(PyFloat_AS_DOUBLE(self)));
}

static PyObject *
float_conjugate(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return float_float(self);
}

/* float.hex(): [-]0x<lead>.<13 hex digits>p<exp>; 0 as 0x0.0p+0. */
static PyObject *
float_hex(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    double x = PyFloat_AS_DOUBLE(self);
    if (isnan(x) || isinf(x)) {
        return float_repr(self);
    }
    char buf[64];
    const char *sign = signbit(x) ? "-" : "";
    if (x == 0.0) {
        snprintf(buf, sizeof(buf), "%s0x0.0p+0", sign);
        return PyUnicode_FromString(buf);
    }
    uint64_t bits;
    memcpy(&bits, &x, sizeof(bits));
    int biased = (int)((bits >> 52) & 0x7ff);
    uint64_t mant = bits & ((1ULL << 52) - 1);
    int lead = biased == 0 ? 0 : 1;
    int e = biased == 0 ? -1022 : biased - 1023;
    snprintf(buf, sizeof(buf), "%s0x%d.%013llxp%c%d", sign, lead,
             (unsigned long long)mant, e < 0 ? '-' : '+', e < 0 ? -e : e);
    return PyUnicode_FromString(buf);
}

static int
hex_digit(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = (char)(c | 0x20);
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

/* float.fromhex(): the value mantissa * 2**exp rounded once, half to
   even, to a double (also in the subnormal range). */
static PyObject *
float_fromhex(PyObject *type, PyObject *string)
{
    Py_ssize_t len;
    const char *s = PyUnicode_Check(string) ?
                    PyUnicode_AsUTF8AndSize(string, &len) : NULL;
    if (s == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_Format(PyExc_TypeError,
                         "fromhex() argument must be str, not %.50s",
                         Py_TYPE(string)->tp_name);
        }
        return NULL;
    }
    const char *end = s + len;
    while (s < end && (*s == ' ' || (*s >= '\t' && *s <= '\r'))) {
        s++;
    }
    while (end > s && (end[-1] == ' ' ||
                       (end[-1] >= '\t' && end[-1] <= '\r'))) {
        end--;
    }
    double x;
    char *p;
    x = _Py_parse_inf_or_nan(s, &p);
    if (p != s) {
        if (p != end) {
            goto parse_error;
        }
        goto done;
    }
    int negative = 0;
    p = (char *)s;
    if (p < end && (*p == '+' || *p == '-')) {
        negative = *p == '-';
        p++;
    }
    if (end - p >= 2 && p[0] == '0' && (p[1] | 0x20) == 'x') {
        p += 2;
    }
    uint64_t mant = 0;
    int sticky = 0, ndigits = 0, seen_dot = 0, started = 0;
    int64_t exp = 0;
    while (p < end) {
        if (*p == '.') {
            if (seen_dot) {
                goto parse_error;
            }
            seen_dot = 1;
            p++;
            continue;
        }
        int d = hex_digit(*p);
        if (d < 0) {
            break;
        }
        ndigits++;
        p++;
        if (!started && d == 0) {
            if (seen_dot) {
                exp -= 4;
            }
            continue;
        }
        started = 1;
        if (mant >> 56) {
            /* Keep 60 significant bits; the rest only matters as sticky. */
            sticky |= d != 0;
            if (!seen_dot) {
                exp += 4;
            }
        }
        else {
            mant = (mant << 4) | (uint64_t)d;
            if (seen_dot) {
                exp -= 4;
            }
        }
    }
    if (ndigits == 0) {
        goto parse_error;
    }
    if (p < end && (*p | 0x20) == 'p') {
        p++;
        int eneg = 0;
        if (p < end && (*p == '+' || *p == '-')) {
            eneg = *p == '-';
            p++;
        }
        if (p >= end || *p < '0' || *p > '9') {
            goto parse_error;
        }
        int64_t e = 0;
        while (p < end && *p >= '0' && *p <= '9') {
            if (e < 100000000) {
                e = e * 10 + (*p - '0');
            }
            p++;
        }
        exp += eneg ? -e : e;
    }
    if (p != end) {
        goto parse_error;
    }
    if (mant == 0) {
        x = negative ? -0.0 : 0.0;
        goto done;
    }
    /* value = (mant + sticky fraction) * 2**exp; round to the bit
       2**minexp where minexp is the lowest bit a double keeps there. */
    int top = 63 - __builtin_clzll(mant);
    int64_t topexp = top + exp;
    if (topexp > 1023) {
        goto overflow;
    }
    int64_t minexp = topexp < -1022 ? -1074 : topexp - 52;
    int64_t shift = minexp - exp;
    if (shift > 0) {
        if (shift > 63) {
            sticky |= mant != 0;
            mant = 0;
        }
        else {
            uint64_t half = 1ULL << (shift - 1);
            uint64_t rest = mant & ((half << 1) - 1);
            mant >>= shift;
            if (rest > half || (rest == half && (sticky || (mant & 1)))) {
                mant++;
            }
        }
        exp = minexp;
    }
    x = ldexp((double)mant, (int)exp);
    if (isinf(x)) {
        goto overflow;
    }
    if (negative) {
        x = -x;
    }
done:
    if (type == (PyObject *)&PyFloat_Type) {
        return PyFloat_FromDouble(x);
    }
    PyObject *f = PyFloat_FromDouble(x);
    if (f == NULL) {
        return NULL;
    }
    Py_SETREF(f, PyObject_CallOneArg(type, f));
    return f;
overflow:
    PyErr_SetString(PyExc_OverflowError,
                    "hexadecimal value too large to represent as a float");
    return NULL;
parse_error:
    PyErr_SetString(PyExc_ValueError,
                    "invalid hexadecimal floating-point string");
    return NULL;
}

static PyObject *
float_getformat(PyObject *type, PyObject *arg)
{
    if (!PyUnicode_Check(arg)) {
        PyErr_Format(PyExc_TypeError,
                     "__getformat__() argument must be str, not %.50s",
                     Py_TYPE(arg)->tp_name);
        return NULL;
    }
    if (!_PyUnicode_EqualToASCIIString(arg, "double") &&
        !_PyUnicode_EqualToASCIIString(arg, "float")) {
        PyErr_SetString(PyExc_ValueError,
                        "__getformat__() argument 1 must be 'double' or "
                        "'float'");
        return NULL;
    }
    return PyUnicode_FromString("IEEE, little-endian");
}

static PyObject *
float_getnewargs(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("(d)", PyFloat_AS_DOUBLE(self));
}

static PyObject *
float_format(PyObject *self, PyObject *spec)
{
    if (!PyUnicode_Check(spec)) {
        PyErr_Format(PyExc_TypeError,
                     "__format__() argument must be str, not %.50s",
                     Py_TYPE(spec)->tp_name);
        return NULL;
    }
    return _PyFloat_FormatSpec(self, spec);
}

static PyMethodDef float_methods[] = {
    {"conjugate", float_conjugate, METH_NOARGS, NULL},
    {"__trunc__", float_trunc, METH_NOARGS, NULL},
    {"__floor__", float_floor, METH_NOARGS, NULL},
    {"__ceil__", float_ceil, METH_NOARGS, NULL},
    {"__round__", float_round, METH_VARARGS, NULL},
    {"as_integer_ratio", float_as_integer_ratio, METH_NOARGS, NULL},
    {"fromhex", float_fromhex, METH_O | METH_CLASS, NULL},
    {"hex", float_hex, METH_NOARGS, NULL},
    {"is_integer", float_is_integer, METH_NOARGS, NULL},
    {"__getnewargs__", float_getnewargs, METH_NOARGS, NULL},
    {"__getformat__", float_getformat, METH_O | METH_CLASS, NULL},
    {"__format__", float_format, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static PyObject *
float_get_real(PyObject *self, void *Py_UNUSED(context))
{
    return float_float(self);
}

static PyObject *
float_get_imag(PyObject *self, void *Py_UNUSED(context))
{
    return PyFloat_FromDouble(0.0);
}

static PyGetSetDef float_getset[] = {
    {"real", float_get_real, NULL, "the real part of a complex number",
     NULL},
    {"imag", float_get_imag, NULL, "the imaginary part of a complex number",
     NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyObject *
float_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *x = NULL;
    if (kwds != NULL && PyDict_Check(kwds) && PyDict_Size(kwds) != 0) {
        PyErr_SetString(PyExc_TypeError,
                        "float() takes no keyword arguments");
        return NULL;
    }
    if (!PyArg_UnpackTuple(args, "float", 0, 1, &x)) {
        return NULL;
    }
    PyObject *f;
    if (x == NULL) {
        f = PyFloat_FromDouble(0.0);
    }
    else if (PyUnicode_CheckExact(x)) {
        f = PyFloat_FromString(x);
    }
    else {
        f = PyNumber_Float(x);
    }
    if (f == NULL || type == &PyFloat_Type) {
        return f;
    }
    PyObject *sub = type->tp_alloc(type, 0);
    if (sub != NULL) {
        ((PyFloatObject *)sub)->ob_fval = PyFloat_AS_DOUBLE(f);
    }
    Py_DECREF(f);
    return sub;
}

static const char float_doc[] =
"float(x=0, /)\n--\n\nConvert a string or number to a floating point "
"number, if possible.";

PyTypeObject PyFloat_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "float",
    .tp_basicsize = sizeof(PyFloatObject),
    .tp_dealloc = float_dealloc,
    .tp_repr = float_repr,
    .tp_as_number = &float_as_number,
    .tp_hash = float_hash,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE |
                _Py_TPFLAGS_MATCH_SELF,
    .tp_doc = float_doc,
    .tp_richcompare = float_richcompare,
    .tp_methods = float_methods,
    .tp_getset = float_getset,
    .tp_new = float_new,
    .tp_free = PyObject_Free,
};

int
_PyFloat_InitTypes(void)
{
    return PyType_Ready(&PyFloat_Type);
}

/* ------------------------------------------------------ pack/unpack */

static void
store_bytes(char *p, const unsigned char *src, int n, int le)
{
    /* src is little-endian. */
    for (int i = 0; i < n; i++) {
        p[i] = (char)src[le ? i : n - 1 - i];
    }
}

static void
load_bytes(unsigned char *dst, const char *p, int n, int le)
{
    for (int i = 0; i < n; i++) {
        dst[le ? i : n - 1 - i] = (unsigned char)p[i];
    }
}

int
PyFloat_Pack8(double x, char *p, int le)
{
    unsigned char b[8];
    uint64_t bits;
    memcpy(&bits, &x, 8);
    for (int i = 0; i < 8; i++) {
        b[i] = (unsigned char)(bits >> (8 * i));
    }
    store_bytes(p, b, 8, le);
    return 0;
}

int
PyFloat_Pack4(double x, char *p, int le)
{
    float y = (float)x;
    if (isinf(y) && !isinf(x)) {
        PyErr_SetString(PyExc_OverflowError,
                        "float too large to pack with f format");
        return -1;
    }
    uint32_t bits;
    memcpy(&bits, &y, 4);
    unsigned char b[4];
    for (int i = 0; i < 4; i++) {
        b[i] = (unsigned char)(bits >> (8 * i));
    }
    store_bytes(p, b, 4, le);
    return 0;
}

/* IEEE binary16: round half to even into 10 mantissa bits, subnormals
   below 2**-14, OverflowError past 65504 (values that round to 65520 and
   up overflow). */
int
PyFloat_Pack2(double x, char *p, int le)
{
    unsigned short sign = signbit(x) ? 1 : 0;
    int e;
    unsigned short bits;
    if (isnan(x)) {
        e = 0x1f;
        bits = 512;
    }
    else if (isinf(x)) {
        e = 0x1f;
        bits = 0;
    }
    else if (x == 0.0) {
        e = 0;
        bits = 0;
    }
    else {
        double f = frexp(fabs(x), &e);
        f *= 2.0;       /* 1 <= f < 2, x = f * 2**(e-1) */
        e--;
        if (e >= 16) {
            goto overflow;
        }
        if (e < -25) {
            f = 0.0;
            e = 0;
        }
        else if (e < -14) {
            f = ldexp(f, 14 + e);
            e = 0;
        }
        else {
            e += 15;
            f -= 1.0;
        }
        f *= 1024.0;
        bits = (unsigned short)f;
        f -= bits;
        if (f > 0.5 || (f == 0.5 && (bits & 1))) {
            bits++;
            if (bits == 1024) {
                bits = 0;
                e++;
                if (e == 31) {
                    goto overflow;
                }
            }
        }
    }
    bits = (unsigned short)(bits | (e << 10) | (sign << 15));
    unsigned char b[2] = {(unsigned char)bits, (unsigned char)(bits >> 8)};
    store_bytes(p, b, 2, le);
    return 0;
overflow:
    PyErr_SetString(PyExc_OverflowError,
                    "float too large to pack with e format");
    return -1;
}

double
PyFloat_Unpack8(const char *p, int le)
{
    unsigned char b[8];
    load_bytes(b, p, 8, le);
    uint64_t bits = 0;
    for (int i = 7; i >= 0; i--) {
        bits = (bits << 8) | b[i];
    }
    double x;
    memcpy(&x, &bits, 8);
    return x;
}

double
PyFloat_Unpack4(const char *p, int le)
{
    unsigned char b[4];
    load_bytes(b, p, 4, le);
    uint32_t bits = 0;
    for (int i = 3; i >= 0; i--) {
        bits = (bits << 8) | b[i];
    }
    float x;
    memcpy(&x, &bits, 4);
    return x;
}

double
PyFloat_Unpack2(const char *p, int le)
{
    unsigned char b[2];
    load_bytes(b, p, 2, le);
    unsigned int bits = (unsigned int)(b[0] | (b[1] << 8));
    int sign = (bits >> 15) & 1;
    int e = (bits >> 10) & 0x1f;
    unsigned int m = bits & 0x3ff;
    double x;
    if (e == 0x1f) {
        x = m == 0 ? INFINITY : NAN;
    }
    else if (e == 0) {
        x = ldexp((double)m, -24);
    }
    else {
        x = ldexp((double)(m + 1024), e - 25);
    }
    return sign ? -x : x;
}
