/* Runtime-internal helpers shared by bytes and bytearray. */
#ifndef Py_INTERNAL_BYTESOBJECT_H
#define Py_INTERNAL_BYTESOBJECT_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "bytesobject.h"
#include "bytearrayobject.h"

/* repr of the bytes s[0:n] as prefix + b'...' + suffix (a new str);
   smartquotes picks double quotes when the data has ' but no ". */
PyAPI_FUNC(PyObject *) _PyBytes_ReprBuffer(const char *s, Py_ssize_t n,
                                           int smartquotes,
                                           const char *prefix,
                                           const char *suffix);
/* bytes.hex() / bytearray.hex() of s[0:n] with an optional separator. */
PyAPI_FUNC(PyObject *) _PyBytes_HexBuffer(const char *s, Py_ssize_t n,
                                          PyObject *sep,
                                          Py_ssize_t bytes_per_sep);
/* bytes.fromhex(str): the bytes (new reference). */
PyAPI_FUNC(PyObject *) _PyBytes_FromHex(PyObject *string, int use_bytearray);
/* An int in range(256) from obj: 0 and *value, or -1 with ValueError
   "byte must be in range(0, 256)" or a TypeError. */
PyAPI_FUNC(int) _PyBytes_GetByte(PyObject *obj, int *value);
/* Decodes s[0:len] for bytes.decode(encoding, errors). */
PyAPI_FUNC(PyObject *) _PyBytes_Decode(const char *s, Py_ssize_t len,
                                       PyObject *args, PyObject *kwds);

/* The bytes a shared method works on, and whether it makes bytearrays. */
typedef struct {
    const char *s;
    Py_ssize_t len;
    int bytearray;
    PyObject *self;     /* the bytes object itself, or NULL (snapshot) */
} _PyBytesView;

/* The methods bytes and bytearray share (Objects/bytes_methods.c), as an
   X-macro: X(name) for each; the implementation is
   PyObject *_Py_bytes_<name>(_PyBytesView *, PyObject *args,
                              PyObject *kwds). */
#define _PY_BYTES_SHARED_METHODS(X) \
    X(capitalize) X(center) X(count) X(endswith) X(expandtabs) X(find) \
    X(index) X(isalnum) X(isalpha) X(isascii) X(isdigit) X(islower) \
    X(isspace) X(istitle) X(isupper) X(join) X(ljust) X(lower) X(lstrip) \
    X(partition) X(removeprefix) X(removesuffix) X(replace) X(rfind) \
    X(rindex) X(rjust) X(rpartition) X(rsplit) X(rstrip) X(split) \
    X(splitlines) X(startswith) X(strip) X(swapcase) X(title) \
    X(translate) X(upper) X(zfill)

#define _PY_BYTES_DECLARE(name) \
    PyAPI_FUNC(PyObject *) _Py_bytes_##name(_PyBytesView *v, \
                                            PyObject *args, PyObject *kwds);
_PY_BYTES_SHARED_METHODS(_PY_BYTES_DECLARE)
#undef _PY_BYTES_DECLARE

/* bytes.maketrans / bytearray.maketrans (static). */
PyAPI_FUNC(PyObject *) _PyBytes_MakeTrans(PyObject *null, PyObject *args);
/* fmt % args for bytes (is_bytearray 0) or bytearray; new reference. */
PyAPI_FUNC(PyObject *) _PyBytes_FormatEx(const char *fmt, Py_ssize_t len,
                                         PyObject *args, int is_bytearray);

PyAPI_FUNC(int) _PyBytes_InitTypes(void);
PyAPI_FUNC(int) _PyByteArray_InitTypes(void);

#endif /* !Py_INTERNAL_BYTESOBJECT_H */
