/* Runtime-internal parts of the exception types (Objects/exceptions.c). */
#ifndef Py_INTERNAL_EXCEPTIONS_H
#define Py_INTERNAL_EXCEPTIONS_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

/* Readies every built-in exception type (Py_Initialize). */
PyAPI_FUNC(int) _PyExc_InitTypes(void);
/* A new MemoryError instance, or a preallocated one when memory is
   exhausted; never NULL after _PyExc_InitTypes. */
PyAPI_FUNC(PyObject *) _PyExc_NewMemoryError(void);
/* Adds every exception class to a dict (the builtins module). */
PyAPI_FUNC(int) _PyExc_AddToDict(PyObject *dict);
/* Sets .name and .obj of an AttributeError instance (if it is one). */
PyAPI_FUNC(void) _PyExc_SetAttributeErrorContext(PyObject *exc,
                                                 PyObject *obj,
                                                 PyObject *name);

#endif /* !Py_INTERNAL_EXCEPTIONS_H */
