/* Py_GetVersion(): the string sys.version will report. */
#include "Python.h"

#include <stdio.h>

static const char version_text[] =
    PY_VERSION " (plait " PLAIT_VERSION ", free-threaded) [GCC-compatible "
    __VERSION__ "]";

const char *
Py_GetVersion(void)
{
    return version_text;
}

const char *
_Py_GetPlaitVersion(void)
{
    return PLAIT_VERSION;
}
