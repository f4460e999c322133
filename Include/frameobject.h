/* Frame objects (Objects/frameobject.c).  CPython 3.11's documented API. */
#ifndef Py_FRAMEOBJECT_H
#define Py_FRAMEOBJECT_H

typedef struct _frame PyFrameObject;

PyAPI_DATA(PyTypeObject) PyFrame_Type;

#define PyFrame_Check(op) Py_IS_TYPE((op), &PyFrame_Type)

PyAPI_FUNC(int) PyFrame_GetLineNumber(PyFrameObject *frame);
/* New references (GetBack may return NULL with no exception). */
PyAPI_FUNC(PyCodeObject *) PyFrame_GetCode(PyFrameObject *frame);
PyAPI_FUNC(PyFrameObject *) PyFrame_GetBack(PyFrameObject *frame);
PyAPI_FUNC(PyObject *) PyFrame_GetLocals(PyFrameObject *frame);
PyAPI_FUNC(PyObject *) PyFrame_GetGlobals(PyFrameObject *frame);
PyAPI_FUNC(PyObject *) PyFrame_GetBuiltins(PyFrameObject *frame);
PyAPI_FUNC(PyObject *) PyFrame_GetGenerator(PyFrameObject *frame);
PyAPI_FUNC(int) PyFrame_GetLasti(PyFrameObject *frame);
PyAPI_FUNC(int) PyFrame_FastToLocalsWithError(PyFrameObject *f);
PyAPI_FUNC(void) PyFrame_FastToLocals(PyFrameObject *f);
PyAPI_FUNC(void) PyFrame_LocalsToFast(PyFrameObject *f, int clear);

#endif /* !Py_FRAMEOBJECT_H */
