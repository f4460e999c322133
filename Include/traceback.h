/* Traceback objects (Python/traceback.c).  CPython 3.11's documented
 * API.  A traceback entry is immutable once linked into an exception,
 * except tb_next, which Python code may reassign (rare; a plain store). */
#ifndef Py_TRACEBACK_H
#define Py_TRACEBACK_H

typedef struct _traceback PyTracebackObject;

struct _traceback {
    PyObject_HEAD
    PyTracebackObject *tb_next;     /* owned or NULL */
    struct _frame *tb_frame;        /* owned */
    int tb_lasti;                   /* bytes */
    int tb_lineno;
};

PyAPI_DATA(PyTypeObject) PyTraceBack_Type;

#define PyTraceBack_Check(v) Py_IS_TYPE((v), &PyTraceBack_Type)

/* Adds an entry for FRAME in front of the current exception's
   traceback. */
PyAPI_FUNC(int) PyTraceBack_Here(struct _frame *frame);
/* Prints the traceback V to the file-like object F. */
PyAPI_FUNC(int) PyTraceBack_Print(PyObject *v, PyObject *f);

#endif /* !Py_TRACEBACK_H */
