/* bytearray (Objects/bytearrayobject.c).  Mutable: every mutation runs in
   a critical section on the object; see the comment at the top of the .c
   file for what reads without a lock. */
#ifndef Py_BYTEARRAYOBJECT_H
#define Py_BYTEARRAYOBJECT_H

#include "object.h"

typedef struct {
    PyObject_VAR_HEAD
    Py_ssize_t ob_alloc;    /* bytes allocated in ob_bytes */
    char *ob_bytes;         /* the buffer */
    char *ob_start;         /* logical start inside ob_bytes */
    Py_ssize_t ob_exports;  /* buffer exports: no resizing while > 0 */
} PyByteArrayObject;

PyAPI_DATA(PyTypeObject) PyByteArray_Type;
PyAPI_DATA(PyTypeObject) PyByteArrayIter_Type;
PyAPI_DATA(char) _PyByteArray_empty_string[];

#define PyByteArray_Check(self) \
    (Py_IS_TYPE((self), &PyByteArray_Type) || \
     PyType_IsSubtype(Py_TYPE(self), &PyByteArray_Type))
#define PyByteArray_CheckExact(self) Py_IS_TYPE((self), &PyByteArray_Type)

static inline char *
PyByteArray_AS_STRING(PyObject *op)
{
    PyByteArrayObject *self = (PyByteArrayObject *)op;
    if (Py_SIZE(self)) {
        return self->ob_start;
    }
    return _PyByteArray_empty_string;
}
#define PyByteArray_AS_STRING(self) PyByteArray_AS_STRING(_PyObject_CAST(self))

static inline Py_ssize_t
PyByteArray_GET_SIZE(PyObject *op)
{
    return Py_SIZE(op);
}
#define PyByteArray_GET_SIZE(self) PyByteArray_GET_SIZE(_PyObject_CAST(self))

/* New references. */
PyAPI_FUNC(PyObject *) PyByteArray_FromObject(PyObject *o);
PyAPI_FUNC(PyObject *) PyByteArray_FromStringAndSize(const char *string,
                                                     Py_ssize_t len);
PyAPI_FUNC(PyObject *) PyByteArray_Concat(PyObject *a, PyObject *b);
PyAPI_FUNC(Py_ssize_t) PyByteArray_Size(PyObject *bytearray);
/* Borrowed pointer; valid until the next resize. */
PyAPI_FUNC(char *) PyByteArray_AsString(PyObject *bytearray);
PyAPI_FUNC(int) PyByteArray_Resize(PyObject *bytearray, Py_ssize_t len);

#endif /* !Py_BYTEARRAYOBJECT_H */
