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
#include "objimpl.h"
#include "pymem.h"
#include "pystate.h"
#include "pyerrors.h"

/* Headers of other engineers are guarded with __has_include while they
   are being written. */
#if __has_include("pyhash.h")
#  include "pyhash.h"
#endif
#if __has_include("longobject.h")
#  include "longobject.h"
#endif
#include "boolobject.h"
#if __has_include("floatobject.h")
#  include "floatobject.h"
#endif
#if __has_include("complexobject.h")
#  include "complexobject.h"
#endif
#if __has_include("unicodeobject.h")
#  include "unicodeobject.h"
#endif
#if __has_include("bytesobject.h")
#  include "bytesobject.h"
#endif
#if __has_include("bytearrayobject.h")
#  include "bytearrayobject.h"
#endif
#if __has_include("listobject.h")
#  include "listobject.h"
#endif

#include "tupleobject.h"
#include "dictobject.h"
#include "sliceobject.h"
#include "methodobject.h"
#include "descrobject.h"
#include "moduleobject.h"
#include "modsupport.h"
#include "abstract.h"

#if __has_include("setobject.h")
#  include "setobject.h"
#endif
#if __has_include("rangeobject.h")
#  include "rangeobject.h"
#endif
#if __has_include("enumobject.h")
#  include "enumobject.h"
#endif
#if __has_include("iterobject.h")
#  include "iterobject.h"
#endif
#if __has_include("cellobject.h")
#  include "cellobject.h"
#endif
#if __has_include("funcobject.h")
#  include "funcobject.h"
#endif
#if __has_include("classobject.h")
#  include "classobject.h"
#endif
#if __has_include("code.h")
#  include "code.h"
#endif
#if __has_include("frameobject.h")
#  include "frameobject.h"
#endif
#if __has_include("genobject.h")
#  include "genobject.h"
#endif
#if __has_include("traceback.h")
#  include "traceback.h"
#endif
#if __has_include("pystrtod.h")
#  include "pystrtod.h"
#endif
#if __has_include("ceval.h")
#  include "ceval.h"
#endif
#if __has_include("import.h")
#  include "import.h"
#endif
#if __has_include("bltinmodule.h")
#  include "bltinmodule.h"
#endif
#if __has_include("memoryobject.h")
#  include "memoryobject.h"
#endif
#if __has_include("weakrefobject.h")
#  include "weakrefobject.h"
#endif
#if __has_include("context.h")
#  include "context.h"
#endif
#if __has_include("structseq.h")
#  include "structseq.h"
#endif
#if __has_include("codecs.h")
#  include "codecs.h"
#endif
#if __has_include("genericaliasobject.h")
#  include "genericaliasobject.h"
#endif
#if __has_include("fileobject.h")
#  include "fileobject.h"
#endif
#if __has_include("sysmodule.h")
#  include "sysmodule.h"
#endif
#if __has_include("pythonrun.h")
#  include "pythonrun.h"
#endif
#if __has_include("marshal.h")
#  include "marshal.h"
#endif
#if __has_include("intrcheck.h")
#  include "intrcheck.h"
#endif
#include "pylifecycle.h"

#endif /* !Py_PYTHON_H */
