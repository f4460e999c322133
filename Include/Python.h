/* The one header C extensions and embedding programs include. */
#ifndef Py_PYTHON_H
#define Py_PYTHON_H

#include "pyconfig.h"
#include "patchlevel.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pyport.h"
#include "pyatomic.h"
#include "lock.h"
#include "object.h"
#include "pymem.h"
#include "pystate.h"
#include "pylifecycle.h"

#endif /* !Py_PYTHON_H */
