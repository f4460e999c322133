/* Evaluating code (Python/ceval.c).  CPython 3.11's documented API. */
#ifndef Py_CEVAL_H
#define Py_CEVAL_H

/* New reference, or NULL with an exception set. */
PyAPI_FUNC(PyObject *) PyEval_EvalCode(PyObject *co, PyObject *globals,
                                       PyObject *locals);
PyAPI_FUNC(PyObject *) PyEval_EvalCodeEx(PyObject *co, PyObject *globals,
                                         PyObject *locals,
                                         PyObject *const *args, int argc,
                                         PyObject *const *kwds, int kwdc,
                                         PyObject *const *defs, int defc,
                                         PyObject *kwdefs, PyObject *closure);
/* Borrowed references (NULL when no frame runs). */
PyAPI_FUNC(PyObject *) PyEval_GetBuiltins(void);
PyAPI_FUNC(PyObject *) PyEval_GetGlobals(void);
PyAPI_FUNC(PyObject *) PyEval_GetLocals(void);
/* Borrowed. */
PyAPI_FUNC(struct _frame *) PyEval_GetFrame(void);
PyAPI_FUNC(const char *) PyEval_GetFuncName(PyObject *func);
PyAPI_FUNC(const char *) PyEval_GetFuncDesc(PyObject *func);
PyAPI_FUNC(PyObject *) PyEval_EvalFrame(struct _frame *f);
PyAPI_FUNC(PyObject *) PyEval_EvalFrameEx(struct _frame *f, int exc);

PyAPI_FUNC(int) Py_GetRecursionLimit(void);
PyAPI_FUNC(void) Py_SetRecursionLimit(int limit);

PyAPI_FUNC(int) Py_MakePendingCalls(void);
PyAPI_FUNC(int) Py_AddPendingCall(int (*func)(void *), void *arg);

#endif /* !Py_CEVAL_H */
