/* Bound methods: a function bound to an instance
 * (Objects/classobject.c).  CPython 3.11's documented API.  Immutable. */
#ifndef Py_CLASSOBJECT_H
#define Py_CLASSOBJECT_H

typedef struct {
    PyObject_HEAD
    PyObject *im_func;      /* owned */
    PyObject *im_self;      /* owned */
    PyObject *im_weakreflist;
    vectorcallfunc vectorcall;
} PyMethodObject;

PyAPI_DATA(PyTypeObject) PyMethod_Type;
PyAPI_DATA(PyTypeObject) PyInstanceMethod_Type;

#define PyMethod_Check(op) Py_IS_TYPE((op), &PyMethod_Type)
#define PyInstanceMethod_Check(op) Py_IS_TYPE((op), &PyInstanceMethod_Type)

/* New reference; does not steal. */
PyAPI_FUNC(PyObject *) PyMethod_New(PyObject *func, PyObject *self);
/* Borrowed. */
PyAPI_FUNC(PyObject *) PyMethod_Function(PyObject *meth);
PyAPI_FUNC(PyObject *) PyMethod_Self(PyObject *meth);
PyAPI_FUNC(PyObject *) PyInstanceMethod_New(PyObject *func);
PyAPI_FUNC(PyObject *) PyInstanceMethod_Function(PyObject *im);

#define PyMethod_GET_FUNCTION(meth) (((PyMethodObject *)(meth))->im_func)
#define PyMethod_GET_SELF(meth) (((PyMethodObject *)(meth))->im_self)
#define PyInstanceMethod_GET_FUNCTION(meth) \
    (((PyMethodObject *)(meth))->im_func)

#endif /* !Py_CLASSOBJECT_H */
