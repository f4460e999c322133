/* Py_FatalError: the runtime cannot go on. */
#include "Python.h"

#include <stdio.h>
#include <stdlib.h>

#undef Py_FatalError

void
_Py_FatalErrorFunc(const char *func, const char *message)
{
    fflush(stdout);
    if (func != NULL) {
        fprintf(stderr, "Fatal Python error: %s: %s\n", func, message);
    }
    else {
        fprintf(stderr, "Fatal Python error: %s\n", message);
    }
    fflush(stderr);
    abort();
}

void
Py_FatalError(const char *message)
{
    _Py_FatalErrorFunc(NULL, message);
}
