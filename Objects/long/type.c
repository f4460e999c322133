/* The int type object: construction, methods (bit_length, to_bytes,
 * from_bytes, ...), attributes, and readiness at startup. */
#include "Python.h"
#include "bytearrayobject.h"
#include "pycore_long.h"
#include "pycore_formatter.h"

extern PyNumberMethods _PyLong_AsNumber;
PyObject *_PyLong_RichCompare(PyObject *a, PyObject *b, int op);
PyObject *_PyLong_Repr(PyObject *obj);

static void
long_dealloc(PyObject *op)
{
    Py_TYPE(op)->tp_free(op);
}

/* int(x, base) for an explicit base. */
static PyObject *
long_from_base(PyObject *x, PyObject *obase)
{
    Py_ssize_t base = PyNumber_AsSsize_t(obase, NULL);
    if (base == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if ((base != 0 && base < 2) || base > 36) {
        PyErr_SetString(PyExc_ValueError,
                        "int() base must be >= 2 and <= 36, or 0");
        return NULL;
    }
    if (PyUnicode_Check(x)) {
        return PyLong_FromUnicodeObject(x, (int)base);
    }
    if (PyBytes_Check(x)) {
        return _PyLong_FromBytes(PyBytes_AS_STRING(x), PyBytes_GET_SIZE(x),
                                 (int)base);
    }
    if (PyByteArray_Check(x)) {
        PyObject *b = PyBytes_FromObject(x);
        if (b == NULL) {
            return NULL;
        }
        PyObject *r = _PyLong_FromBytes(PyBytes_AS_STRING(b),
                                        PyBytes_GET_SIZE(b), (int)base);
        Py_DECREF(b);
        return r;
    }
    PyErr_SetString(PyExc_TypeError,
                    "int() can't convert non-string with explicit base");
    return NULL;
}

static PyObject *
long_new_exact(PyObject *x, PyObject *obase)
{
    if (x == NULL) {
        if (obase != NULL) {
            PyErr_SetString(PyExc_TypeError, "int() missing string argument");
            return NULL;
        }
        return _PyLong_GetZero();
    }
    if (obase == NULL) {
        return PyNumber_Long(x);
    }
    return long_from_base(x, obase);
}

/* An instance of an int subclass with the value of the exact int tmp. */
static PyObject *
long_subtype_new(PyTypeObject *type, PyObject *tmp)
{
    PyLongObject *v = (PyLongObject *)tmp;
    Py_ssize_t n = _PyLong_DigitCount(v);
    PyLongObject *newobj = (PyLongObject *)type->tp_alloc(type, n ? n : 1);
    if (newobj == NULL) {
        return NULL;
    }
    newobj->ob_base.ob_size = v->ob_base.ob_size;
    memcpy(newobj->ob_digit, v->ob_digit, (size_t)n * sizeof(digit));
    if (n == 0) {
        newobj->ob_digit[0] = 0;
    }
    return (PyObject *)newobj;
}

static PyObject *
long_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"", "base", NULL};
    PyObject *x = NULL, *obase = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|OO:int", kwlist, &x,
                                     &obase)) {
        return NULL;
    }
    PyObject *v = long_new_exact(x, obase);
    if (v == NULL || type == &PyLong_Type) {
        return v;
    }
    if (!PyLong_Check(v)) {
        Py_DECREF(v);
        PyErr_SetString(PyExc_SystemError, "int() did not return an int");
        return NULL;
    }
    PyObject *res = long_subtype_new(type, v);
    Py_DECREF(v);
    return res;
}

static Py_hash_t
long_hash(PyObject *v)
{
    return _PyLong_Hash(v);
}

/* ------------------------------------------------------ methods */

static PyObject *
int_bit_length(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromSize_t(_PyLong_NumBits(self));
}

static PyObject *
int_bit_count(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyLongObject *v = (PyLongObject *)self;
    size_t count = 0;
    for (Py_ssize_t i = 0; i < _PyLong_DigitCount(v); i++) {
        count += (size_t)__builtin_popcount(v->ob_digit[i]);
    }
    return PyLong_FromSize_t(count);
}

static int
parse_byteorder(PyObject *byteorder, int *little)
{
    if (byteorder == NULL) {
        *little = 0;
        return 0;
    }
    if (!PyUnicode_Check(byteorder)) {
        PyErr_Format(PyExc_TypeError,
                     "to_bytes() argument 'byteorder' must be str, not %.50s",
                     Py_TYPE(byteorder)->tp_name);
        return -1;
    }
    if (_PyUnicode_EqualToASCIIString(byteorder, "little")) {
        *little = 1;
    }
    else if (_PyUnicode_EqualToASCIIString(byteorder, "big")) {
        *little = 0;
    }
    else {
        PyErr_SetString(PyExc_ValueError,
                        "byteorder must be either 'little' or 'big'");
        return -1;
    }
    return 0;
}

static PyObject *
int_to_bytes(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"length", "byteorder", "signed", NULL};
    Py_ssize_t length = 1;
    PyObject *byteorder = NULL;
    int is_signed = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|nO$p:to_bytes", kwlist,
                                     &length, &byteorder, &is_signed)) {
        return NULL;
    }
    int little;
    if (parse_byteorder(byteorder, &little) < 0) {
        return NULL;
    }
    if (length < 0) {
        PyErr_SetString(PyExc_ValueError,
                        "length argument must be non-negative");
        return NULL;
    }
    PyObject *bytes = PyBytes_FromStringAndSize(NULL, length);
    if (bytes == NULL) {
        return NULL;
    }
    if (_PyLong_AsByteArray((PyLongObject *)self,
                            (unsigned char *)PyBytes_AS_STRING(bytes),
                            (size_t)length, little, is_signed) < 0) {
        Py_DECREF(bytes);
        return NULL;
    }
    return bytes;
}

static PyObject *
int_from_bytes(PyObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"bytes", "byteorder", "signed", NULL};
    PyObject *obj, *byteorder = NULL;
    int is_signed = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|O$p:from_bytes", kwlist,
                                     &obj, &byteorder, &is_signed)) {
        return NULL;
    }
    int little;
    if (parse_byteorder(byteorder, &little) < 0) {
        return NULL;
    }
    PyObject *bytes = PyObject_Bytes(obj);
    if (bytes == NULL) {
        return NULL;
    }
    PyObject *v = _PyLong_FromByteArray(
        (const unsigned char *)PyBytes_AS_STRING(bytes),
        (size_t)PyBytes_GET_SIZE(bytes), little, is_signed);
    Py_DECREF(bytes);
    if (v != NULL && type != (PyObject *)&PyLong_Type) {
        Py_SETREF(v, PyObject_CallOneArg(type, v));
    }
    return v;
}

static PyObject *
int_as_integer_ratio(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *num = _PyLong_Copy((PyLongObject *)self);
    if (num == NULL) {
        return NULL;
    }
    return Py_BuildValue("(NO)", num, _PyLong_GetOne());
}

static PyObject *
int_self(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return _PyLong_Copy((PyLongObject *)self);
}

/* round(x, ndigits) for negative ndigits: x rounded to a multiple of
   10**-ndigits, ties to even. */
static PyObject *
int_round(PyObject *self, PyObject *args)
{
    PyObject *o_ndigits = NULL;
    if (!PyArg_UnpackTuple(args, "__round__", 0, 1, &o_ndigits)) {
        return NULL;
    }
    if (o_ndigits == NULL) {
        return _PyLong_Copy((PyLongObject *)self);
    }
    PyObject *ndigits = PyNumber_Index(o_ndigits);
    if (ndigits == NULL) {
        return NULL;
    }
    if (_PyLong_Sign(ndigits) >= 0) {
        Py_DECREF(ndigits);
        return _PyLong_Copy((PyLongObject *)self);
    }
    PyObject *neg = _PyLong_Negate(ndigits);
    Py_DECREF(ndigits);
    if (neg == NULL) {
        return NULL;
    }
    PyObject *ten = PyLong_FromLong(10);
    PyObject *pow10 = _PyLong_Pow(ten, neg, Py_None);
    Py_DECREF(neg);
    if (pow10 == NULL) {
        return NULL;
    }
    PyObject *qr = _PyLong_DivmodNear(self, pow10);
    if (qr == NULL) {
        Py_DECREF(pow10);
        return NULL;
    }
    PyObject *res = _PyLong_Multiply(
        (PyLongObject *)PyTuple_GET_ITEM(qr, 0), (PyLongObject *)pow10);
    Py_DECREF(qr);
    Py_DECREF(pow10);
    return res;
}

/* (q, r) with a == q*b + r and |r| <= |b|/2, ties to even q. */
PyObject *
_PyLong_DivmodNear(PyObject *a, PyObject *b)
{
    PyObject *qr = _PyLong_Divmod(a, b);
    if (qr == NULL) {
        return NULL;
    }
    PyObject *q = Py_NewRef(PyTuple_GET_ITEM(qr, 0));
    PyObject *r = Py_NewRef(PyTuple_GET_ITEM(qr, 1));
    Py_DECREF(qr);
    /* Floor division leaves 0 <= r < b (for b > 0); compare 2r with b. */
    PyObject *twice_r = _PyLong_Lshift(r, 1);
    if (twice_r == NULL) {
        goto error;
    }
    int b_neg = _PyLong_Sign(b) < 0;
    int c = _PyLong_Compare(twice_r, b);
    Py_DECREF(twice_r);
    int greater = b_neg ? c < 0 : c > 0;
    if (greater || (c == 0 && _PyLong_IsOdd((PyLongObject *)q))) {
        PyObject *q2 = _PyLong_Add((PyLongObject *)q,
                                   (PyLongObject *)_PyLong_GetOne());
        PyObject *r2 = _PyLong_Subtract((PyLongObject *)r,
                                        (PyLongObject *)b);
        Py_SETREF(q, q2);
        Py_SETREF(r, r2);
        if (q == NULL || r == NULL) {
            goto error;
        }
    }
    return Py_BuildValue("(NN)", q, r);
error:
    Py_XDECREF(q);
    Py_XDECREF(r);
    return NULL;
}

static PyObject *
int_format(PyObject *self, PyObject *spec)
{
    if (!PyUnicode_Check(spec)) {
        PyErr_Format(PyExc_TypeError,
                     "__format__() argument must be str, not %.50s",
                     Py_TYPE(spec)->tp_name);
        return NULL;
    }
    return _PyLong_FormatSpec(self, spec);
}

static PyObject *
int_getnewargs(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *v = _PyLong_Copy((PyLongObject *)self);
    if (v == NULL) {
        return NULL;
    }
    return Py_BuildValue("(N)", v);
}

static PyObject *
int_sizeof(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    Py_ssize_t n = _PyLong_DigitCount((PyLongObject *)self);
    return PyLong_FromSsize_t((Py_ssize_t)offsetof(PyLongObject, ob_digit) +
                              (n ? n : 1) * (Py_ssize_t)sizeof(digit));
}

static PyMethodDef long_methods[] = {
    {"conjugate", int_self, METH_NOARGS, NULL},
    {"bit_length", int_bit_length, METH_NOARGS, NULL},
    {"bit_count", int_bit_count, METH_NOARGS, NULL},
    {"to_bytes", _PyCFunction_CAST(int_to_bytes),
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"from_bytes", _PyCFunction_CAST(int_from_bytes),
     METH_VARARGS | METH_KEYWORDS | METH_CLASS, NULL},
    {"as_integer_ratio", int_as_integer_ratio, METH_NOARGS, NULL},
    {"__trunc__", int_self, METH_NOARGS, NULL},
    {"__floor__", int_self, METH_NOARGS, NULL},
    {"__ceil__", int_self, METH_NOARGS, NULL},
    {"__round__", int_round, METH_VARARGS, NULL},
    {"__getnewargs__", int_getnewargs, METH_NOARGS, NULL},
    {"__format__", int_format, METH_O, NULL},
    {"__sizeof__", int_sizeof, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyObject *
int_get_self(PyObject *self, void *Py_UNUSED(context))
{
    return _PyLong_Copy((PyLongObject *)self);
}

static PyObject *
int_get_zero(PyObject *self, void *Py_UNUSED(context))
{
    return _PyLong_GetZero();
}

static PyObject *
int_get_one(PyObject *self, void *Py_UNUSED(context))
{
    return _PyLong_GetOne();
}

static PyGetSetDef long_getset[] = {
    {"real", int_get_self, NULL, "the real part of a complex number", NULL},
    {"imag", int_get_zero, NULL, "the imaginary part of a complex number",
     NULL},
    {"numerator", int_get_self, NULL,
     "the numerator of a rational number in lowest terms", NULL},
    {"denominator", int_get_one, NULL,
     "the denominator of a rational number in lowest terms", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static const char long_doc[] =
"int([x]) -> integer\n"
"int(x, base=10) -> integer\n"
"\n"
"Convert a number or string to an integer, or return 0 if no arguments\n"
"are given.  If x is a number, return x.__int__().  For floating point\n"
"numbers, this truncates towards zero.\n"
"\n"
"If x is not a number or if base is given, then x must be a string,\n"
"bytes, or bytearray instance representing an integer literal in the\n"
"given base.  The literal can be preceded by '+' or '-' and be surrounded\n"
"by whitespace.  The base defaults to 10.  Valid bases are 0 and 2-36.\n"
"Base 0 means to interpret the base from the string as an integer "
"literal.\n"
">>> int('0b100', base=0)\n"
"4";

PyTypeObject PyLong_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "int",
    .tp_basicsize = offsetof(PyLongObject, ob_digit),
    .tp_itemsize = sizeof(digit),
    .tp_dealloc = long_dealloc,
    .tp_repr = _PyLong_Repr,
    .tp_as_number = &_PyLong_AsNumber,
    .tp_hash = long_hash,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE |
                Py_TPFLAGS_LONG_SUBCLASS | _Py_TPFLAGS_MATCH_SELF,
    .tp_doc = long_doc,
    .tp_richcompare = _PyLong_RichCompare,
    .tp_methods = long_methods,
    .tp_getset = long_getset,
    .tp_new = long_new,
    .tp_free = PyObject_Free,
};

int
_PyLong_InitTypes(void)
{
    return PyType_Ready(&PyLong_Type);
}

/* sys.int_info */
PyObject *
PyLong_GetInfo(void)
{
    return Py_BuildValue("(iiii)", PyLong_SHIFT, (int)sizeof(digit),
                         _PY_LONG_DEFAULT_MAX_STR_DIGITS,
                         _PY_LONG_MAX_STR_DIGITS_THRESHOLD);
}
