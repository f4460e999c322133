/* The marshal serialisation format (Python/marshal.c): CPython 3.11's
 * format version 4 for plain data; code objects use Plait's own 'c'
 * layout (Plait's .pyc files are tagged plait-311 and never mixed with
 * CPython's). */
#ifndef Py_MARSHAL_H
#define Py_MARSHAL_H

#include <stdio.h>

#define Py_MARSHAL_VERSION 4

/* New reference: the marshalled bytes of OBJ; NULL with ValueError
   ("unmarshallable object", ...) on failure. */
PyAPI_FUNC(PyObject *) PyMarshal_WriteObjectToString(PyObject *obj,
                                                     int version);
/* New reference: the object read from DATA[0:LEN]; NULL with an
   exception (EOFError, ValueError, TypeError) on bad data. */
PyAPI_FUNC(PyObject *) PyMarshal_ReadObjectFromString(const char *data,
                                                      Py_ssize_t len);
/* Write the low 32 bits of VALUE / the marshalled OBJ to FP; errors are
   reported as a pending exception (CPython's behaviour). */
PyAPI_FUNC(void) PyMarshal_WriteLongToFile(long value, FILE *fp,
                                           int version);
PyAPI_FUNC(void) PyMarshal_WriteObjectToFile(PyObject *obj, FILE *fp,
                                             int version);
/* A 32-bit / 16-bit little-endian signed value from FP (-1 with EOFError
   at end of file). */
PyAPI_FUNC(long) PyMarshal_ReadLongFromFile(FILE *fp);
PyAPI_FUNC(int) PyMarshal_ReadShortFromFile(FILE *fp);
/* New reference: one object read from FP, consuming exactly its bytes. */
PyAPI_FUNC(PyObject *) PyMarshal_ReadObjectFromFile(FILE *fp);
/* New reference: the object in the rest of FP (read whole first). */
PyAPI_FUNC(PyObject *) PyMarshal_ReadLastObjectFromFile(FILE *fp);

#endif /* !Py_MARSHAL_H */
