/* The _io module (Modules/_io/): types and helpers shared by its files,
 * and the hooks the runtime calls to build and flush sys.std{in,out,err}.
 *
 * Locking model (details at the top of each file):
 *   - FileIO: fd and flags are set in __init__ and cleared by close();
 *     the fd is read atomically, so a racing close makes a concurrent
 *     read fail with EBADF instead of touching freed state.
 *   - Buffered*, TextIOWrapper: an _PyIOLock (a PyMutex plus an owner)
 *     held across the underlying I/O; waiting for it detaches the thread.
 *   - BytesIO, StringIO: critical sections on the object (no blocking
 *     call happens inside them). */
#ifndef Py_INTERNAL_IO_H
#define Py_INTERNAL_IO_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include <sys/types.h>
#include "pycore_excstate.h"

#define _PyIO_DEFAULT_BUFFER_SIZE (8 * 1024)

/* Every _io object starts with the instance dict and the weak reference
   list, in this order (the layout of _io._IOBase). */
#define _PyIO_HEAD \
    PyObject_HEAD \
    PyObject *dict; \
    PyObject *weakreflist;

/* The io module's types (static, immortal once ready). */
extern PyTypeObject _PyIOBase_Type;
extern PyTypeObject _PyRawIOBase_Type;
extern PyTypeObject _PyBufferedIOBase_Type;
extern PyTypeObject _PyTextIOBase_Type;
extern PyTypeObject _PyFileIO_Type;
extern PyTypeObject _PyBytesIO_Type;
extern PyTypeObject _PyStringIO_Type;
extern PyTypeObject _PyBufferedReader_Type;
extern PyTypeObject _PyBufferedWriter_Type;
extern PyTypeObject _PyBufferedRandom_Type;
extern PyTypeObject _PyBufferedRWPair_Type;
extern PyTypeObject _PyTextIOWrapper_Type;
extern PyTypeObject _PyIncrementalNewlineDecoder_Type;
extern PyTypeObject _PyIOSimpleDecoder_Type;

/* Interned attribute names used on hot paths (borrowed, immortal once
   created; created on first use and published with a CAS). */
typedef enum {
    _PyIO_ID_closed,
    _PyIO_ID_write,
    _PyIO_ID_read,
    _PyIO_ID_read1,
    _PyIO_ID_flush,
    _PyIO_ID_getstate,
    _PyIO_ID_decode,
    _PyIO_ID_reset,
    _PyIO_ID_tell,
    _PyIO_ID_readline,
    _PyIO_ID_COUNT
} _PyIO_NameId;

PyObject *_PyIO_Name(_PyIO_NameId id);

/* getattr(o, name) and o.name() / o.name(arg) by interned name; new
   references or NULL. */
static inline PyObject *
_PyIO_GetAttr(PyObject *o, _PyIO_NameId id)
{
    PyObject *n = _PyIO_Name(id);
    return n != NULL ? PyObject_GetAttr(o, n) : NULL;
}

static inline PyObject *
_PyIO_CallMethod0(PyObject *o, _PyIO_NameId id)
{
    PyObject *n = _PyIO_Name(id);
    return n != NULL ? PyObject_CallMethodNoArgs(o, n) : NULL;
}

static inline PyObject *
_PyIO_CallMethod1(PyObject *o, _PyIO_NameId id, PyObject *arg)
{
    PyObject *n = _PyIO_Name(id);
    return n != NULL ? PyObject_CallMethodOneArg(o, n, arg) : NULL;
}

/* o.name(size) for a Py_ssize_t argument. */
static inline PyObject *
_PyIO_CallMethodSize(PyObject *o, _PyIO_NameId id, Py_ssize_t size)
{
    PyObject *arg = PyLong_FromSsize_t(size);
    if (arg == NULL) {
        return NULL;
    }
    PyObject *r = _PyIO_CallMethod1(o, id, arg);
    Py_DECREF(arg);
    return r;
}

/* Readies BytesIO's private getbuffer() exporter type.  0/-1. */
int _PyBytesIO_InitTypes(void);

/* io.UnsupportedOperation (borrowed; NULL before _io is imported). */
PyObject *_PyIO_GetUnsupportedOperation(void);

/* Raise io.UnsupportedOperation(msg); returns NULL. */
PyObject *_PyIO_Unsupported(const char *msg);

/* "n" argument converter: None or an index -> Py_ssize_t (-1 for None).
   For PyArg_ParseTuple's O& format. */
int _PyIO_ConvertSsize(PyObject *obj, void *result);

/* off_t <-> int. */
off_t _PyIO_AsOff(PyObject *obj, PyObject *exc);
PyObject *_PyIO_FromOff(off_t off);

/* After an EINTR: run pending signal handlers.  0 to retry, -1 with the
   handler's exception set. */
int _PyIO_CheckSignals(void);

/* _IOBase helpers used by subclasses written in C. */
int _PyIOBase_IsClosed(PyObject *self);          /* 1, 0 or -1 */
PyObject *_PyIOBase_CheckClosed(PyObject *self); /* None (new) or NULL */
PyObject *_PyIOBase_CheckReadable(PyObject *self);
PyObject *_PyIOBase_CheckWritable(PyObject *self);
PyObject *_PyIOBase_CheckSeekable(PyObject *self);
int _PyIOBase_Finalize(PyObject *self);          /* for tp_dealloc */
PyObject *_PyIOBase_FinalizingGet(PyObject *self, void *context);

/* Fast closed checks for exact FileIO / Buffered* objects: 1 closed,
   0 open, -2 when obj is of another type (ask obj.closed instead). */
int _PyFileIO_ClosedFast(PyObject *obj);
int _PyBuffered_ClosedFast(PyObject *obj);

/* IncrementalNewlineDecoder.decode for C callers: new reference. */
PyObject *_PyIncrementalNewlineDecoder_Decode(PyObject *self,
                                              PyObject *input, int final);

/* A recursive-free lock for objects whose methods block in I/O.  Waiting
   detaches the thread state (PyMutex parks detached).  owner is the
   holder's thread state, read by the holder's own re-entry check. */
typedef struct {
    PyMutex mutex;
    void *owner;
} _PyIOLock;

/* 1 if the calling thread holds lock. */
int _PyIOLock_HeldByMe(_PyIOLock *lock);
void _PyIOLock_Acquire(_PyIOLock *lock);
void _PyIOLock_Release(_PyIOLock *lock);

/* Runtime hooks for Python/pylifecycle.c.
   _PyIO_InitStdio: sys.stdin/stdout/stderr and sys.__std*__ (0/-1).
   _PyIO_InstallBuiltinsOpen: builtins.open = _io.open (0/-1).
   _PyIO_FlushStdio: flush sys.stdout and sys.stderr at shutdown; errors
   are reported as unraisable and any pending exception is preserved. */
PyAPI_FUNC(int) _PyIO_InitStdio(void);
PyAPI_FUNC(int) _PyIO_InstallBuiltinsOpen(void);
PyAPI_FUNC(void) _PyIO_FlushStdio(void);

#endif /* !Py_INTERNAL_IO_H */
