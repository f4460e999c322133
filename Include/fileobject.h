/* File-object helpers of the C API (implemented in Modules/_io/pyfile.c
 * over the io module's objects). */
#ifndef Py_FILEOBJECT_H
#define Py_FILEOBJECT_H

/* io.open(fd, mode, buffering, encoding, errors, newline, closefd).
   New reference.  name is ignored, as in CPython. */
PyAPI_FUNC(PyObject *) PyFile_FromFd(int fd, const char *name,
                                     const char *mode, int buffering,
                                     const char *encoding,
                                     const char *errors,
                                     const char *newline, int closefd);

/* f.readline() (n <= 0) or f.readline(n); for n < 0 the trailing newline
   is stripped and EOFError raised at end of file.  New reference. */
PyAPI_FUNC(PyObject *) PyFile_GetLine(PyObject *f, int n);

/* f.write(str(obj)) with Py_PRINT_RAW, else f.write(repr(obj)).  0/-1. */
PyAPI_FUNC(int) PyFile_WriteObject(PyObject *obj, PyObject *f, int flags);

/* f.write(s) for a UTF-8 C string.  0/-1. */
PyAPI_FUNC(int) PyFile_WriteString(const char *s, PyObject *f);

/* An int, or the result of o.fileno().  -1 with an exception. */
PyAPI_FUNC(int) PyObject_AsFileDescriptor(PyObject *o);

#endif /* !Py_FILEOBJECT_H */
