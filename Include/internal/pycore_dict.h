/* Runtime-internal dict API (Objects/dictobject.c).
 *
 * Lookups never lock (ARCHITECTURE section 6); the *_LockHeld variants
 * are for callers already inside a critical section on the dict. */
#ifndef Py_INTERNAL_DICT_H
#define Py_INTERNAL_DICT_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

/* Lookup with a precomputed hash: 1 found (*result new ref), 0 missing,
   -1 error. */
PyAPI_FUNC(int) _PyDict_GetItemRef_KnownHash(PyObject *op, PyObject *key,
                                             Py_hash_t hash,
                                             PyObject **result);
/* The attribute-lookup fast path: `key` is an exact str (its cached hash
   is used, and no __eq__ runs).  Same results. */
PyAPI_FUNC(int) _PyDict_GetItemRef_Str(PyObject *op, PyObject *key,
                                       PyObject **result);
/* Borrowed, no error (missing or error both give NULL, the error is
   kept).  For callers that hold the dict's critical section or own the
   dict. */
PyAPI_FUNC(PyObject *) _PyDict_GetItem_KnownHash(PyObject *op,
                                                 PyObject *key,
                                                 Py_hash_t hash);
PyAPI_FUNC(int) _PyDict_SetItem_KnownHash(PyObject *op, PyObject *key,
                                          PyObject *value, Py_hash_t hash);
PyAPI_FUNC(int) _PyDict_DelItem_KnownHash(PyObject *op, PyObject *key,
                                          Py_hash_t hash);
/* Sets (value != NULL) or deletes (value == NULL) and hands the previous
   value (new reference, NULL if none) to the caller instead of releasing
   it; deleting a missing key raises KeyError. */
PyAPI_FUNC(int) _PyDict_SetItemGetOld(PyObject *op, PyObject *key,
                                      PyObject *value, PyObject **old);
/* Steals key and value. */
PyAPI_FUNC(int) _PyDict_SetItem_Take2(PyObject *op, PyObject *key,
                                      PyObject *value);
/* The version tag: changes on every mutation; unique across dicts. */
PyAPI_FUNC(uint64_t) _PyDict_GetVersion(PyObject *op);
/* dict.update semantics for a mapping or iterable of pairs. */
PyAPI_FUNC(int) _PyDict_MergeEx(PyObject *a, PyObject *b, int override);
/* A new dict presized for `minused` items. */
PyAPI_FUNC(PyObject *) _PyDict_NewPresized(Py_ssize_t minused);
/* Builds a dict from parallel key/value arrays (borrowed). */
PyAPI_FUNC(PyObject *) _PyDict_FromItems(PyObject *const *keys,
                                         Py_ssize_t keys_offset,
                                         PyObject *const *values,
                                         Py_ssize_t values_offset,
                                         Py_ssize_t length);
/* PyDict_Next with the hash too. */
PyAPI_FUNC(int) _PyDict_Next(PyObject *op, Py_ssize_t *ppos,
                             PyObject **pkey, PyObject **pvalue,
                             Py_hash_t *phash);
/* 1 if the dict holds `key` (identity or equal), with a known hash. */
PyAPI_FUNC(int) _PyDict_Contains_KnownHash(PyObject *op, PyObject *key,
                                           Py_hash_t hash);
/* dict.pop(key[, default]) in C: new reference. */
PyAPI_FUNC(PyObject *) _PyDict_Pop(PyObject *op, PyObject *key,
                                   PyObject *deflt);
/* Readies dict and its views and iterators (Py_Initialize). */
PyAPI_FUNC(int) _PyDict_InitTypes(void);
/* True once a thread other than the owner has read the dict. */
PyAPI_FUNC(int) _PyDict_IsShared(PyObject *op);

#endif /* !Py_INTERNAL_DICT_H */
