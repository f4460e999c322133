/* The codec registry (Python/codecs.c): the documented PyCodec_* API.
 *
 * Search functions registered with codecs.register() map a normalised
 * encoding name to a CodecInfo; lookups are cached per interpreter.  The
 * error-handler registry maps names ("strict", "replace", ...) to
 * callables.  Both registries are shared by every thread: they are dicts
 * and lists mutated under their own critical sections (see codecs.c). */
#ifndef Py_CODECREGISTRY_H
#define Py_CODECREGISTRY_H

/* Registry.  All return a new reference or NULL / -1 with an exception. */
PyAPI_FUNC(int) PyCodec_Register(PyObject *search_function);
PyAPI_FUNC(int) PyCodec_Unregister(PyObject *search_function);
PyAPI_FUNC(int) PyCodec_KnownEncoding(const char *encoding);
PyAPI_FUNC(PyObject *) PyCodec_Encode(PyObject *object, const char *encoding,
                                      const char *errors);
PyAPI_FUNC(PyObject *) PyCodec_Decode(PyObject *object, const char *encoding,
                                      const char *errors);
PyAPI_FUNC(PyObject *) PyCodec_Encoder(const char *encoding);
PyAPI_FUNC(PyObject *) PyCodec_Decoder(const char *encoding);
PyAPI_FUNC(PyObject *) PyCodec_IncrementalEncoder(const char *encoding,
                                                  const char *errors);
PyAPI_FUNC(PyObject *) PyCodec_IncrementalDecoder(const char *encoding,
                                                  const char *errors);
PyAPI_FUNC(PyObject *) PyCodec_StreamReader(const char *encoding,
                                            PyObject *stream,
                                            const char *errors);
PyAPI_FUNC(PyObject *) PyCodec_StreamWriter(const char *encoding,
                                            PyObject *stream,
                                            const char *errors);

/* Error handlers. */
PyAPI_FUNC(int) PyCodec_RegisterError(const char *name, PyObject *error);
PyAPI_FUNC(PyObject *) PyCodec_LookupError(const char *name);
PyAPI_FUNC(PyObject *) PyCodec_StrictErrors(PyObject *exc);
PyAPI_FUNC(PyObject *) PyCodec_IgnoreErrors(PyObject *exc);
PyAPI_FUNC(PyObject *) PyCodec_ReplaceErrors(PyObject *exc);
PyAPI_FUNC(PyObject *) PyCodec_XMLCharRefReplaceErrors(PyObject *exc);
PyAPI_FUNC(PyObject *) PyCodec_BackslashReplaceErrors(PyObject *exc);
PyAPI_FUNC(PyObject *) PyCodec_NameReplaceErrors(PyObject *exc);

#endif /* !Py_CODECREGISTRY_H */
