/* complex: a pair of IEEE 754 binary64 numbers.  Immutable: no locking.
 *
 * Arithmetic follows 3.11: division by Smith's method, integer powers
 * with |n| <= 100 by repeated squaring, other powers in polar form.
 * Hashes of complex numbers with a zero imaginary part equal the hashes of
 * the equal floats and ints; the imaginary part's hash is multiplied by
 * _PyHASH_IMAG.  repr writes each part as the shortest float that reads
 * back (Python/pystrtod.c); __format__ lives in
 * Objects/unicode/complexformat.c. */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_long.h"
#include "pycore_typeobject.h"
#include "pycore_unicodeobject.h"
#include "pycore_unicodectype.h"
#include "pycore_global_strings.h"
#include "complexobject.h"
#include "structmember.h"
#include "pystrtod.h"

#include <errno.h>
#include <math.h>

static const Py_complex c_1 = {1.0, 0.0};

/* ------------------------------------------------------ C arithmetic */

Py_complex
_Py_c_sum(Py_complex a, Py_complex b)
{
    Py_complex r = {a.real + b.real, a.imag + b.imag};
    return r;
}

Py_complex
_Py_c_diff(Py_complex a, Py_complex b)
{
    Py_complex r = {a.real - b.real, a.imag - b.imag};
    return r;
}

Py_complex
_Py_c_neg(Py_complex a)
{
    Py_complex r = {-a.real, -a.imag};
    return r;
}

Py_complex
_Py_c_prod(Py_complex a, Py_complex b)
{
    Py_complex r = {a.real * b.real - a.imag * b.imag,
                    a.real * b.imag + a.imag * b.real};
    return r;
}

/* Smith's method: divide by the larger component of b first so that the
   intermediate products neither overflow nor lose precision needlessly. */
Py_complex
_Py_c_quot(Py_complex a, Py_complex b)
{
    Py_complex r;
    double abs_re = fabs(b.real), abs_im = fabs(b.imag);
    if (abs_re >= abs_im) {
        if (abs_re == 0.0) {
            errno = EDOM;
            r.real = r.imag = 0.0;
            return r;
        }
        double ratio = b.imag / b.real;
        double denom = b.real + b.imag * ratio;
        r.real = (a.real + a.imag * ratio) / denom;
        r.imag = (a.imag - a.real * ratio) / denom;
    }
    else if (abs_im >= abs_re) {
        double ratio = b.real / b.imag;
        double denom = b.real * ratio + b.imag;
        r.real = (a.real * ratio + a.imag) / denom;
        r.imag = (a.imag * ratio - a.real) / denom;
    }
    else {
        /* A NaN in b. */
        r.real = r.imag = Py_NAN;
    }
    return r;
}

/* a ** b in polar form; 0 ** (negative or complex) sets EDOM. */
Py_complex
_Py_c_pow(Py_complex a, Py_complex b)
{
    Py_complex r;
    if (b.real == 0.0 && b.imag == 0.0) {
        return c_1;
    }
    if (a.real == 0.0 && a.imag == 0.0) {
        if (b.imag != 0.0 || b.real < 0.0) {
            errno = EDOM;
        }
        r.real = r.imag = 0.0;
        return r;
    }
    double vabs = hypot(a.real, a.imag);
    double len = pow(vabs, b.real);
    double at = atan2(a.imag, a.real);
    double phase = at * b.real;
    if (b.imag != 0.0) {
        len /= exp(at * b.imag);
        phase += b.imag * log(vabs);
    }
    r.real = len * cos(phase);
    r.imag = len * sin(phase);
    return r;
}

/* x ** n for n >= 0 by repeated squaring. */
static Py_complex
c_powu(Py_complex x, long n)
{
    Py_complex r = c_1, p = x;
    long mask = 1;
    while (mask > 0 && n >= mask) {
        if (n & mask) {
            r = _Py_c_prod(r, p);
        }
        mask <<= 1;
        p = _Py_c_prod(p, p);
    }
    return r;
}

/* x ** n for an integral n, as 3.11 computes it (n <= 100 in size). */
static Py_complex
c_powi(Py_complex x, long n)
{
    if (n > 0) {
        return c_powu(x, n);
    }
    return _Py_c_quot(c_1, c_powu(x, -n));
}

double
_Py_c_abs(Py_complex z)
{
    if (!isfinite(z.real) || !isfinite(z.imag)) {
        /* An infinite part wins over a NaN (C99 Annex G). */
        if (isinf(z.real)) {
            errno = 0;
            return fabs(z.real);
        }
        if (isinf(z.imag)) {
            errno = 0;
            return fabs(z.imag);
        }
        return Py_NAN;
    }
    double result = hypot(z.real, z.imag);
    errno = isfinite(result) ? 0 : ERANGE;
    return result;
}

/* ------------------------------------------------------ construction */

/* A new complex of exact type `type` or a subclass; new reference. */
static PyObject *
complex_subtype_from_c_complex(PyTypeObject *type, Py_complex val)
{
    PyObject *op = type->tp_alloc(type, 0);
    if (op != NULL) {
        ((PyComplexObject *)op)->cval = val;
    }
    return op;
}

PyObject *
PyComplex_FromCComplex(Py_complex val)
{
    PyComplexObject *op = PyObject_Malloc(sizeof(PyComplexObject));
    if (op == NULL) {
        return PyErr_NoMemory();
    }
    _PyObject_InitHeader((PyObject *)op, &PyComplex_Type);
    op->cval = val;
    return (PyObject *)op;
}

PyObject *
PyComplex_FromDoubles(double real, double imag)
{
    Py_complex c = {real, imag};
    return PyComplex_FromCComplex(c);
}

static void
complex_dealloc(PyObject *op)
{
    Py_TYPE(op)->tp_free(op);
}

static inline Py_complex
cval(PyObject *op)
{
    return ((PyComplexObject *)op)->cval;
}

double
PyComplex_RealAsDouble(PyObject *op)
{
    if (PyComplex_Check(op)) {
        return cval(op).real;
    }
    return PyFloat_AsDouble(op);
}

double
PyComplex_ImagAsDouble(PyObject *op)
{
    if (PyComplex_Check(op)) {
        return cval(op).imag;
    }
    return 0.0;
}

/* type(op).__complex__(op) if defined: a new reference to a complex, NULL
   with no exception if there is no such method, NULL with an exception on
   error (including a result that is not a complex). */
static PyObject *
try_complex_special_method(PyObject *op)
{
    PyObject *meth = _PyObject_LookupSpecial(op, _Py_ID(__complex__));
    if (meth == NULL) {
        return NULL;
    }
    PyObject *res = PyObject_CallNoArgs(meth);
    Py_DECREF(meth);
    if (res == NULL || PyComplex_CheckExact(res)) {
        return res;
    }
    if (!PyComplex_Check(res)) {
        PyErr_Format(PyExc_TypeError,
                     "__complex__ returned non-complex (type %.200s)",
                     Py_TYPE(res)->tp_name);
        Py_DECREF(res);
        return NULL;
    }
    if (PyErr_WarnFormat(PyExc_DeprecationWarning, 1,
            "__complex__ returned non-complex (type %.200s).  "
            "The ability to return an instance of a strict subclass of "
            "complex is deprecated, and may be removed in a future version "
            "of Python.", Py_TYPE(res)->tp_name) < 0) {
        Py_DECREF(res);
        return NULL;
    }
    return res;
}

Py_complex
PyComplex_AsCComplex(PyObject *op)
{
    Py_complex c = {-1.0, 0.0};
    if (op == NULL) {
        PyErr_BadArgument();
        return c;
    }
    if (PyComplex_Check(op)) {
        return cval(op);
    }
    PyObject *res = try_complex_special_method(op);
    if (res != NULL) {
        c = cval(res);
        Py_DECREF(res);
        return c;
    }
    if (PyErr_Occurred()) {
        return c;
    }
    c.real = PyFloat_AsDouble(op);
    return c;
}

/* ------------------------------------------------------ text */

/* One part in repr form: shortest round-trip digits, no ".0". */
static char *
part_repr(double x, int flags)
{
    return PyOS_double_to_string(x, 'r', 0, flags, NULL);
}

/* "1j" when the real part is +0.0, else "(re+imj)". */
static PyObject *
complex_repr(PyObject *self)
{
    Py_complex c = cval(self);
    char *re = NULL, *im = NULL;
    PyObject *res = NULL;
    int skip_re = c.real == 0.0 && copysign(1.0, c.real) == 1.0;
    if (!skip_re) {
        re = part_repr(c.real, 0);
        if (re == NULL) {
            return NULL;
        }
    }
    im = part_repr(c.imag, skip_re ? 0 : Py_DTSF_SIGN);
    if (im == NULL) {
        goto done;
    }
    if (skip_re) {
        res = PyUnicode_FromFormat("%sj", im);
    }
    else {
        res = PyUnicode_FromFormat("(%s%sj)", re, im);
    }
done:
    PyMem_Free(re);
    PyMem_Free(im);
    return res;
}

/* Copies the text into a NUL-terminated ASCII buffer for parsing: strips
   nothing, maps Unicode whitespace to ' ' and Unicode decimal digits to
   ASCII digits; other non-ASCII characters become '?' (never valid).
   PyMem_Malloc'd, or NULL with MemoryError.  *len gets the length. */
static char *
text_to_ascii(PyObject *v, Py_ssize_t *len)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(v);
    char *buf = PyMem_Malloc((size_t)n + 1);
    if (buf == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    int kind = PyUnicode_KIND(v);
    const void *data = PyUnicode_DATA(v);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch < 128) {
            buf[i] = (char)ch;
        }
        else if (_PyUnicode_IsWhitespace(ch)) {
            buf[i] = ' ';
        }
        else if (_PyUnicode_ToDecimalDigit(ch) >= 0) {
            buf[i] = (char)('0' + _PyUnicode_ToDecimalDigit(ch));
        }
        else {
            buf[i] = '?';
        }
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int
is_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static int
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Removes underscores in place; each must sit between two digits.
   Returns 0, or -1 (no exception) if an underscore is misplaced. */
static int
remove_underscores(char *s, Py_ssize_t *len)
{
    Py_ssize_t n = *len, out = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (s[i] == '_') {
            if (i == 0 || i == n - 1 || !is_digit(s[i - 1]) ||
                !is_digit(s[i + 1])) {
                return -1;
            }
            continue;
        }
        s[out++] = s[i];
    }
    s[out] = '\0';
    *len = out;
    return 0;
}

/* Parses a float at *p (sign included) and moves *p past it; 0, or -1 if
   there is no number there (no exception). */
static int
parse_part(const char **p, double *x)
{
    char *end;
    *x = PyOS_string_to_double(*p, &end, NULL);
    if (end == *p) {
        PyErr_Clear();
        return -1;
    }
    *p = end;
    return 0;
}

/* The grammar of complex(str) after whitespace and parentheses:
       real | imag | real ('+' | '-') imag
   where imag is [float] ('j' | 'J') and a bare sign before 'j' means 1.
   Returns 0 with *c set, or -1 if malformed (no exception). */
static int
parse_complex_body(const char *s, Py_complex *c)
{
    const char *p = s;
    double x, y;
    c->real = c->imag = 0.0;
    if (parse_part(&p, &x) < 0) {
        /* "j", "+j", "-j" */
        double sign = 1.0;
        if (*p == '+' || *p == '-') {
            sign = *p == '-' ? -1.0 : 1.0;
            p++;
        }
        if (*p != 'j' && *p != 'J') {
            return -1;
        }
        c->imag = sign;
        p++;
    }
    else if (*p == 'j' || *p == 'J') {
        c->imag = x;
        p++;
    }
    else if (*p == '+' || *p == '-') {
        c->real = x;
        if (parse_part(&p, &y) < 0) {
            y = *p == '-' ? -1.0 : 1.0;
            p++;
        }
        if (*p != 'j' && *p != 'J') {
            return -1;
        }
        c->imag = y;
        p++;
    }
    else {
        c->real = x;
    }
    return *p == '\0' ? 0 : -1;
}

/* Strips whitespace and one pair of parentheses (with whitespace inside)
   from buf[0:len] in place; returns the start of the body, NULL if the
   parentheses do not match. */
static char *
strip_complex_text(char *buf, Py_ssize_t len)
{
    char *s = buf, *e = buf + len;
    while (s < e && is_space(*s)) {
        s++;
    }
    while (e > s && is_space(e[-1])) {
        e--;
    }
    if (s < e && *s == '(') {
        if (e[-1] != ')') {
            return NULL;
        }
        s++;
        e--;
        while (s < e && is_space(*s)) {
            s++;
        }
        while (e > s && is_space(e[-1])) {
            e--;
        }
    }
    *e = '\0';
    return s;
}

/* complex(str): new reference. */
static PyObject *
complex_from_string(PyTypeObject *type, PyObject *v)
{
    Py_ssize_t len;
    char *buf = text_to_ascii(v, &len);
    if (buf == NULL) {
        return NULL;
    }
    if (memchr(buf, '\0', (size_t)len) != NULL) {
        goto malformed;
    }
    if (memchr(buf, '_', (size_t)len) != NULL &&
        remove_underscores(buf, &len) < 0) {
        PyMem_Free(buf);
        PyErr_Format(PyExc_ValueError,
                     "could not convert string to complex: %R", v);
        return NULL;
    }
    char *s = strip_complex_text(buf, len);
    Py_complex c;
    if (s == NULL || parse_complex_body(s, &c) < 0) {
        goto malformed;
    }
    PyMem_Free(buf);
    return complex_subtype_from_c_complex(type, c);
malformed:
    PyMem_Free(buf);
    PyErr_SetString(PyExc_ValueError, "complex() arg is a malformed string");
    return NULL;
}

/* ------------------------------------------------------ complex() */

static int
has_real_conversion(PyObject *op)
{
    PyNumberMethods *nb = Py_TYPE(op)->tp_as_number;
    return nb != NULL && (nb->nb_float != NULL || nb->nb_index != NULL);
}

/* The first argument as a C complex: *is_complex says whether it carried
   an imaginary part (a complex or a __complex__ result).  0 or -1. */
static int
first_arg_value(PyObject *r, Py_complex *cr, int *is_complex)
{
    PyObject *res = try_complex_special_method(r);
    if (res != NULL) {
        *cr = cval(res);
        *is_complex = 1;
        Py_DECREF(res);
        return 0;
    }
    if (PyErr_Occurred()) {
        return -1;
    }
    if (PyComplex_Check(r)) {
        *cr = cval(r);
        *is_complex = 1;
        return 0;
    }
    PyObject *f = PyNumber_Float(r);
    if (f == NULL) {
        return -1;
    }
    cr->real = PyFloat_AS_DOUBLE(f);
    cr->imag = 0.0;
    *is_complex = 0;
    Py_DECREF(f);
    return 0;
}

/* The second argument as a C complex, like first_arg_value but without
   __complex__. */
static int
second_arg_value(PyObject *i, Py_complex *ci, int *is_complex)
{
    if (PyComplex_Check(i)) {
        *ci = cval(i);
        *is_complex = 1;
        return 0;
    }
    PyObject *f = PyNumber_Float(i);
    if (f == NULL) {
        return -1;
    }
    ci->real = PyFloat_AS_DOUBLE(f);
    ci->imag = 0.0;
    *is_complex = 0;
    Py_DECREF(f);
    return 0;
}

/* Checks the argument types with 3.11's messages; 0 or -1. */
static int
check_new_args(PyObject *r, PyObject *i)
{
    if (PyUnicode_Check(r)) {
        if (i != NULL) {
            PyErr_SetString(PyExc_TypeError, "complex() can't take second "
                            "arg if first is a string");
            return -1;
        }
        return 0;
    }
    if (i != NULL && PyUnicode_Check(i)) {
        PyErr_SetString(PyExc_TypeError,
                        "complex() second arg can't be a string");
        return -1;
    }
    if (!has_real_conversion(r) && !PyComplex_Check(r) &&
        _PyType_Lookup(Py_TYPE(r), _Py_ID(__complex__)) == NULL) {
        PyErr_Format(PyExc_TypeError, "complex() first argument must be a "
                     "string or a number, not '%.200s'",
                     Py_TYPE(r)->tp_name);
        return -1;
    }
    if (i != NULL && !has_real_conversion(i) && !PyComplex_Check(i)) {
        PyErr_Format(PyExc_TypeError, "complex() second argument must be a "
                     "number, not '%.200s'", Py_TYPE(i)->tp_name);
        return -1;
    }
    return 0;
}

/* complex(real=0, imag=0): the imaginary unit times a complex imag and
   the imaginary part of a complex real both fold into the result. */
static PyObject *
complex_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"real", "imag", NULL};
    PyObject *r = NULL, *i = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|OO:complex", kwlist,
                                     &r, &i)) {
        return NULL;
    }
    if (r == NULL) {
        r = _PyLong_GetZero();
    }
    if (check_new_args(r, i) < 0) {
        return NULL;
    }
    if (PyUnicode_Check(r)) {
        return complex_from_string(type, r);
    }
    if (PyComplex_CheckExact(r) && i == NULL && type == &PyComplex_Type) {
        return Py_NewRef(r);
    }
    Py_complex cr, ci = {0.0, 0.0};
    int cr_is_complex = 0, ci_is_complex = 0;
    if (first_arg_value(r, &cr, &cr_is_complex) < 0) {
        return NULL;
    }
    if (i != NULL && second_arg_value(i, &ci, &ci_is_complex) < 0) {
        return NULL;
    }
    /* (a+bj) + (c+dj)*1j == (a-d) + (b+c)j */
    if (ci_is_complex) {
        cr.real -= ci.imag;
    }
    if (cr_is_complex && i != NULL) {
        ci.real += cr.imag;
    }
    Py_complex res = {cr.real, i != NULL ? ci.real : cr.imag};
    return complex_subtype_from_c_complex(type, res);
}

/* ------------------------------------------------------ arithmetic */

/* Converts an operand: 0 and *c, 1 if not int/float/complex
   (NotImplemented), -1 on error (int too large for a float). */
static int
to_complex(PyObject *obj, Py_complex *c)
{
    if (PyComplex_Check(obj)) {
        *c = cval(obj);
        return 0;
    }
    if (PyFloat_Check(obj)) {
        c->real = PyFloat_AS_DOUBLE(obj);
        c->imag = 0.0;
        return 0;
    }
    if (PyLong_Check(obj)) {
        c->real = PyLong_AsDouble(obj);
        c->imag = 0.0;
        return c->real == -1.0 && PyErr_Occurred() ? -1 : 0;
    }
    return 1;
}

#define TO_COMPLEX(obj, c)                          \
    do {                                            \
        int r_ = to_complex((obj), &(c));           \
        if (r_ < 0) {                               \
            return NULL;                            \
        }                                           \
        if (r_ > 0) {                               \
            Py_RETURN_NOTIMPLEMENTED;               \
        }                                           \
    } while (0)

static PyObject *
complex_add(PyObject *v, PyObject *w)
{
    Py_complex a, b;
    TO_COMPLEX(v, a);
    TO_COMPLEX(w, b);
    return PyComplex_FromCComplex(_Py_c_sum(a, b));
}

static PyObject *
complex_sub(PyObject *v, PyObject *w)
{
    Py_complex a, b;
    TO_COMPLEX(v, a);
    TO_COMPLEX(w, b);
    return PyComplex_FromCComplex(_Py_c_diff(a, b));
}

static PyObject *
complex_mul(PyObject *v, PyObject *w)
{
    Py_complex a, b;
    TO_COMPLEX(v, a);
    TO_COMPLEX(w, b);
    return PyComplex_FromCComplex(_Py_c_prod(a, b));
}

static PyObject *
complex_div(PyObject *v, PyObject *w)
{
    Py_complex a, b;
    TO_COMPLEX(v, a);
    TO_COMPLEX(w, b);
    errno = 0;
    Py_complex q = _Py_c_quot(a, b);
    if (errno == EDOM) {
        PyErr_SetString(PyExc_ZeroDivisionError, "complex division by zero");
        return NULL;
    }
    return PyComplex_FromCComplex(q);
}

static PyObject *
complex_pow(PyObject *v, PyObject *w, PyObject *z)
{
    Py_complex a, b;
    TO_COMPLEX(v, a);
    TO_COMPLEX(w, b);
    if (z != Py_None) {
        PyErr_SetString(PyExc_ValueError, "complex modulo");
        return NULL;
    }
    errno = 0;
    Py_complex p;
    if (b.imag == 0.0 && b.real == floor(b.real) && fabs(b.real) <= 100.0) {
        p = c_powi(a, (long)b.real);
    }
    else {
        p = _Py_c_pow(a, b);
    }
    if (errno == EDOM) {
        PyErr_SetString(PyExc_ZeroDivisionError,
                        "0.0 to a negative or complex power");
        return NULL;
    }
    if (isinf(p.real) || isinf(p.imag)) {
        PyErr_SetString(PyExc_OverflowError, "complex exponentiation");
        return NULL;
    }
    return PyComplex_FromCComplex(p);
}

static PyObject *
complex_neg(PyObject *v)
{
    return PyComplex_FromCComplex(_Py_c_neg(cval(v)));
}

static PyObject *
complex_pos(PyObject *v)
{
    if (PyComplex_CheckExact(v)) {
        return Py_NewRef(v);
    }
    return PyComplex_FromCComplex(cval(v));
}

static PyObject *
complex_abs(PyObject *v)
{
    errno = 0;
    double result = _Py_c_abs(cval(v));
    if (errno == ERANGE) {
        PyErr_SetString(PyExc_OverflowError, "absolute value too large");
        return NULL;
    }
    return PyFloat_FromDouble(result);
}

static int
complex_bool(PyObject *v)
{
    Py_complex c = cval(v);
    return c.real != 0.0 || c.imag != 0.0;
}

/* ------------------------------------------------------ compare, hash */

/* Only == and != : equal to an int or float when the imaginary part is 0
   and the real part equals it exactly. */
static PyObject *
complex_richcompare(PyObject *v, PyObject *w, int op)
{
    if ((op != Py_EQ && op != Py_NE) || !PyComplex_Check(v)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    Py_complex a = cval(v);
    int equal;
    if (PyLong_Check(w)) {
        if (a.imag != 0.0) {
            equal = 0;
        }
        else {
            PyObject *re = PyFloat_FromDouble(a.real);
            if (re == NULL) {
                return NULL;
            }
            PyObject *res = PyObject_RichCompare(re, w, op);
            Py_DECREF(re);
            return res;
        }
    }
    else if (PyFloat_Check(w)) {
        equal = a.real == PyFloat_AS_DOUBLE(w) && a.imag == 0.0;
    }
    else if (PyComplex_Check(w)) {
        Py_complex b = cval(w);
        equal = a.real == b.real && a.imag == b.imag;
    }
    else {
        Py_RETURN_NOTIMPLEMENTED;
    }
    return PyBool_FromLong(op == Py_EQ ? equal : !equal);
}

static Py_hash_t
complex_hash(PyObject *v)
{
    Py_complex c = cval(v);
    Py_uhash_t hr = (Py_uhash_t)_Py_HashDouble(v, c.real);
    if (hr == (Py_uhash_t)-1) {
        return -1;
    }
    Py_uhash_t hi = (Py_uhash_t)_Py_HashDouble(v, c.imag);
    if (hi == (Py_uhash_t)-1) {
        return -1;
    }
    Py_uhash_t combined = hr + _PyHASH_IMAG * hi;
    if (combined == (Py_uhash_t)-1) {
        combined = (Py_uhash_t)-2;
    }
    return (Py_hash_t)combined;
}

/* ------------------------------------------------------ methods */

static PyObject *
complex_conjugate(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    Py_complex c = cval(self);
    c.imag = -c.imag;
    return PyComplex_FromCComplex(c);
}

static PyObject *
complex_getnewargs(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    Py_complex c = cval(self);
    return Py_BuildValue("(dd)", c.real, c.imag);
}

/* __complex__: self for an exact complex, else a plain copy. */
static PyObject *
complex_complex(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return complex_pos(self);
}

static PyObject *
complex_format(PyObject *self, PyObject *spec)
{
    if (!PyUnicode_Check(spec)) {
        PyErr_Format(PyExc_TypeError,
                     "__format__() argument must be str, not %.50s",
                     Py_TYPE(spec)->tp_name);
        return NULL;
    }
    return _PyComplex_FormatSpec(self, spec);
}

static PyMethodDef complex_methods[] = {
    {"conjugate", complex_conjugate, METH_NOARGS,
     "Return the complex conjugate of its argument. (3-4j).conjugate() == "
     "3+4j."},
    {"__complex__", complex_complex, METH_NOARGS,
     "Convert this value to exact type complex."},
    {"__getnewargs__", complex_getnewargs, METH_NOARGS, NULL},
    {"__format__", complex_format, METH_O,
     "Convert to a string according to format_spec."},
    {NULL, NULL, 0, NULL}
};

static PyMemberDef complex_members[] = {
    {"real", T_DOUBLE, offsetof(PyComplexObject, cval.real), READONLY,
     "the real part of a complex number"},
    {"imag", T_DOUBLE, offsetof(PyComplexObject, cval.imag), READONLY,
     "the imaginary part of a complex number"},
    {NULL, 0, 0, 0, NULL}
};

static PyNumberMethods complex_as_number = {
    .nb_add = complex_add,
    .nb_subtract = complex_sub,
    .nb_multiply = complex_mul,
    .nb_power = complex_pow,
    .nb_negative = complex_neg,
    .nb_positive = complex_pos,
    .nb_absolute = complex_abs,
    .nb_bool = complex_bool,
    .nb_true_divide = complex_div,
};

static const char complex_doc[] =
"complex(real=0, imag=0)\n--\n\n"
"Create a complex number from a real part and an optional imaginary "
"part.\n\n"
"This is equivalent to (real + imag*1j) where imag defaults to 0.";

PyTypeObject PyComplex_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "complex",
    .tp_basicsize = sizeof(PyComplexObject),
    .tp_dealloc = complex_dealloc,
    .tp_repr = complex_repr,
    .tp_as_number = &complex_as_number,
    .tp_hash = complex_hash,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE |
                _Py_TPFLAGS_MATCH_SELF,
    .tp_doc = complex_doc,
    .tp_richcompare = complex_richcompare,
    .tp_methods = complex_methods,
    .tp_members = complex_members,
    .tp_new = complex_new,
    .tp_free = PyObject_Free,
};

/* Readies the type; the builtins module calls it before it publishes
   `complex`.  0 or -1. */
int
_PyComplex_InitTypes(void)
{
    return PyType_Ready(&PyComplex_Type);
}
