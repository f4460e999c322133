/* Runtime-internal int helpers (Objects/longobject.c and the files of
   Objects/long/). */
#ifndef Py_INTERNAL_LONG_H
#define Py_INTERNAL_LONG_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "longobject.h"

/* A new int with room for `size` digits, magnitude uninitialised, ob_size
   set to size (the caller sets the sign and normalizes). */
PyAPI_FUNC(PyLongObject *) _PyLong_New(Py_ssize_t size);

/* Is op an int that fits in one digit (|op| < 2**30)? */
static inline int
_PyLong_IsCompact(const PyLongObject *op)
{
    Py_ssize_t n = op->ob_base.ob_size;
    return -1 <= n && n <= 1;
}

/* The value of a compact int. */
static inline stwodigits
_PyLong_CompactValue(const PyLongObject *op)
{
    Py_ssize_t n = op->ob_base.ob_size;
    return n * (stwodigits)op->ob_digit[0];
}

/* Karatsuba takes over above this many digits. */
#define _PyLong_KARATSUBA_CUTOFF 70

/* Startup: readies int (Py_Initialize calls it). */
PyAPI_FUNC(int) _PyLong_InitTypes(void);

/* int(str) for bytes-like input (used by int() and float()). */
PyAPI_FUNC(PyObject *) _PyLong_FromBytes(const char *s, Py_ssize_t len,
                                         int base);
/* Floor division and modulo of two ints (new references). */
PyAPI_FUNC(PyObject *) _PyLong_FloorDiv(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) _PyLong_Mod(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) _PyLong_DivmodNear(PyObject *a, PyObject *b);
/* a / b correctly rounded, as a C double; -1.0 with an exception set. */
PyAPI_FUNC(double) _PyLong_TrueDivideDouble(PyObject *a, PyObject *b);
/* -1, 0, 1 (no errors). */
PyAPI_FUNC(int) _PyLong_Compare(PyObject *a, PyObject *b);
/* Helpers shared by the files of Objects/long/ (new references). */
PyAPI_FUNC(PyObject *) _PyLong_Divmod(PyObject *a, PyObject *b);
/* |a| divided by |b|: quotient, and *pr the remainder (both >= 0). */
PyAPI_FUNC(PyObject *) _PyLong_MagDivrem(PyObject *a, PyObject *b,
                                         PyObject **pr);
PyAPI_FUNC(PyObject *) _PyLong_Negate(PyObject *v);
PyAPI_FUNC(PyObject *) _PyLong_Abs(PyObject *v);
/* op is '&', '|' or '^'. */
PyAPI_FUNC(PyObject *) _PyLong_Bitwise(PyObject *a, char op, PyObject *b);
PyAPI_FUNC(PyObject *) _PyLong_Invert(PyObject *v);
PyAPI_FUNC(Py_hash_t) _PyLong_Hash(PyObject *v);
PyAPI_FUNC(PyObject *) _PyLong_Pow(PyObject *v, PyObject *w, PyObject *x);

/* Subquadratic decimal conversions (Objects/long/bigtext.c): the
   base-10**9 limbs of |v| (a PyMem array of *n limbs, least significant
   first), and the int of validated decimal digits (underscores allowed). */
PyAPI_FUNC(uint32_t *) _PyLong_ToDecimalLimbs(PyLongObject *v,
                                              Py_ssize_t *n);
PyAPI_FUNC(PyObject *) _PyLong_FromDecimalDigits(const char *s,
                                                 Py_ssize_t n);

/* 1 if op is odd. */
static inline int
_PyLong_IsOdd(const PyLongObject *op)
{
    return op->ob_base.ob_size != 0 && (op->ob_digit[0] & 1);
}

#endif /* !Py_INTERNAL_LONG_H */
