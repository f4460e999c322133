/* Runtime-internal call helpers (Objects/call.c). */
#ifndef Py_INTERNAL_CALL_H
#define Py_INTERNAL_CALL_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

/* Calls tp_call with a tuple and dict made from a vectorcall argument
   array (kwnames may be NULL).  New reference. */
PyAPI_FUNC(PyObject *) _PyObject_MakeTpCall(PyObject *callable,
                                            PyObject *const *args,
                                            Py_ssize_t nargs,
                                            PyObject *kwnames);
/* Checks a C function's result against the error indicator: NULL
   without an exception, or a result with one, is a SystemError.  Steals
   `result`. */
PyAPI_FUNC(PyObject *) _Py_CheckFunctionResult(PyObject *callable,
                                               PyObject *result,
                                               const char *where);
/* func(obj, *args, **kwargs); new reference. */
PyAPI_FUNC(PyObject *) _PyObject_Call_Prepend(PyObject *callable,
                                              PyObject *obj,
                                              PyObject *args,
                                              PyObject *kwargs);
/* A dict from the keyword part of a vectorcall array; new reference. */
PyAPI_FUNC(PyObject *) _PyStack_AsDict(PyObject *const *values,
                                       PyObject *kwnames);
/* Converts (args tuple, kwargs dict) to a vectorcall array: *p_stack
   points at the values (positional, then keyword values), *p_kwnames is
   a new tuple or NULL.  Release with _PyStack_UnpackDict_Free. */
PyAPI_FUNC(int) _PyStack_UnpackDict(PyObject *const *args, Py_ssize_t nargs,
                                    PyObject *kwargs,
                                    PyObject *const **p_stack,
                                    PyObject **p_kwnames);
PyAPI_FUNC(void) _PyStack_UnpackDict_Free(PyObject *const *stack,
                                          Py_ssize_t nargs,
                                          PyObject *kwnames);
/* Looks `name` up on obj for a call: returns 1 with *method = an unbound
   function/method descriptor (call it with obj first), or 0 with
   *method = the bound attribute; 0 with *method NULL and an exception on
   error. */
PyAPI_FUNC(int) _PyObject_GetMethod(PyObject *obj, PyObject *name,
                                    PyObject **method);
/* obj.name(*args) for a C string name; new reference. */
PyAPI_FUNC(PyObject *) _PyObject_CallMethod(PyObject *obj, PyObject *name,
                                            const char *format, ...);

/* Vectorcall with the callable's vectorcall function or tp_call. */
static inline PyObject *
_PyObject_VectorcallTstate(PyThreadState *tstate, PyObject *callable,
                           PyObject *const *args, size_t nargsf,
                           PyObject *kwnames)
{
    (void)tstate;
    vectorcallfunc func = PyVectorcall_Function(callable);
    if (func == NULL) {
        return _PyObject_MakeTpCall(callable, args,
                                    PyVectorcall_NARGS(nargsf), kwnames);
    }
    PyObject *res = func(callable, args, nargsf, kwnames);
    return _Py_CheckFunctionResult(callable, res, NULL);
}

#endif /* !Py_INTERNAL_CALL_H */
