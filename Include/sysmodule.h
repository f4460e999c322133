/* The sys module's C API (Python/sysmodule.c).  CPython 3.11's
 * documented names. */
#ifndef Py_SYSMODULE_H
#define Py_SYSMODULE_H

/* Borrowed: sys.<name>, or NULL without an exception when unset. */
PyAPI_FUNC(PyObject *) PySys_GetObject(const char *name);
/* Sets (or, with v NULL, deletes) sys.<name>.  0 or -1. */
PyAPI_FUNC(int) PySys_SetObject(const char *name, PyObject *v);

#endif /* !Py_SYSMODULE_H */
