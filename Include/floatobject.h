/* float: IEEE 754 binary64 (Objects/floatobject.c).  Immutable: no
   locking. */
#ifndef Py_FLOATOBJECT_H
#define Py_FLOATOBJECT_H

#include <math.h>
#include "object.h"

typedef struct {
    PyObject_HEAD
    double ob_fval;
} PyFloatObject;

PyAPI_DATA(PyTypeObject) PyFloat_Type;

#define PyFloat_Check(op) \
    (Py_IS_TYPE((op), &PyFloat_Type) || \
     PyType_IsSubtype(Py_TYPE(op), &PyFloat_Type))
#define PyFloat_CheckExact(op) Py_IS_TYPE((op), &PyFloat_Type)

static inline double
PyFloat_AS_DOUBLE(PyObject *op)
{
    return ((PyFloatObject *)op)->ob_fval;
}
#define PyFloat_AS_DOUBLE(op) PyFloat_AS_DOUBLE(_PyObject_CAST(op))

#define Py_RETURN_NAN return PyFloat_FromDouble(Py_NAN)
#define Py_RETURN_INF(sign)                          \
    do {                                             \
        if (copysign(1., (sign)) == 1.) {            \
            return PyFloat_FromDouble(Py_HUGE_VAL);  \
        }                                            \
        return PyFloat_FromDouble(-Py_HUGE_VAL);     \
    } while (0)

#ifndef Py_HUGE_VAL
#  define Py_HUGE_VAL HUGE_VAL
#endif
#ifndef Py_NAN
#  define Py_NAN ((double)NAN)
#endif
#ifndef Py_INFINITY
#  define Py_INFINITY ((double)INFINITY)
#endif

/* New references. */
PyAPI_FUNC(PyObject *) PyFloat_FromDouble(double v);
/* float(str) for a str or bytes-like object; ValueError if malformed. */
PyAPI_FUNC(PyObject *) PyFloat_FromString(PyObject *v);
/* __float__ or __index__; -1.0 with an exception set on failure. */
PyAPI_FUNC(double) PyFloat_AsDouble(PyObject *op);

PyAPI_FUNC(double) PyFloat_GetMax(void);
PyAPI_FUNC(double) PyFloat_GetMin(void);
PyAPI_FUNC(PyObject *) PyFloat_GetInfo(void);

/* IEEE pack/unpack as the struct module uses them (le: little endian). */
PyAPI_FUNC(int) PyFloat_Pack2(double x, char *p, int le);
PyAPI_FUNC(int) PyFloat_Pack4(double x, char *p, int le);
PyAPI_FUNC(int) PyFloat_Pack8(double x, char *p, int le);
PyAPI_FUNC(double) PyFloat_Unpack2(const char *p, int le);
PyAPI_FUNC(double) PyFloat_Unpack4(const char *p, int le);
PyAPI_FUNC(double) PyFloat_Unpack8(const char *p, int le);

/* repr(float) as a str; new reference. */
PyAPI_FUNC(PyObject *) _PyFloat_Repr(double x);

#endif /* !Py_FLOATOBJECT_H */
