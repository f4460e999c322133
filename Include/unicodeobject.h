/* str (Objects/unicodeobject.c and Objects/unicode/).
 *
 * PEP 393 representation: a string stores its code points in the smallest
 * of three kinds, 1 byte (latin-1), 2 bytes (UCS-2) or 4 bytes (UCS-4),
 * with an extra flag for pure ASCII.  Strings made by the runtime are
 * "compact": the characters follow the object header in the same block
 * (after PyASCIIObject for ASCII, after PyCompactUnicodeObject otherwise).
 * Instances of str subclasses are not compact: their characters live in a
 * separate block that data.any points at.  Characters are NUL-terminated.
 *
 * Strings are immutable once published.  Two caches are filled lazily and
 * may be filled by several threads at once: `hash` (relaxed atomic, every
 * thread computes the same value) and `utf8` (published by CAS; a loser
 * frees its copy).  `state.interned` is a byte of its own, so that the
 * interning code may write it (it only does on unpublished strings). */
#ifndef Py_UNICODEOBJECT_H
#define Py_UNICODEOBJECT_H

#include <stdarg.h>
#include <wchar.h>
#include "object.h"

typedef wchar_t Py_UNICODE;

#define Py_UNICODE_SIZE 4

/* Interning states. */
#define SSTATE_NOT_INTERNED 0
#define SSTATE_INTERNED_MORTAL 1
#define SSTATE_INTERNED_IMMORTAL 2
#define SSTATE_INTERNED_IMMORTAL_STATIC 3

typedef struct {
    PyObject_HEAD
    Py_ssize_t length;          /* number of code points */
    Py_hash_t hash;             /* -1 until computed; relaxed atomic */
    struct {
        unsigned char interned; /* SSTATE_*; a memory location of its own */
        unsigned int kind:3;    /* PyUnicode_{1,2,4}BYTE_KIND */
        unsigned int compact:1;
        unsigned int ascii:1;   /* every code point < 128 */
        unsigned int statically_allocated:1;
        unsigned int :18;
    } state;
} PyASCIIObject;

typedef struct {
    PyASCIIObject _base;
    Py_ssize_t utf8_length;     /* bytes in utf8, not counting the NUL */
    char *utf8;                 /* cached UTF-8, NUL-terminated; CAS */
} PyCompactUnicodeObject;

typedef struct {
    PyCompactUnicodeObject _base;
    union {
        void *any;
        Py_UCS1 *latin1;
        Py_UCS2 *ucs2;
        Py_UCS4 *ucs4;
    } data;
} PyUnicodeObject;

PyAPI_DATA(PyTypeObject) PyUnicode_Type;
PyAPI_DATA(PyTypeObject) PyUnicodeIter_Type;

#define PyUnicode_Check(op) \
    PyType_HasFeature(Py_TYPE(op), Py_TPFLAGS_UNICODE_SUBCLASS)
#define PyUnicode_CheckExact(op) Py_IS_TYPE((op), &PyUnicode_Type)

#define _PyASCIIObject_CAST(op) ((PyASCIIObject *)(op))
#define _PyCompactUnicodeObject_CAST(op) ((PyCompactUnicodeObject *)(op))
#define _PyUnicodeObject_CAST(op) ((PyUnicodeObject *)(op))

enum PyUnicode_Kind {
    PyUnicode_1BYTE_KIND = 1,
    PyUnicode_2BYTE_KIND = 2,
    PyUnicode_4BYTE_KIND = 4
};

/* ---------------------------------------------------- inline accessors */

static inline unsigned int
PyUnicode_CHECK_INTERNED(PyObject *op)
{
    return _Py_atomic_load_uint8_relaxed(
        &_PyASCIIObject_CAST(op)->state.interned);
}
#define PyUnicode_CHECK_INTERNED(op) \
    PyUnicode_CHECK_INTERNED(_PyObject_CAST(op))

/* Every string is ready (the 3.11 legacy wstr representation is gone). */
static inline unsigned int
PyUnicode_IS_READY(PyObject *Py_UNUSED(op))
{
    return 1;
}
#define PyUnicode_IS_READY(op) PyUnicode_IS_READY(_PyObject_CAST(op))

static inline int
PyUnicode_READY(PyObject *Py_UNUSED(op))
{
    return 0;
}
#define PyUnicode_READY(op) PyUnicode_READY(_PyObject_CAST(op))

static inline unsigned int
PyUnicode_IS_ASCII(PyObject *op)
{
    return _PyASCIIObject_CAST(op)->state.ascii;
}
#define PyUnicode_IS_ASCII(op) PyUnicode_IS_ASCII(_PyObject_CAST(op))

static inline unsigned int
PyUnicode_IS_COMPACT(PyObject *op)
{
    return _PyASCIIObject_CAST(op)->state.compact;
}
#define PyUnicode_IS_COMPACT(op) PyUnicode_IS_COMPACT(_PyObject_CAST(op))

static inline int
PyUnicode_IS_COMPACT_ASCII(PyObject *op)
{
    return (_PyASCIIObject_CAST(op)->state.ascii &&
            PyUnicode_IS_COMPACT(op));
}
#define PyUnicode_IS_COMPACT_ASCII(op) \
    PyUnicode_IS_COMPACT_ASCII(_PyObject_CAST(op))

#define PyUnicode_KIND(op) \
    ((int)(_PyASCIIObject_CAST(op)->state.kind))

static inline void *
_PyUnicode_COMPACT_DATA(PyObject *op)
{
    if (PyUnicode_IS_ASCII(op)) {
        return (void *)(_PyASCIIObject_CAST(op) + 1);
    }
    return (void *)(_PyCompactUnicodeObject_CAST(op) + 1);
}

static inline void *
_PyUnicode_NONCOMPACT_DATA(PyObject *op)
{
    return _PyUnicodeObject_CAST(op)->data.any;
}

static inline void *
PyUnicode_DATA(PyObject *op)
{
    if (PyUnicode_IS_COMPACT(op)) {
        return _PyUnicode_COMPACT_DATA(op);
    }
    return _PyUnicode_NONCOMPACT_DATA(op);
}
#define PyUnicode_DATA(op) PyUnicode_DATA(_PyObject_CAST(op))

#define PyUnicode_1BYTE_DATA(op) ((Py_UCS1 *)PyUnicode_DATA(op))
#define PyUnicode_2BYTE_DATA(op) ((Py_UCS2 *)PyUnicode_DATA(op))
#define PyUnicode_4BYTE_DATA(op) ((Py_UCS4 *)PyUnicode_DATA(op))

static inline Py_ssize_t
PyUnicode_GET_LENGTH(PyObject *op)
{
    return _PyASCIIObject_CAST(op)->length;
}
#define PyUnicode_GET_LENGTH(op) PyUnicode_GET_LENGTH(_PyObject_CAST(op))

static inline void
PyUnicode_WRITE(int kind, void *data, Py_ssize_t index, Py_UCS4 value)
{
    if (kind == PyUnicode_1BYTE_KIND) {
        ((Py_UCS1 *)data)[index] = (Py_UCS1)value;
    }
    else if (kind == PyUnicode_2BYTE_KIND) {
        ((Py_UCS2 *)data)[index] = (Py_UCS2)value;
    }
    else {
        ((Py_UCS4 *)data)[index] = value;
    }
}
#define PyUnicode_WRITE(kind, data, index, value) \
    PyUnicode_WRITE((int)(kind), (void *)(data), (index), (Py_UCS4)(value))

static inline Py_UCS4
PyUnicode_READ(int kind, const void *data, Py_ssize_t index)
{
    if (kind == PyUnicode_1BYTE_KIND) {
        return ((const Py_UCS1 *)data)[index];
    }
    if (kind == PyUnicode_2BYTE_KIND) {
        return ((const Py_UCS2 *)data)[index];
    }
    return ((const Py_UCS4 *)data)[index];
}
#define PyUnicode_READ(kind, data, index) \
    PyUnicode_READ((int)(kind), (const void *)(data), (index))

static inline Py_UCS4
PyUnicode_READ_CHAR(PyObject *unicode, Py_ssize_t index)
{
    return PyUnicode_READ(PyUnicode_KIND(unicode), PyUnicode_DATA(unicode),
                          index);
}
#define PyUnicode_READ_CHAR(unicode, index) \
    PyUnicode_READ_CHAR(_PyObject_CAST(unicode), (index))

/* An upper bound of the largest code point, from the kind alone. */
static inline Py_UCS4
PyUnicode_MAX_CHAR_VALUE(PyObject *op)
{
    if (PyUnicode_IS_ASCII(op)) {
        return 0x7f;
    }
    int kind = PyUnicode_KIND(op);
    if (kind == PyUnicode_1BYTE_KIND) {
        return 0xff;
    }
    if (kind == PyUnicode_2BYTE_KIND) {
        return 0xffff;
    }
    return 0x10ffff;
}
#define PyUnicode_MAX_CHAR_VALUE(op) \
    PyUnicode_MAX_CHAR_VALUE(_PyObject_CAST(op))

#define Py_UNICODE_REPLACEMENT_CHARACTER ((Py_UCS4)0xFFFD)
#define Py_UNICODE_IS_SURROGATE(ch) (0xD800 <= (ch) && (ch) <= 0xDFFF)
#define Py_UNICODE_IS_HIGH_SURROGATE(ch) (0xD800 <= (ch) && (ch) <= 0xDBFF)
#define Py_UNICODE_IS_LOW_SURROGATE(ch) (0xDC00 <= (ch) && (ch) <= 0xDFFF)
#define Py_UNICODE_JOIN_SURROGATES(high, low) \
    (((((Py_UCS4)(high) & 0x03FF) << 10) | \
      ((Py_UCS4)(low) & 0x03FF)) + 0x10000)
#define Py_UNICODE_HIGH_SURROGATE(ch) (0xD800 - (0x10000 >> 10) + ((ch) >> 10))
#define Py_UNICODE_LOW_SURROGATE(ch) (0xDC00 + ((ch) & 0x3FF))

/* Character predicates and mappings (the Unicode database). */
PyAPI_FUNC(int) _PyUnicode_IsWhitespace(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsLowercase(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsUppercase(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsTitlecase(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsLinebreak(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsDecimalDigit(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsDigit(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsNumeric(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsPrintable(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsAlpha(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_IsAlnum(Py_UCS4 ch);
PyAPI_FUNC(Py_UCS4) _PyUnicode_ToLowercase(Py_UCS4 ch);
PyAPI_FUNC(Py_UCS4) _PyUnicode_ToUppercase(Py_UCS4 ch);
PyAPI_FUNC(Py_UCS4) _PyUnicode_ToTitlecase(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_ToDecimalDigit(Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicode_ToDigit(Py_UCS4 ch);
PyAPI_FUNC(double) _PyUnicode_ToNumeric(Py_UCS4 ch);

#define Py_UNICODE_ISSPACE(ch) _PyUnicode_IsWhitespace((Py_UCS4)(ch))
#define Py_UNICODE_ISLOWER(ch) _PyUnicode_IsLowercase((Py_UCS4)(ch))
#define Py_UNICODE_ISUPPER(ch) _PyUnicode_IsUppercase((Py_UCS4)(ch))
#define Py_UNICODE_ISTITLE(ch) _PyUnicode_IsTitlecase((Py_UCS4)(ch))
#define Py_UNICODE_ISLINEBREAK(ch) _PyUnicode_IsLinebreak((Py_UCS4)(ch))
#define Py_UNICODE_TOLOWER(ch) _PyUnicode_ToLowercase((Py_UCS4)(ch))
#define Py_UNICODE_TOUPPER(ch) _PyUnicode_ToUppercase((Py_UCS4)(ch))
#define Py_UNICODE_TOTITLE(ch) _PyUnicode_ToTitlecase((Py_UCS4)(ch))
#define Py_UNICODE_ISDECIMAL(ch) _PyUnicode_IsDecimalDigit((Py_UCS4)(ch))
#define Py_UNICODE_ISDIGIT(ch) _PyUnicode_IsDigit((Py_UCS4)(ch))
#define Py_UNICODE_ISNUMERIC(ch) _PyUnicode_IsNumeric((Py_UCS4)(ch))
#define Py_UNICODE_ISPRINTABLE(ch) _PyUnicode_IsPrintable((Py_UCS4)(ch))
#define Py_UNICODE_TODECIMAL(ch) _PyUnicode_ToDecimalDigit((Py_UCS4)(ch))
#define Py_UNICODE_TODIGIT(ch) _PyUnicode_ToDigit((Py_UCS4)(ch))
#define Py_UNICODE_TONUMERIC(ch) _PyUnicode_ToNumeric((Py_UCS4)(ch))
#define Py_UNICODE_ISALPHA(ch) _PyUnicode_IsAlpha((Py_UCS4)(ch))
#define Py_UNICODE_ISALNUM(ch) _PyUnicode_IsAlnum((Py_UCS4)(ch))

/* ---------------------------------------------------- creation */

/* New references unless stated.  Failures return NULL with an exception. */
PyAPI_FUNC(PyObject *) PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar);
PyAPI_FUNC(PyObject *) PyUnicode_FromKindAndData(int kind, const void *buffer,
                                                 Py_ssize_t size);
PyAPI_FUNC(PyObject *) PyUnicode_FromStringAndSize(const char *u,
                                                   Py_ssize_t size);
PyAPI_FUNC(PyObject *) PyUnicode_FromString(const char *u);
PyAPI_FUNC(PyObject *) PyUnicode_FromOrdinal(int ordinal);
PyAPI_FUNC(PyObject *) PyUnicode_FromObject(PyObject *obj);
PyAPI_FUNC(PyObject *) PyUnicode_FromEncodedObject(PyObject *obj,
                                                   const char *encoding,
                                                   const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_FromWideChar(const wchar_t *w,
                                              Py_ssize_t size);
PyAPI_FUNC(PyObject *) PyUnicode_FromFormatV(const char *format,
                                             va_list vargs);
PyAPI_FUNC(PyObject *) PyUnicode_FromFormat(const char *format, ...);
PyAPI_FUNC(PyObject *) PyUnicode_Substring(PyObject *str, Py_ssize_t start,
                                           Py_ssize_t end);

/* ---------------------------------------------------- access */

PyAPI_FUNC(Py_ssize_t) PyUnicode_GetLength(PyObject *unicode);
PyAPI_FUNC(Py_UCS4) PyUnicode_ReadChar(PyObject *unicode, Py_ssize_t index);
/* Only on a string nobody else has seen yet (refcount 1, not hashed). */
PyAPI_FUNC(int) PyUnicode_WriteChar(PyObject *unicode, Py_ssize_t index,
                                    Py_UCS4 character);
PyAPI_FUNC(Py_ssize_t) PyUnicode_CopyCharacters(PyObject *to,
                                                Py_ssize_t to_start,
                                                PyObject *from,
                                                Py_ssize_t from_start,
                                                Py_ssize_t how_many);
PyAPI_FUNC(Py_ssize_t) PyUnicode_Fill(PyObject *unicode, Py_ssize_t start,
                                      Py_ssize_t length, Py_UCS4 fill_char);
PyAPI_FUNC(Py_UCS4 *) PyUnicode_AsUCS4(PyObject *unicode, Py_UCS4 *buffer,
                                       Py_ssize_t buflen, int copy_null);
PyAPI_FUNC(Py_UCS4 *) PyUnicode_AsUCS4Copy(PyObject *unicode);
PyAPI_FUNC(Py_ssize_t) PyUnicode_AsWideChar(PyObject *unicode, wchar_t *w,
                                            Py_ssize_t size);
PyAPI_FUNC(wchar_t *) PyUnicode_AsWideCharString(PyObject *unicode,
                                                 Py_ssize_t *size);

/* The cached UTF-8 form, valid as long as the string lives (borrowed
   memory).  UnicodeEncodeError for lone surrogates. */
PyAPI_FUNC(const char *) PyUnicode_AsUTF8AndSize(PyObject *unicode,
                                                 Py_ssize_t *size);
PyAPI_FUNC(const char *) PyUnicode_AsUTF8(PyObject *unicode);

/* ---------------------------------------------------- codecs */

PyAPI_FUNC(PyObject *) PyUnicode_Decode(const char *s, Py_ssize_t size,
                                        const char *encoding,
                                        const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_AsEncodedString(PyObject *unicode,
                                                 const char *encoding,
                                                 const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_DecodeUTF8(const char *s, Py_ssize_t size,
                                            const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_DecodeUTF8Stateful(const char *s,
                                                    Py_ssize_t size,
                                                    const char *errors,
                                                    Py_ssize_t *consumed);
PyAPI_FUNC(PyObject *) PyUnicode_AsUTF8String(PyObject *unicode);
PyAPI_FUNC(PyObject *) _PyUnicode_AsUTF8String(PyObject *unicode,
                                               const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_DecodeUTF16(const char *s, Py_ssize_t size,
                                             const char *errors,
                                             int *byteorder);
PyAPI_FUNC(PyObject *) PyUnicode_DecodeUTF16Stateful(const char *s,
                                                     Py_ssize_t size,
                                                     const char *errors,
                                                     int *byteorder,
                                                     Py_ssize_t *consumed);
PyAPI_FUNC(PyObject *) PyUnicode_AsUTF16String(PyObject *unicode);
PyAPI_FUNC(PyObject *) _PyUnicode_EncodeUTF16(PyObject *unicode,
                                              const char *errors,
                                              int byteorder);
PyAPI_FUNC(PyObject *) PyUnicode_DecodeUTF32(const char *s, Py_ssize_t size,
                                             const char *errors,
                                             int *byteorder);
PyAPI_FUNC(PyObject *) PyUnicode_DecodeUTF32Stateful(const char *s,
                                                     Py_ssize_t size,
                                                     const char *errors,
                                                     int *byteorder,
                                                     Py_ssize_t *consumed);
PyAPI_FUNC(PyObject *) PyUnicode_AsUTF32String(PyObject *unicode);
PyAPI_FUNC(PyObject *) _PyUnicode_EncodeUTF32(PyObject *unicode,
                                              const char *errors,
                                              int byteorder);
PyAPI_FUNC(PyObject *) PyUnicode_DecodeLatin1(const char *s, Py_ssize_t size,
                                              const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_AsLatin1String(PyObject *unicode);
PyAPI_FUNC(PyObject *) PyUnicode_DecodeASCII(const char *s, Py_ssize_t size,
                                             const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_AsASCIIString(PyObject *unicode);
PyAPI_FUNC(PyObject *) PyUnicode_DecodeFSDefault(const char *s);
PyAPI_FUNC(PyObject *) PyUnicode_DecodeFSDefaultAndSize(const char *s,
                                                        Py_ssize_t size);
PyAPI_FUNC(PyObject *) PyUnicode_EncodeFSDefault(PyObject *unicode);
PyAPI_FUNC(PyObject *) PyUnicode_DecodeLocale(const char *str,
                                              const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_DecodeLocaleAndSize(const char *str,
                                                     Py_ssize_t len,
                                                     const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_EncodeLocale(PyObject *unicode,
                                              const char *errors);

/* ---------------------------------------------------- operations */

PyAPI_FUNC(PyObject *) PyUnicode_Concat(PyObject *left, PyObject *right);
/* *pleft = *pleft + right; steals *pleft (set to NULL on error). */
PyAPI_FUNC(void) PyUnicode_Append(PyObject **pleft, PyObject *right);
/* The same, and steals right too. */
PyAPI_FUNC(void) PyUnicode_AppendAndDel(PyObject **pleft, PyObject *right);
PyAPI_FUNC(PyObject *) PyUnicode_Split(PyObject *s, PyObject *sep,
                                       Py_ssize_t maxsplit);
PyAPI_FUNC(PyObject *) PyUnicode_RSplit(PyObject *s, PyObject *sep,
                                        Py_ssize_t maxsplit);
PyAPI_FUNC(PyObject *) PyUnicode_Splitlines(PyObject *s, int keepends);
PyAPI_FUNC(PyObject *) PyUnicode_Partition(PyObject *s, PyObject *sep);
PyAPI_FUNC(PyObject *) PyUnicode_RPartition(PyObject *s, PyObject *sep);
PyAPI_FUNC(PyObject *) PyUnicode_Join(PyObject *separator, PyObject *seq);
PyAPI_FUNC(Py_ssize_t) PyUnicode_Tailmatch(PyObject *str, PyObject *substr,
                                           Py_ssize_t start, Py_ssize_t end,
                                           int direction);
PyAPI_FUNC(Py_ssize_t) PyUnicode_Find(PyObject *str, PyObject *substr,
                                      Py_ssize_t start, Py_ssize_t end,
                                      int direction);
PyAPI_FUNC(Py_ssize_t) PyUnicode_FindChar(PyObject *str, Py_UCS4 ch,
                                          Py_ssize_t start, Py_ssize_t end,
                                          int direction);
PyAPI_FUNC(Py_ssize_t) PyUnicode_Count(PyObject *str, PyObject *substr,
                                       Py_ssize_t start, Py_ssize_t end);
PyAPI_FUNC(PyObject *) PyUnicode_Replace(PyObject *str, PyObject *substr,
                                         PyObject *replstr,
                                         Py_ssize_t maxcount);
PyAPI_FUNC(int) PyUnicode_Compare(PyObject *left, PyObject *right);
PyAPI_FUNC(int) PyUnicode_CompareWithASCIIString(PyObject *left,
                                                 const char *right);
PyAPI_FUNC(PyObject *) PyUnicode_RichCompare(PyObject *left, PyObject *right,
                                             int op);
PyAPI_FUNC(int) PyUnicode_Contains(PyObject *container, PyObject *element);
PyAPI_FUNC(int) PyUnicode_IsIdentifier(PyObject *s);
/* str % args (complete in the next round). */
PyAPI_FUNC(PyObject *) PyUnicode_Format(PyObject *format, PyObject *args);

/* Interning.  Interned strings are immortal. */
PyAPI_FUNC(void) PyUnicode_InternInPlace(PyObject **p);
PyAPI_FUNC(PyObject *) PyUnicode_InternFromString(const char *v);
PyAPI_FUNC(void) PyUnicode_InternImmortal(PyObject **p);

/* ---------------------------------------------------- runtime helpers */

/* Equality of two str objects (no type checks). */
PyAPI_FUNC(int) _PyUnicode_EQ(PyObject *a, PyObject *b);
PyAPI_FUNC(int) _PyUnicode_Equal(PyObject *a, PyObject *b);
/* 1 if the str equals the NUL-terminated ASCII string. */
PyAPI_FUNC(int) _PyUnicode_EqualToASCIIString(PyObject *unicode,
                                              const char *str);
/* Borrowed, immortal: the empty string. */
PyAPI_FUNC(PyObject *) _PyUnicode_GetEmpty(void);
PyAPI_FUNC(PyObject *) _PyUnicode_Copy(PyObject *unicode);
PyAPI_FUNC(PyObject *) _PyUnicode_JoinArray(PyObject *separator,
                                            PyObject *const *items,
                                            Py_ssize_t seqlen);
PyAPI_FUNC(Py_hash_t) _PyUnicode_Hash(PyObject *unicode);
/* The repr of a str; new reference. */
PyAPI_FUNC(PyObject *) _PyUnicode_Repr(PyObject *unicode);

/* _PyUnicodeWriter: builds a str piece by piece, widening the kind as
   needed.  Not thread-safe; lives on the stack of one call. */
typedef struct {
    PyObject *buffer;
    void *data;
    int kind;
    Py_UCS4 maxchar;
    Py_ssize_t size;
    Py_ssize_t pos;
    Py_ssize_t min_length;      /* grow at least to this */
    Py_UCS4 min_char;
    unsigned char overallocate; /* grow by more than asked */
    unsigned char readonly;     /* buffer is a shared str (WriteStr) */
} _PyUnicodeWriter;

PyAPI_FUNC(void) _PyUnicodeWriter_Init(_PyUnicodeWriter *writer);
/* Room for length more characters up to maxchar: 0 or -1. */
PyAPI_FUNC(int) _PyUnicodeWriter_PrepareInternal(_PyUnicodeWriter *writer,
                                                 Py_ssize_t length,
                                                 Py_UCS4 maxchar);
PyAPI_FUNC(int) _PyUnicodeWriter_WriteChar(_PyUnicodeWriter *writer,
                                           Py_UCS4 ch);
PyAPI_FUNC(int) _PyUnicodeWriter_WriteStr(_PyUnicodeWriter *writer,
                                          PyObject *str);
PyAPI_FUNC(int) _PyUnicodeWriter_WriteSubstring(_PyUnicodeWriter *writer,
                                                PyObject *str,
                                                Py_ssize_t start,
                                                Py_ssize_t end);
PyAPI_FUNC(int) _PyUnicodeWriter_WriteASCIIString(_PyUnicodeWriter *writer,
                                                  const char *str,
                                                  Py_ssize_t len);
PyAPI_FUNC(int) _PyUnicodeWriter_WriteLatin1String(_PyUnicodeWriter *writer,
                                                   const char *str,
                                                   Py_ssize_t len);
/* The finished str (new reference); the writer is emptied. */
PyAPI_FUNC(PyObject *) _PyUnicodeWriter_Finish(_PyUnicodeWriter *writer);
PyAPI_FUNC(void) _PyUnicodeWriter_Dealloc(_PyUnicodeWriter *writer);

static inline int
_PyUnicodeWriter_Prepare(_PyUnicodeWriter *writer, Py_ssize_t length,
                         Py_UCS4 maxchar)
{
    if (maxchar <= writer->maxchar && length <= writer->size - writer->pos) {
        return 0;
    }
    if (length == 0) {
        return 0;
    }
    return _PyUnicodeWriter_PrepareInternal(writer, length, maxchar);
}

#endif /* !Py_UNICODEOBJECT_H */
