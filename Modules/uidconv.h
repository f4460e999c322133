/* uid_t / gid_t arguments as CPython 3.11 converts them (shared by pwd,
 * grp and _posixsubprocess).  -1 and its unsigned twin mean (uid_t)-1; any
 * other value outside the type's range is an OverflowError whose wording
 * follows 3.11 (including its "less than minimum" for a positive value that
 * fits a C long but not the 32-bit id). */
#ifndef Py_MODULES_UIDCONV_H
#define Py_MODULES_UIDCONV_H

#include <sys/types.h>

/* Converts OBJ (borrowed) to an id of KIND ("uid" or "gid") into *OUT.
   Returns 0, or -1 with TypeError/OverflowError set. */
static inline int
_PyUidConv_Id(PyObject *obj, const char *kind, unsigned int *out)
{
    if (!PyLong_Check(obj) && Py_TYPE(obj)->tp_as_number == NULL) {
        PyErr_Format(PyExc_TypeError, "%s should be integer, not %.200s",
                     kind, Py_TYPE(obj)->tp_name);
        return -1;
    }
    PyObject *index = PyNumber_Index(obj);
    if (index == NULL) {
        if (PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Clear();
            PyErr_Format(PyExc_TypeError, "%s should be integer, not %.200s",
                         kind, Py_TYPE(obj)->tp_name);
        }
        return -1;
    }
    int overflow = 0;
    long v = PyLong_AsLongAndOverflow(index, &overflow);
    Py_DECREF(index);
    if (v == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (overflow > 0) {
        PyErr_Format(PyExc_OverflowError, "%s is greater than maximum", kind);
        return -1;
    }
    if (overflow < 0 || v < -1) {
        PyErr_Format(PyExc_OverflowError, "%s is less than minimum", kind);
        return -1;
    }
    if (v == -1) {
        *out = (unsigned int)-1;
        return 0;
    }
    if ((unsigned long)v > (unsigned long)UINT_MAX) {
        PyErr_Format(PyExc_OverflowError, "%s is less than minimum", kind);
        return -1;
    }
    *out = (unsigned int)v;
    return 0;
}

/* New reference: ID as 3.11 shows it ((uid_t)-1 is -1). */
static inline PyObject *
_PyUidConv_ToLong(unsigned int id)
{
    if (id == (unsigned int)-1) {
        return PyLong_FromLong(-1);
    }
    return PyLong_FromUnsignedLong(id);
}

#endif /* !Py_MODULES_UIDCONV_H */
