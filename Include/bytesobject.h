/* bytes (Objects/bytesobject.c).  Immutable once published: no locking.
   ob_shash caches the hash (-1 until computed; relaxed atomic, every
   thread computes the same value). */
#ifndef Py_BYTESOBJECT_H
#define Py_BYTESOBJECT_H

#include <stdarg.h>
#include "object.h"

typedef struct {
    PyObject_VAR_HEAD
    Py_hash_t ob_shash;
    char ob_sval[1];    /* ob_size + 1 bytes, ob_sval[ob_size] == 0 */
} PyBytesObject;

PyAPI_DATA(PyTypeObject) PyBytes_Type;
PyAPI_DATA(PyTypeObject) PyBytesIter_Type;

#define PyBytes_Check(op) \
    PyType_HasFeature(Py_TYPE(op), Py_TPFLAGS_BYTES_SUBCLASS)
#define PyBytes_CheckExact(op) Py_IS_TYPE((op), &PyBytes_Type)

static inline char *
PyBytes_AS_STRING(PyObject *op)
{
    return ((PyBytesObject *)op)->ob_sval;
}
#define PyBytes_AS_STRING(op) PyBytes_AS_STRING(_PyObject_CAST(op))

static inline Py_ssize_t
PyBytes_GET_SIZE(PyObject *op)
{
    return Py_SIZE(op);
}
#define PyBytes_GET_SIZE(op) PyBytes_GET_SIZE(_PyObject_CAST(op))

/* New references; NULL with an exception on failure.  FromStringAndSize
   with v == NULL returns uninitialised contents for the caller to fill
   before anyone else sees the object. */
PyAPI_FUNC(PyObject *) PyBytes_FromStringAndSize(const char *v,
                                                 Py_ssize_t len);
PyAPI_FUNC(PyObject *) PyBytes_FromString(const char *v);
PyAPI_FUNC(PyObject *) PyBytes_FromObject(PyObject *o);
PyAPI_FUNC(PyObject *) PyBytes_FromFormatV(const char *format,
                                           va_list vargs);
PyAPI_FUNC(PyObject *) PyBytes_FromFormat(const char *format, ...);
PyAPI_FUNC(Py_ssize_t) PyBytes_Size(PyObject *o);
/* Borrowed pointer into the object. */
PyAPI_FUNC(char *) PyBytes_AsString(PyObject *o);
PyAPI_FUNC(int) PyBytes_AsStringAndSize(PyObject *obj, char **buffer,
                                        Py_ssize_t *length);
PyAPI_FUNC(PyObject *) PyBytes_Repr(PyObject *o, int smartquotes);
/* *bytes = *bytes + newpart; steals *bytes (NULL on error). */
PyAPI_FUNC(void) PyBytes_Concat(PyObject **bytes, PyObject *newpart);
/* The same, and steals newpart. */
PyAPI_FUNC(void) PyBytes_ConcatAndDel(PyObject **bytes, PyObject *newpart);
/* Resizes a bytes object only its caller knows about. */
PyAPI_FUNC(int) _PyBytes_Resize(PyObject **bytes, Py_ssize_t newsize);
PyAPI_FUNC(PyObject *) PyBytes_DecodeEscape(const char *s, Py_ssize_t len,
                                            const char *errors,
                                            Py_ssize_t unicode,
                                            const char *recode_encoding);
PyAPI_FUNC(PyObject *) _PyBytes_Join(PyObject *sep, PyObject *iterable);

#endif /* !Py_BYTESOBJECT_H */
