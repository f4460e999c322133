/* Exceptions: the per-thread error indicator (Python/errors.c) and the
 * built-in exception types (Objects/exceptions.c).  CPython 3.11's
 * documented API.
 *
 * The error indicator holds one normalized exception instance per thread
 * (its type and traceback are read from the instance); PyErr_Fetch and
 * PyErr_Restore keep their documented (type, value, traceback) form. */
#ifndef Py_PYERRORS_H
#define Py_PYERRORS_H

#include <stdarg.h>

/* The layout every exception instance starts with. */
#define PyException_HEAD                \
    PyObject_HEAD                       \
    PyObject *dict;                     \
    PyObject *args;                     \
    PyObject *notes;                    \
    PyObject *traceback;                \
    PyObject *context;                  \
    PyObject *cause;                    \
    char suppress_context;

typedef struct {
    PyException_HEAD
} PyBaseExceptionObject;

typedef struct {
    PyException_HEAD
    PyObject *msg;
    PyObject *excs;
} PyBaseExceptionGroupObject;

typedef struct {
    PyException_HEAD
    PyObject *msg;
    PyObject *filename;
    PyObject *lineno;
    PyObject *offset;
    PyObject *end_lineno;
    PyObject *end_offset;
    PyObject *text;
    PyObject *print_file_and_line;
} PySyntaxErrorObject;

typedef struct {
    PyException_HEAD
    PyObject *msg;
    PyObject *name;
    PyObject *path;
} PyImportErrorObject;

typedef struct {
    PyException_HEAD
    PyObject *encoding;
    PyObject *object;
    Py_ssize_t start;
    Py_ssize_t end;
    PyObject *reason;
} PyUnicodeErrorObject;

typedef struct {
    PyException_HEAD
    PyObject *code;
} PySystemExitObject;

typedef struct {
    PyException_HEAD
    PyObject *myerrno;
    PyObject *strerror;
    PyObject *filename;
    PyObject *filename2;
    Py_ssize_t written;     /* only for BlockingIOError, -1 otherwise */
} PyOSErrorObject;

typedef struct {
    PyException_HEAD
    PyObject *value;
} PyStopIterationObject;

typedef struct {
    PyException_HEAD
    PyObject *name;
} PyNameErrorObject;

typedef struct {
    PyException_HEAD
    PyObject *obj;
    PyObject *name;
} PyAttributeErrorObject;

typedef PyOSErrorObject PyEnvironmentErrorObject;

/* The error indicator of the calling thread. */
PyAPI_FUNC(void) PyErr_SetNone(PyObject *type);
PyAPI_FUNC(void) PyErr_SetObject(PyObject *type, PyObject *value);
PyAPI_FUNC(void) PyErr_SetString(PyObject *type, const char *message);
/* Borrowed: the type of the current exception, or NULL. */
PyAPI_FUNC(PyObject *) PyErr_Occurred(void);
PyAPI_FUNC(void) PyErr_Clear(void);
/* New references (any may be NULL); clears the indicator. */
PyAPI_FUNC(void) PyErr_Fetch(PyObject **ptype, PyObject **pvalue,
                             PyObject **ptraceback);
/* Steals all three references. */
PyAPI_FUNC(void) PyErr_Restore(PyObject *type, PyObject *value,
                               PyObject *traceback);
/* New reference to the current exception instance (NULL if none); clears
   the indicator. */
PyAPI_FUNC(PyObject *) PyErr_GetRaisedException(void);
/* Steals `exc` (an instance or NULL). */
PyAPI_FUNC(void) PyErr_SetRaisedException(PyObject *exc);
PyAPI_FUNC(void) PyErr_NormalizeException(PyObject **ptype,
                                          PyObject **pvalue,
                                          PyObject **ptraceback);
/* The exception being handled ("sys.exc_info()"); new references. */
PyAPI_FUNC(PyObject *) PyErr_GetHandledException(void);
PyAPI_FUNC(void) PyErr_SetHandledException(PyObject *exc);
PyAPI_FUNC(void) PyErr_GetExcInfo(PyObject **ptype, PyObject **pvalue,
                                  PyObject **ptraceback);
/* Steals all three references. */
PyAPI_FUNC(void) PyErr_SetExcInfo(PyObject *type, PyObject *value,
                                  PyObject *traceback);

PyAPI_FUNC(int) PyErr_GivenExceptionMatches(PyObject *given, PyObject *exc);
PyAPI_FUNC(int) PyErr_ExceptionMatches(PyObject *exc);

/* These always return NULL (or -1 for BadArgument), for `return` chains. */
PyAPI_FUNC(int) PyErr_BadArgument(void);
PyAPI_FUNC(PyObject *) PyErr_NoMemory(void);
PyAPI_FUNC(PyObject *) PyErr_SetFromErrno(PyObject *type);
PyAPI_FUNC(PyObject *) PyErr_SetFromErrnoWithFilenameObject(
    PyObject *type, PyObject *filename);
PyAPI_FUNC(PyObject *) PyErr_SetFromErrnoWithFilenameObjects(
    PyObject *type, PyObject *filename, PyObject *filename2);
PyAPI_FUNC(PyObject *) PyErr_SetFromErrnoWithFilename(PyObject *type,
                                                      const char *filename);
PyAPI_FUNC(PyObject *) PyErr_Format(PyObject *exception, const char *format,
                                    ...);
PyAPI_FUNC(PyObject *) PyErr_FormatV(PyObject *exception, const char *format,
                                     va_list vargs);
PyAPI_FUNC(PyObject *) PyErr_SetImportError(PyObject *msg, PyObject *name,
                                            PyObject *path);
PyAPI_FUNC(PyObject *) PyErr_SetImportErrorSubclass(PyObject *exception,
                                                    PyObject *msg,
                                                    PyObject *name,
                                                    PyObject *path);
PyAPI_FUNC(void) _PyErr_BadInternalCall(const char *filename, int lineno);
PyAPI_FUNC(void) PyErr_BadInternalCall(void);
#define PyErr_BadInternalCall() _PyErr_BadInternalCall(__FILE__, __LINE__)

/* Syntax errors located in source. */
PyAPI_FUNC(void) PyErr_SyntaxLocation(const char *filename, int lineno);
PyAPI_FUNC(void) PyErr_SyntaxLocationEx(const char *filename, int lineno,
                                        int col_offset);
PyAPI_FUNC(void) PyErr_SyntaxLocationObject(PyObject *filename, int lineno,
                                            int col_offset);
PyAPI_FUNC(PyObject *) PyErr_ProgramText(const char *filename, int lineno);
PyAPI_FUNC(PyObject *) PyErr_ProgramTextObject(PyObject *filename,
                                               int lineno);

/* New exception classes (new reference). */
PyAPI_FUNC(PyObject *) PyErr_NewException(const char *name, PyObject *base,
                                          PyObject *dict);
PyAPI_FUNC(PyObject *) PyErr_NewExceptionWithDoc(const char *name,
                                                 const char *doc,
                                                 PyObject *base,
                                                 PyObject *dict);
/* Reports an exception that cannot be raised (e.g. in a destructor);
   clears it. */
PyAPI_FUNC(void) PyErr_WriteUnraisable(PyObject *obj);

/* Warnings: 0 when the warning was issued (or ignored), -1 when it was
   turned into an exception. */
PyAPI_FUNC(int) PyErr_WarnEx(PyObject *category, const char *message,
                             Py_ssize_t stack_level);
PyAPI_FUNC(int) PyErr_WarnFormat(PyObject *category, Py_ssize_t stack_level,
                                 const char *format, ...);
PyAPI_FUNC(int) PyErr_ResourceWarning(PyObject *source,
                                      Py_ssize_t stack_level,
                                      const char *format, ...);
PyAPI_FUNC(int) PyErr_WarnExplicit(PyObject *category, const char *message,
                                   const char *filename, int lineno,
                                   const char *module, PyObject *registry);
PyAPI_FUNC(int) PyErr_WarnExplicitObject(PyObject *category,
                                         PyObject *message,
                                         PyObject *filename, int lineno,
                                         PyObject *module,
                                         PyObject *registry);
#define PyErr_Warn(category, msg) PyErr_WarnEx((category), (msg), 1)

/* Exception classes and instances. */
static inline int
PyExceptionClass_Check(PyObject *x)
{
    return PyType_Check(x) &&
           PyType_FastSubclass((PyTypeObject *)x,
                               Py_TPFLAGS_BASE_EXC_SUBCLASS);
}
#define PyExceptionClass_Check(x) PyExceptionClass_Check(_PyObject_CAST(x))

static inline int
PyExceptionInstance_Check(PyObject *x)
{
    return PyType_FastSubclass(Py_TYPE(x), Py_TPFLAGS_BASE_EXC_SUBCLASS);
}
#define PyExceptionInstance_Check(x) \
    PyExceptionInstance_Check(_PyObject_CAST(x))

#define PyExceptionInstance_Class(x) _PyObject_CAST(Py_TYPE(x))
PyAPI_FUNC(const char *) PyExceptionClass_Name(PyObject *exc);

/* Getters return new references (or NULL, no exception set); setters
   steal (SetTraceback does not: it returns -1 on a bad traceback). */
PyAPI_FUNC(PyObject *) PyException_GetTraceback(PyObject *exc);
PyAPI_FUNC(int) PyException_SetTraceback(PyObject *exc, PyObject *tb);
PyAPI_FUNC(PyObject *) PyException_GetCause(PyObject *exc);
PyAPI_FUNC(void) PyException_SetCause(PyObject *exc, PyObject *cause);
PyAPI_FUNC(PyObject *) PyException_GetContext(PyObject *exc);
PyAPI_FUNC(void) PyException_SetContext(PyObject *exc, PyObject *context);
PyAPI_FUNC(PyObject *) PyException_GetArgs(PyObject *exc);
PyAPI_FUNC(void) PyException_SetArgs(PyObject *exc, PyObject *args);

/* UnicodeError accessors. */
PyAPI_FUNC(PyObject *) PyUnicodeDecodeError_Create(
    const char *encoding, const char *object, Py_ssize_t length,
    Py_ssize_t start, Py_ssize_t end, const char *reason);
PyAPI_FUNC(PyObject *) PyUnicodeEncodeError_GetEncoding(PyObject *exc);
PyAPI_FUNC(PyObject *) PyUnicodeDecodeError_GetEncoding(PyObject *exc);
PyAPI_FUNC(PyObject *) PyUnicodeEncodeError_GetObject(PyObject *exc);
PyAPI_FUNC(PyObject *) PyUnicodeDecodeError_GetObject(PyObject *exc);
PyAPI_FUNC(PyObject *) PyUnicodeTranslateError_GetObject(PyObject *exc);
PyAPI_FUNC(int) PyUnicodeEncodeError_GetStart(PyObject *exc,
                                              Py_ssize_t *start);
PyAPI_FUNC(int) PyUnicodeDecodeError_GetStart(PyObject *exc,
                                              Py_ssize_t *start);
PyAPI_FUNC(int) PyUnicodeTranslateError_GetStart(PyObject *exc,
                                                 Py_ssize_t *start);
PyAPI_FUNC(int) PyUnicodeEncodeError_SetStart(PyObject *exc,
                                              Py_ssize_t start);
PyAPI_FUNC(int) PyUnicodeDecodeError_SetStart(PyObject *exc,
                                              Py_ssize_t start);
PyAPI_FUNC(int) PyUnicodeTranslateError_SetStart(PyObject *exc,
                                                 Py_ssize_t start);
PyAPI_FUNC(int) PyUnicodeEncodeError_GetEnd(PyObject *exc, Py_ssize_t *end);
PyAPI_FUNC(int) PyUnicodeDecodeError_GetEnd(PyObject *exc, Py_ssize_t *end);
PyAPI_FUNC(int) PyUnicodeTranslateError_GetEnd(PyObject *exc,
                                               Py_ssize_t *end);
PyAPI_FUNC(int) PyUnicodeEncodeError_SetEnd(PyObject *exc, Py_ssize_t end);
PyAPI_FUNC(int) PyUnicodeDecodeError_SetEnd(PyObject *exc, Py_ssize_t end);
PyAPI_FUNC(int) PyUnicodeTranslateError_SetEnd(PyObject *exc,
                                               Py_ssize_t end);
PyAPI_FUNC(PyObject *) PyUnicodeEncodeError_GetReason(PyObject *exc);
PyAPI_FUNC(PyObject *) PyUnicodeDecodeError_GetReason(PyObject *exc);
PyAPI_FUNC(PyObject *) PyUnicodeTranslateError_GetReason(PyObject *exc);
PyAPI_FUNC(int) PyUnicodeEncodeError_SetReason(PyObject *exc,
                                               const char *reason);
PyAPI_FUNC(int) PyUnicodeDecodeError_SetReason(PyObject *exc,
                                               const char *reason);
PyAPI_FUNC(int) PyUnicodeTranslateError_SetReason(PyObject *exc,
                                                  const char *reason);

/* snprintf that always NUL-terminates (Python/errors.c). */
PyAPI_FUNC(int) PyOS_snprintf(char *str, size_t size, const char *format,
                              ...) Py_GCC_ATTRIBUTE((format(printf, 3, 4)));
PyAPI_FUNC(int) PyOS_vsnprintf(char *str, size_t size, const char *format,
                               va_list va)
    Py_GCC_ATTRIBUTE((format(printf, 3, 0)));

/* The built-in exception types (PyTypeObject *, cast to PyObject *). */
PyAPI_DATA(PyObject *) PyExc_BaseException;
PyAPI_DATA(PyObject *) PyExc_BaseExceptionGroup;
PyAPI_DATA(PyObject *) PyExc_Exception;
PyAPI_DATA(PyObject *) PyExc_GeneratorExit;
PyAPI_DATA(PyObject *) PyExc_KeyboardInterrupt;
PyAPI_DATA(PyObject *) PyExc_SystemExit;
PyAPI_DATA(PyObject *) PyExc_StopAsyncIteration;
PyAPI_DATA(PyObject *) PyExc_StopIteration;
PyAPI_DATA(PyObject *) PyExc_ArithmeticError;
PyAPI_DATA(PyObject *) PyExc_FloatingPointError;
PyAPI_DATA(PyObject *) PyExc_OverflowError;
PyAPI_DATA(PyObject *) PyExc_ZeroDivisionError;
PyAPI_DATA(PyObject *) PyExc_AssertionError;
PyAPI_DATA(PyObject *) PyExc_AttributeError;
PyAPI_DATA(PyObject *) PyExc_BufferError;
PyAPI_DATA(PyObject *) PyExc_EOFError;
PyAPI_DATA(PyObject *) PyExc_ExceptionGroup;
PyAPI_DATA(PyObject *) PyExc_ImportError;
PyAPI_DATA(PyObject *) PyExc_ModuleNotFoundError;
PyAPI_DATA(PyObject *) PyExc_LookupError;
PyAPI_DATA(PyObject *) PyExc_IndexError;
PyAPI_DATA(PyObject *) PyExc_KeyError;
PyAPI_DATA(PyObject *) PyExc_MemoryError;
PyAPI_DATA(PyObject *) PyExc_NameError;
PyAPI_DATA(PyObject *) PyExc_UnboundLocalError;
PyAPI_DATA(PyObject *) PyExc_OSError;
PyAPI_DATA(PyObject *) PyExc_BlockingIOError;
PyAPI_DATA(PyObject *) PyExc_ChildProcessError;
PyAPI_DATA(PyObject *) PyExc_ConnectionError;
PyAPI_DATA(PyObject *) PyExc_BrokenPipeError;
PyAPI_DATA(PyObject *) PyExc_ConnectionAbortedError;
PyAPI_DATA(PyObject *) PyExc_ConnectionRefusedError;
PyAPI_DATA(PyObject *) PyExc_ConnectionResetError;
PyAPI_DATA(PyObject *) PyExc_FileExistsError;
PyAPI_DATA(PyObject *) PyExc_FileNotFoundError;
PyAPI_DATA(PyObject *) PyExc_InterruptedError;
PyAPI_DATA(PyObject *) PyExc_IsADirectoryError;
PyAPI_DATA(PyObject *) PyExc_NotADirectoryError;
PyAPI_DATA(PyObject *) PyExc_PermissionError;
PyAPI_DATA(PyObject *) PyExc_ProcessLookupError;
PyAPI_DATA(PyObject *) PyExc_TimeoutError;
PyAPI_DATA(PyObject *) PyExc_ReferenceError;
PyAPI_DATA(PyObject *) PyExc_RuntimeError;
PyAPI_DATA(PyObject *) PyExc_NotImplementedError;
PyAPI_DATA(PyObject *) PyExc_RecursionError;
PyAPI_DATA(PyObject *) PyExc_SyntaxError;
PyAPI_DATA(PyObject *) PyExc_IndentationError;
PyAPI_DATA(PyObject *) PyExc_TabError;
PyAPI_DATA(PyObject *) PyExc_SystemError;
PyAPI_DATA(PyObject *) PyExc_TypeError;
PyAPI_DATA(PyObject *) PyExc_ValueError;
PyAPI_DATA(PyObject *) PyExc_UnicodeError;
PyAPI_DATA(PyObject *) PyExc_UnicodeDecodeError;
PyAPI_DATA(PyObject *) PyExc_UnicodeEncodeError;
PyAPI_DATA(PyObject *) PyExc_UnicodeTranslateError;
PyAPI_DATA(PyObject *) PyExc_Warning;
PyAPI_DATA(PyObject *) PyExc_BytesWarning;
PyAPI_DATA(PyObject *) PyExc_DeprecationWarning;
PyAPI_DATA(PyObject *) PyExc_EncodingWarning;
PyAPI_DATA(PyObject *) PyExc_FutureWarning;
PyAPI_DATA(PyObject *) PyExc_ImportWarning;
PyAPI_DATA(PyObject *) PyExc_PendingDeprecationWarning;
PyAPI_DATA(PyObject *) PyExc_ResourceWarning;
PyAPI_DATA(PyObject *) PyExc_RuntimeWarning;
PyAPI_DATA(PyObject *) PyExc_SyntaxWarning;
PyAPI_DATA(PyObject *) PyExc_UnicodeWarning;
PyAPI_DATA(PyObject *) PyExc_UserWarning;
PyAPI_DATA(PyObject *) PyExc_EnvironmentError;     /* = OSError */
PyAPI_DATA(PyObject *) PyExc_IOError;              /* = OSError */

/* Signals (Modules/signalmodule.c).  PyErr_CheckSignals runs the Python
   handlers of pending signals (main thread only; elsewhere it returns 0):
   0, or -1 with the exception a handler raised.  PyErr_SetInterruptEx
   simulates the arrival of `signum` (-1 if out of range). */
PyAPI_FUNC(int) PyErr_CheckSignals(void);
PyAPI_FUNC(void) PyErr_SetInterrupt(void);
PyAPI_FUNC(int) PyErr_SetInterruptEx(int signum);

#endif /* !Py_PYERRORS_H */
