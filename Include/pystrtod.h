/* Conversions between double and text (Python/pystrtod.c). */
#ifndef Py_PYSTRTOD_H
#define Py_PYSTRTOD_H

#include "pyport.h"

/* Parses a double from s (no leading whitespace, no underscores): returns
   it and sets *endptr past it.  With endptr NULL the whole string must be
   consumed (else ValueError "could not convert string to float: ...").
   On overflow returns +-inf, or raises overflow_exception if given. */
struct _object;
PyAPI_FUNC(double) PyOS_string_to_double(const char *s, char **endptr,
                                         struct _object *overflow_exception);

/* Formats val into a PyMem_Malloc'd string (PyMem_Free it).  format_code
   is 'e', 'E', 'f', 'F', 'g', 'G' or 'r' (repr: shortest round-trip,
   precision must be 0).  flags: Py_DTSF_*.  *type gets Py_DTST_*. */
PyAPI_FUNC(char *) PyOS_double_to_string(double val, char format_code,
                                         int precision, int flags,
                                         int *type);

#define Py_DTSF_SIGN      0x01  /* always add the sign */
#define Py_DTSF_ADD_DOT_0 0x02  /* if the result looks like an int, add .0 */
#define Py_DTSF_ALT       0x04  /* "alternate" formatting ('#') */
#define Py_DTSF_NO_NEG_0  0x08  /* negative zero becomes zero ('z') */

#define Py_DTST_FINITE 0
#define Py_DTST_INFINITE 1
#define Py_DTST_NAN 2

/* The shortest decimal digits that read back as val: writes up to 17
   digits (no dot, NUL-terminated) to digits and sets *decpt so that
   val = 0.DIGITS * 10**decpt; val must be finite and nonzero (sign
   ignored).  Returns the digit count. */
PyAPI_FUNC(int) _Py_dg_shortest(double val, char *digits, int *decpt);

/* Internal: parse like float(), after whitespace and underscores are dealt
   with; returns -1.0 and sets *ok = 0 when s is malformed. */
PyAPI_FUNC(double) _Py_parse_inf_or_nan(const char *p, char **endptr);

#endif /* !Py_PYSTRTOD_H */
