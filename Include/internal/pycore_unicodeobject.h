/* Runtime-internal str helpers shared by Objects/unicodeobject.c and the
   files of Objects/unicode/. */
#ifndef Py_INTERNAL_UNICODEOBJECT_H
#define Py_INTERNAL_UNICODEOBJECT_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "unicodeobject.h"

/* Error handlers the built-in codecs implement themselves. */
typedef enum {
    _Py_ERROR_UNKNOWN = 0,
    _Py_ERROR_STRICT,
    _Py_ERROR_SURROGATEESCAPE,
    _Py_ERROR_REPLACE,
    _Py_ERROR_IGNORE,
    _Py_ERROR_BACKSLASHREPLACE,
    _Py_ERROR_SURROGATEPASS,
    _Py_ERROR_XMLCHARREFREPLACE,
    _Py_ERROR_OTHER
} _Py_error_handler;

/* NULL means "strict". */
PyAPI_FUNC(_Py_error_handler) _Py_GetErrorHandler(const char *errors);

/* The string made by copying kind/data[0:size]; the kind and ASCII flag
   are recomputed from the contents (new reference). */
PyAPI_FUNC(PyObject *) _PyUnicode_FromUCS1(const Py_UCS1 *s, Py_ssize_t size);
PyAPI_FUNC(PyObject *) _PyUnicode_FromUCS2(const Py_UCS2 *s, Py_ssize_t size);
PyAPI_FUNC(PyObject *) _PyUnicode_FromUCS4(const Py_UCS4 *s, Py_ssize_t size);
PyAPI_FUNC(PyObject *) _PyUnicode_FromASCII(const char *s, Py_ssize_t size);

/* The largest code point in data[0:size]. */
PyAPI_FUNC(Py_UCS4) _PyUnicode_FindMaxChar(int kind, const void *data,
                                           Py_ssize_t start, Py_ssize_t end);
/* Copies characters between strings of any kinds (no checks). */
PyAPI_FUNC(void) _PyUnicode_FastCopyCharacters(PyObject *to,
                                               Py_ssize_t to_start,
                                               PyObject *from,
                                               Py_ssize_t from_start,
                                               Py_ssize_t how_many);
/* Borrowed, immortal: the one-character string for ch < 256. */
PyAPI_FUNC(PyObject *) _PyUnicode_Latin1Char(Py_UCS4 ch);
/* New reference: the one-character string for any code point. */
PyAPI_FUNC(PyObject *) _PyUnicode_FromOrdinal(Py_UCS4 ch);
/* A string (new reference) from UTF-8 known to be valid. */
PyAPI_FUNC(PyObject *) _PyUnicode_DecodeUTF8Valid(const char *s,
                                                  Py_ssize_t size);
/* The UTF-8 of a str as bytes, with an error handler. */
PyAPI_FUNC(PyObject *) _PyUnicode_EncodeUTF8(PyObject *unicode,
                                             const char *errors);
PyAPI_FUNC(PyObject *) _PyUnicode_AsLatin1String(PyObject *unicode,
                                                 const char *errors);
PyAPI_FUNC(PyObject *) _PyUnicode_AsASCIIString(PyObject *unicode,
                                                const char *errors);
/* Reprs of a str into a writer. */
PyAPI_FUNC(int) _PyUnicode_ReprWrite(_PyUnicodeWriter *writer,
                                     PyObject *unicode);
/* Search primitives over (kind, data); -1 if not found. */
PyAPI_FUNC(Py_ssize_t) _PyUnicode_FindSub(int kind1, const void *s,
                                          Py_ssize_t n, int kind2,
                                          const void *p, Py_ssize_t m,
                                          int direction);
PyAPI_FUNC(Py_ssize_t) _PyUnicode_CountSub(int kind1, const void *s,
                                           Py_ssize_t n, int kind2,
                                           const void *p, Py_ssize_t m,
                                           Py_ssize_t maxcount);
/* Compares two strings: <0, 0, >0 by code points. */
PyAPI_FUNC(int) _PyUnicode_CompareStr(PyObject *a, PyObject *b);
/* Reads a slice bound (None or an index) as CPython's _PyEval_SliceIndex. */
PyAPI_FUNC(int) _PyUnicode_ParseSliceIndex(PyObject *v, Py_ssize_t *pi);

/* Method table and type pieces defined in Objects/unicode/methods.c. */
extern PyMethodDef _PyUnicode_Methods[];
PyAPI_FUNC(PyObject *) _PyUnicode_Subscript(PyObject *self, PyObject *item);
PyAPI_FUNC(PyObject *) _PyUnicode_Repeat(PyObject *str, Py_ssize_t n);

/* The iterator type for ASCII strings (str_ascii_iterator). */
extern PyTypeObject _PyUnicodeASCIIIter_Type;

/* Startup: called by Py_Initialize before anything else uses str. */
PyAPI_FUNC(int) _PyUnicode_InitTypes(void);

#endif /* !Py_INTERNAL_UNICODEOBJECT_H */
