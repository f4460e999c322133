/* int: arbitrary-precision integers (Objects/longobject.c).
 *
 * The layout is CPython 3.11's: ob_size holds the number of 30-bit digits,
 * negated for a negative number, and 0 for zero; ob_digit holds the
 * magnitude, least significant digit first, with no leading zero digit.
 * bool (Objects/boolobject.c) subclasses int with this layout.  Ints are
 * immutable: no locking anywhere. */
#ifndef Py_LONGOBJECT_H
#define Py_LONGOBJECT_H

#include "object.h"

typedef uint32_t digit;
typedef int32_t sdigit;
typedef uint64_t twodigits;
typedef int64_t stwodigits;

#define PyLong_SHIFT 30
#define _PyLong_DECIMAL_SHIFT 9
#define _PyLong_DECIMAL_BASE ((digit)1000000000)
#define PyLong_BASE ((digit)1 << PyLong_SHIFT)
#define PyLong_MASK ((digit)(PyLong_BASE - 1))

struct _longobject {
    PyObject_VAR_HEAD
    digit ob_digit[1];
};
typedef struct _longobject PyLongObject;

PyAPI_DATA(PyTypeObject) PyLong_Type;

#define PyLong_Check(op) \
    PyType_HasFeature(Py_TYPE(op), Py_TPFLAGS_LONG_SUBCLASS)
#define PyLong_CheckExact(op) Py_IS_TYPE((op), &PyLong_Type)

/* Creation: new references, NULL with MemoryError on failure. */
PyAPI_FUNC(PyObject *) PyLong_FromLong(long v);
PyAPI_FUNC(PyObject *) PyLong_FromUnsignedLong(unsigned long v);
PyAPI_FUNC(PyObject *) PyLong_FromLongLong(long long v);
PyAPI_FUNC(PyObject *) PyLong_FromUnsignedLongLong(unsigned long long v);
PyAPI_FUNC(PyObject *) PyLong_FromSsize_t(Py_ssize_t v);
PyAPI_FUNC(PyObject *) PyLong_FromSize_t(size_t v);
PyAPI_FUNC(PyObject *) PyLong_FromDouble(double v);
PyAPI_FUNC(PyObject *) PyLong_FromVoidPtr(void *p);
PyAPI_FUNC(PyObject *) PyLong_FromString(const char *str, char **pend,
                                         int base);
PyAPI_FUNC(PyObject *) PyLong_FromUnicodeObject(PyObject *u, int base);

/* Conversion: OverflowError when out of range, TypeError for a non-int
   (the signed ones call __index__). */
PyAPI_FUNC(long) PyLong_AsLong(PyObject *obj);
PyAPI_FUNC(long) PyLong_AsLongAndOverflow(PyObject *obj, int *overflow);
PyAPI_FUNC(long long) PyLong_AsLongLong(PyObject *obj);
PyAPI_FUNC(long long) PyLong_AsLongLongAndOverflow(PyObject *obj,
                                                   int *overflow);
PyAPI_FUNC(Py_ssize_t) PyLong_AsSsize_t(PyObject *pylong);
PyAPI_FUNC(size_t) PyLong_AsSize_t(PyObject *pylong);
PyAPI_FUNC(unsigned long) PyLong_AsUnsignedLong(PyObject *pylong);
PyAPI_FUNC(unsigned long long) PyLong_AsUnsignedLongLong(PyObject *pylong);
PyAPI_FUNC(unsigned long) PyLong_AsUnsignedLongMask(PyObject *obj);
PyAPI_FUNC(unsigned long long) PyLong_AsUnsignedLongLongMask(PyObject *obj);
PyAPI_FUNC(double) PyLong_AsDouble(PyObject *pylong);
PyAPI_FUNC(void *) PyLong_AsVoidPtr(PyObject *pylong);
PyAPI_FUNC(int) _PyLong_AsInt(PyObject *obj);

PyAPI_FUNC(PyObject *) PyLong_GetInfo(void);

/* Helpers other parts of the runtime use (CPython has the same ones). */
PyAPI_FUNC(int) _PyLong_Sign(PyObject *v);
PyAPI_FUNC(size_t) _PyLong_NumBits(PyObject *v);
PyAPI_FUNC(double) _PyLong_Frexp(PyLongObject *a, Py_ssize_t *e);
/* n bytes, little_endian/is_signed as int.from_bytes; new reference. */
PyAPI_FUNC(PyObject *) _PyLong_FromByteArray(const unsigned char *bytes,
                                             size_t n, int little_endian,
                                             int is_signed);
/* 0, or -1 with OverflowError when v does not fit. */
PyAPI_FUNC(int) _PyLong_AsByteArray(PyLongObject *v, unsigned char *bytes,
                                    size_t n, int little_endian,
                                    int is_signed);
/* str(v) / format(v, base-prefix) as a str; new reference. */
PyAPI_FUNC(PyObject *) _PyLong_Format(PyObject *obj, int base);
PyAPI_FUNC(PyObject *) _PyLong_Copy(PyLongObject *src);
PyAPI_FUNC(PyObject *) _PyLong_GCD(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) _PyLong_Lshift(PyObject *a, size_t shiftby);
PyAPI_FUNC(PyObject *) _PyLong_Rshift(PyObject *a, size_t shiftby);
/* Exact comparison of an int with a double: -1, 0, 1. */
PyAPI_FUNC(int) _PyLong_CompareDouble(PyObject *v, double w);

/* Arithmetic entry points (also the nb_* slots); new references. */
PyAPI_FUNC(PyObject *) _PyLong_Add(PyLongObject *a, PyLongObject *b);
PyAPI_FUNC(PyObject *) _PyLong_Subtract(PyLongObject *a, PyLongObject *b);
PyAPI_FUNC(PyObject *) _PyLong_Multiply(PyLongObject *a, PyLongObject *b);

/* Borrowed: the cached small int for -5 <= v <= 256 (immortal). */
#define _PY_NSMALLPOSINTS 257
#define _PY_NSMALLNEGINTS 5
PyAPI_FUNC(PyObject *) _PyLong_GetSmallInt(int v);
/* Borrowed, immortal: 0 and 1. */
PyAPI_FUNC(PyObject *) _PyLong_GetZero(void);
PyAPI_FUNC(PyObject *) _PyLong_GetOne(void);

/* The limit on decimal digits in int<->str conversions (PEP 3.11
   "int_max_str_digits"; 0 = no limit).  Per interpreter. */
#define _PY_LONG_DEFAULT_MAX_STR_DIGITS 4300
#define _PY_LONG_MAX_STR_DIGITS_THRESHOLD 640
PyAPI_FUNC(int) _PyLong_GetMaxStrDigits(void);
/* 0, or -1 with ValueError for 0 < maxdigits < 640. */
PyAPI_FUNC(int) _PyLong_SetMaxStrDigits(int maxdigits);

/* Digit access for code that wants it (CPython's longintrepr.h). */
static inline Py_ssize_t
_PyLong_DigitCount(const PyLongObject *op)
{
    Py_ssize_t n = op->ob_base.ob_size;
    return n < 0 ? -n : n;
}

#endif /* !Py_LONGOBJECT_H */
