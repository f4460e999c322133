/* Runtime-internal parts of the codec registry (Python/codecs.c) and the
   helpers the built-in codecs in Objects/unicode/ share with it. */
#ifndef Py_INTERNAL_CODECS_H
#define Py_INTERNAL_CODECS_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

/* The CodecInfo for `encoding` (new reference): the cached one if this
   normalised name was looked up before, otherwise the first non-None
   answer of the search functions.  LookupError if none knows it. */
PyAPI_FUNC(PyObject *) _PyCodec_Lookup(const char *encoding);

/* Empties the registries at interpreter shutdown (Py_FinalizeEx, with
   no other thread running).  Not called yet: see the report. */
PyAPI_FUNC(void) _PyCodec_Fini(void);

/* Drops `encoding` from the lookup cache (KeyError if absent). */
PyAPI_FUNC(int) _PyCodec_Forget(const char *encoding);

/* As _PyCodec_Lookup, but LookupError("'x' is not a text encoding; use
   ALTERNATE_COMMAND to handle arbitrary codecs") when the CodecInfo says
   _is_text_encoding = False.  New reference. */
PyAPI_FUNC(PyObject *) _PyCodec_LookupTextEncoding(
    const char *encoding, const char *alternate_command);

/* str.encode / bytes.decode through the registry for text encodings:
   the raw result of the codec (new reference), type not checked. */
PyAPI_FUNC(PyObject *) _PyCodec_EncodeText(PyObject *object,
                                           const char *encoding,
                                           const char *errors);
PyAPI_FUNC(PyObject *) _PyCodec_DecodeText(PyObject *object,
                                           const char *encoding,
                                           const char *errors);

/* Re-raises the pending exception as "OPERATION with 'ENCODING' codec
   failed (Type: msg)" of the same type, chained to it, when that loses
   nothing (see Python/codecs.c); otherwise leaves it alone. */
PyAPI_FUNC(void) _PyCodec_WrapError(const char *operation,
                                    const char *encoding);

/* codec_info.incrementaldecoder(errors) / incrementalencoder(errors)
   for a CodecInfo already looked up (new reference). */
PyAPI_FUNC(PyObject *) _PyCodecInfo_GetIncrementalDecoder(
    PyObject *codec_info, const char *errors);
PyAPI_FUNC(PyObject *) _PyCodecInfo_GetIncrementalEncoder(
    PyObject *codec_info, const char *errors);

/* The remaining built-in error handlers (the documented six are in
   codecs.h).  Each takes a UnicodeError instance and returns the
   (replacement, resume position) tuple (new reference). */
PyAPI_FUNC(PyObject *) _PyCodec_SurrogatePassErrors(PyObject *exc);
PyAPI_FUNC(PyObject *) _PyCodec_SurrogateEscapeErrors(PyObject *exc);

/* Calls the error handler registered as `errors` for one decoding error
   in input[start:end] and gives back the replacement string (new
   reference) and the position to resume at (*newpos, already checked to
   lie in [0, size]).  *exc_cache holds the UnicodeDecodeError between
   calls (create it NULL, Py_XDECREF it when done). */
PyAPI_FUNC(PyObject *) _PyCodec_CallDecodeErrorHandler(
    const char *errors, PyObject **exc_cache, const char *encoding,
    const char *reason, const char *input, Py_ssize_t size,
    Py_ssize_t start, Py_ssize_t end, Py_ssize_t *newpos);

/* The same for encoding unicode[start:end]: the replacement is str or
   bytes (new reference; anything else is a TypeError). */
PyAPI_FUNC(PyObject *) _PyCodec_CallEncodeErrorHandler(
    const char *errors, PyObject **exc_cache, const char *encoding,
    const char *reason, PyObject *unicode, Py_ssize_t start,
    Py_ssize_t end, Py_ssize_t *newpos);

/* Raises UnicodeEncodeError(encoding, unicode, start, end, reason),
   reusing *exc_cache when set. */
PyAPI_FUNC(void) _PyCodec_RaiseEncodeError(
    PyObject **exc_cache, const char *encoding, PyObject *unicode,
    Py_ssize_t start, Py_ssize_t end, const char *reason);

/* ------------------------------------------------ codec buffers */

/* A growable UCS4 buffer for decoders (start zeroed; PyMem_Free(buf)). */
typedef struct {
    Py_UCS4 *buf;
    Py_ssize_t len;
    Py_ssize_t cap;
} _PyUCS4Buf;

PyAPI_FUNC(int) _PyUCS4Buf_Grow(_PyUCS4Buf *b, Py_ssize_t more);

static inline int
_PyUCS4Buf_Put(_PyUCS4Buf *b, Py_UCS4 ch)
{
    if (b->len == b->cap && _PyUCS4Buf_Grow(b, 1) < 0) {
        return -1;
    }
    b->buf[b->len++] = ch;
    return 0;
}

/* Appends a NUL-terminated ASCII string. */
PyAPI_FUNC(int) _PyUCS4Buf_PutASCII(_PyUCS4Buf *b, const char *s);
/* Appends the characters of a str. */
PyAPI_FUNC(int) _PyUCS4Buf_PutStr(_PyUCS4Buf *b, PyObject *str);
/* The str of the contents (new reference); frees the buffer. */
PyAPI_FUNC(PyObject *) _PyUCS4Buf_Finish(_PyUCS4Buf *b);

/* A growable byte buffer for encoders (start zeroed). */
typedef struct {
    char *buf;
    Py_ssize_t len;
    Py_ssize_t cap;
} _PyBytesBuf;

PyAPI_FUNC(int) _PyBytesBuf_Reserve(_PyBytesBuf *b, Py_ssize_t more);
PyAPI_FUNC(int) _PyBytesBuf_Put(_PyBytesBuf *b, const char *s,
                                Py_ssize_t n);
/* The bytes of the contents (new reference); frees the buffer. */
PyAPI_FUNC(PyObject *) _PyBytesBuf_Finish(_PyBytesBuf *b);

static inline int
_PyBytesBuf_PutByte(_PyBytesBuf *b, int c)
{
    char ch = (char)c;
    return _PyBytesBuf_Put(b, &ch, 1);
}

/* Runs the registered handler `errors` for a decoding error in
   input[start:end] and appends its replacement to `out`: the position to
   resume at, or -1 with an exception. */
PyAPI_FUNC(Py_ssize_t) _PyUnicode_DecodeCallErrorHandler(
    _PyUCS4Buf *out, const char *errors, const char *encoding,
    const char *reason, const char *input, Py_ssize_t size,
    Py_ssize_t start, Py_ssize_t end);

/* The same for an encoding error in unicode[start:end]; a str
   replacement must consist of characters below `limit` (written as
   single bytes) or the original error is raised.  Returns the resume
   position or -1. */
PyAPI_FUNC(Py_ssize_t) _PyUnicode_EncodeCallErrorHandler(
    _PyBytesBuf *out, const char *errors, const char *encoding,
    const char *reason, PyObject *unicode, Py_ssize_t start,
    Py_ssize_t end, Py_UCS4 limit);

/* ------------------------------------------------ more built-in codecs
   Temporary home of declarations that belong in Include/unicodeobject.h
   (owned by someone else): UTF-7, the escape codecs, charmap. */
PyAPI_FUNC(PyObject *) PyUnicode_DecodeUTF7(const char *s, Py_ssize_t size,
                                            const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_DecodeUTF7Stateful(const char *s,
                                                    Py_ssize_t size,
                                                    const char *errors,
                                                    Py_ssize_t *consumed);
PyAPI_FUNC(PyObject *) _PyUnicode_EncodeUTF7(PyObject *unicode,
                                             const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_DecodeUnicodeEscape(const char *s,
                                                     Py_ssize_t size,
                                                     const char *errors);
PyAPI_FUNC(PyObject *) _PyUnicode_DecodeUnicodeEscapeStateful(
    const char *s, Py_ssize_t size, const char *errors,
    Py_ssize_t *consumed);
PyAPI_FUNC(PyObject *) PyUnicode_AsUnicodeEscapeString(PyObject *unicode);
PyAPI_FUNC(PyObject *) _PyUnicode_EncodeUnicodeEscape(PyObject *unicode,
                                                      const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_DecodeRawUnicodeEscape(const char *s,
                                                        Py_ssize_t size,
                                                        const char *errors);
PyAPI_FUNC(PyObject *) _PyUnicode_DecodeRawUnicodeEscapeStateful(
    const char *s, Py_ssize_t size, const char *errors,
    Py_ssize_t *consumed);
PyAPI_FUNC(PyObject *) PyUnicode_AsRawUnicodeEscapeString(PyObject *unicode);
PyAPI_FUNC(PyObject *) _PyUnicode_EncodeRawUnicodeEscape(PyObject *unicode,
                                                         const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_DecodeCharmap(const char *s,
                                               Py_ssize_t size,
                                               PyObject *mapping,
                                               const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_AsCharmapString(PyObject *unicode,
                                                 PyObject *mapping);
PyAPI_FUNC(PyObject *) _PyUnicode_EncodeCharmap(PyObject *unicode,
                                                PyObject *mapping,
                                                const char *errors);
PyAPI_FUNC(PyObject *) PyUnicode_BuildEncodingMap(PyObject *string);
/* The body of repr(bytes) without quotes (escape_encode). */
PyAPI_FUNC(PyObject *) _PyBytes_EscapeEncode(PyObject *bytes);

#endif /* !Py_INTERNAL_CODECS_H */
