/* complex: a pair of IEEE 754 binary64 numbers (Objects/complexobject.c).
   Immutable: no locking. */
#ifndef Py_COMPLEXOBJECT_H
#define Py_COMPLEXOBJECT_H

#include "object.h"

typedef struct {
    double real;
    double imag;
} Py_complex;

typedef struct {
    PyObject_HEAD
    Py_complex cval;
} PyComplexObject;

PyAPI_DATA(PyTypeObject) PyComplex_Type;

#define PyComplex_Check(op) PyObject_TypeCheck((op), &PyComplex_Type)
#define PyComplex_CheckExact(op) Py_IS_TYPE((op), &PyComplex_Type)

/* Arithmetic on C values.  _Py_c_quot and _Py_c_pow set errno to EDOM on
   a division by zero (0 to a negative or complex power); they never
   raise. */
PyAPI_FUNC(Py_complex) _Py_c_sum(Py_complex a, Py_complex b);
PyAPI_FUNC(Py_complex) _Py_c_diff(Py_complex a, Py_complex b);
PyAPI_FUNC(Py_complex) _Py_c_neg(Py_complex a);
PyAPI_FUNC(Py_complex) _Py_c_prod(Py_complex a, Py_complex b);
PyAPI_FUNC(Py_complex) _Py_c_quot(Py_complex a, Py_complex b);
PyAPI_FUNC(Py_complex) _Py_c_pow(Py_complex a, Py_complex b);
/* hypot of the parts; errno = ERANGE if finite parts overflow. */
PyAPI_FUNC(double) _Py_c_abs(Py_complex a);

/* New references. */
PyAPI_FUNC(PyObject *) PyComplex_FromCComplex(Py_complex v);
PyAPI_FUNC(PyObject *) PyComplex_FromDoubles(double real, double imag);

/* The parts of a complex; for any other object, PyComplex_RealAsDouble is
   PyFloat_AsDouble and PyComplex_ImagAsDouble is 0.0.  -1.0 with an
   exception set on failure. */
PyAPI_FUNC(double) PyComplex_RealAsDouble(PyObject *op);
PyAPI_FUNC(double) PyComplex_ImagAsDouble(PyObject *op);
/* The value of a complex, or of __complex__ / __float__ / __index__;
   real part -1.0 with an exception set on failure. */
PyAPI_FUNC(Py_complex) PyComplex_AsCComplex(PyObject *op);

/* format(complex, spec) (Objects/unicode/complexformat.c); spec must be a
   str.  New reference. */
PyAPI_FUNC(PyObject *) _PyComplex_FormatSpec(PyObject *obj, PyObject *spec);

#endif /* !Py_COMPLEXOBJECT_H */
