/* Runtime-internal float helpers (Objects/floatobject.c). */
#ifndef Py_INTERNAL_FLOATOBJECT_H
#define Py_INTERNAL_FLOATOBJECT_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "floatobject.h"

/* Startup: readies float (Py_Initialize calls it). */
PyAPI_FUNC(int) _PyFloat_InitTypes(void);

#endif /* !Py_INTERNAL_FLOATOBJECT_H */
