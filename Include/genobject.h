/* Generators, coroutines and async generators (Objects/genobject.c).
 * CPython 3.11's documented API. */
#ifndef Py_GENOBJECT_H
#define Py_GENOBJECT_H

/* The layout is private (Include/internal/pycore_gen.h). */
typedef struct _PyGenObject PyGenObject;
typedef struct _PyGenObject PyCoroObject;
typedef struct _PyGenObject PyAsyncGenObject;

PyAPI_DATA(PyTypeObject) PyGen_Type;
PyAPI_DATA(PyTypeObject) PyCoro_Type;
PyAPI_DATA(PyTypeObject) PyAsyncGen_Type;
PyAPI_DATA(PyTypeObject) _PyCoroWrapper_Type;
PyAPI_DATA(PyTypeObject) _PyAsyncGenASend_Type;
PyAPI_DATA(PyTypeObject) _PyAsyncGenAThrow_Type;
PyAPI_DATA(PyTypeObject) _PyAsyncGenWrappedValue_Type;

#define PyGen_Check(op) PyObject_TypeCheck((op), &PyGen_Type)
#define PyGen_CheckExact(op) Py_IS_TYPE((op), &PyGen_Type)
#define PyCoro_CheckExact(op) Py_IS_TYPE((op), &PyCoro_Type)
#define PyAsyncGen_CheckExact(op) Py_IS_TYPE((op), &PyAsyncGen_Type)

/* New reference: a generator running FRAME (its frame object). */
PyAPI_FUNC(PyObject *) PyGen_New(struct _frame *frame);
PyAPI_FUNC(PyObject *) PyGen_NewWithQualName(struct _frame *frame,
                                             PyObject *name,
                                             PyObject *qualname);
/* Borrowed: the generator's code object. */
PyAPI_FUNC(PyCodeObject *) PyGen_GetCode(PyGenObject *gen);
/* *pvalue = new reference to StopIteration's value (None when absent)
   and clears it; -1 if another exception is set. */
PyAPI_FUNC(int) _PyGen_FetchStopIterationValue(PyObject **pvalue);
/* Raises StopIteration(result) as a generator's return does. */
PyAPI_FUNC(int) _PyGen_SetStopIterationValue(PyObject *result);

#endif /* !Py_GENOBJECT_H */
