/* CPython keeps the int layout here; Plait keeps it in longobject.h. */
#ifndef Py_LONGINTREPR_H
#define Py_LONGINTREPR_H
#include "longobject.h"
#endif /* !Py_LONGINTREPR_H */
