/* Runtime-internal list helpers (Objects/listobject.c). */
#ifndef Py_INTERNAL_LIST_H
#define Py_INTERNAL_LIST_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "listobject.h"

/* Startup: readies list and its iterators (Py_Initialize calls it). */
PyAPI_FUNC(int) _PyList_InitTypes(void);

#endif /* !Py_INTERNAL_LIST_H */
