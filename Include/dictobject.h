/* Dictionaries (Objects/dictobject.c).  CPython 3.11's documented API plus
 * the new-reference lookups a free-threaded runtime needs.
 *
 * Thread safety (ARCHITECTURE section 6): lookups take no lock; every
 * mutation runs in a critical section on the dict.  Functions returning a
 * borrowed reference (PyDict_GetItem, PyDict_GetItemWithError,
 * PyDict_GetItemString, PyDict_Next) are safe only while no other thread
 * can remove the value: prefer PyDict_GetItemRef. */
#ifndef Py_DICTOBJECT_H
#define Py_DICTOBJECT_H

typedef struct _dictkeysobject PyDictKeysObject;

typedef struct {
    PyObject_HEAD
    Py_ssize_t ma_used;         /* number of items; atomic reads */
    uint64_t ma_version_tag;    /* changes on every mutation; atomic */
    PyDictKeysObject *ma_keys;  /* the table; replaced under the lock */
    void *ma_values;            /* reserved (split tables), always NULL */
} PyDictObject;

PyAPI_DATA(PyTypeObject) PyDict_Type;
PyAPI_DATA(PyTypeObject) PyDictIterKey_Type;
PyAPI_DATA(PyTypeObject) PyDictIterValue_Type;
PyAPI_DATA(PyTypeObject) PyDictIterItem_Type;
PyAPI_DATA(PyTypeObject) PyDictRevIterKey_Type;
PyAPI_DATA(PyTypeObject) PyDictRevIterValue_Type;
PyAPI_DATA(PyTypeObject) PyDictRevIterItem_Type;
PyAPI_DATA(PyTypeObject) PyDictKeys_Type;
PyAPI_DATA(PyTypeObject) PyDictValues_Type;
PyAPI_DATA(PyTypeObject) PyDictItems_Type;

#define PyDict_Check(op) \
    PyType_FastSubclass(Py_TYPE(op), Py_TPFLAGS_DICT_SUBCLASS)
#define PyDict_CheckExact(op) Py_IS_TYPE((op), &PyDict_Type)
#define PyDictKeys_Check(op) PyObject_TypeCheck((op), &PyDictKeys_Type)
#define PyDictValues_Check(op) PyObject_TypeCheck((op), &PyDictValues_Type)
#define PyDictItems_Check(op) PyObject_TypeCheck((op), &PyDictItems_Type)
#define PyDictViewSet_Check(op) (PyDictKeys_Check(op) || PyDictItems_Check(op))

PyAPI_FUNC(PyObject *) PyDict_New(void);
/* Borrowed, NULL when missing; swallows errors (use the variants below). */
PyAPI_FUNC(PyObject *) PyDict_GetItem(PyObject *p, PyObject *key);
/* Borrowed; NULL with no exception when missing, NULL with one on error. */
PyAPI_FUNC(PyObject *) PyDict_GetItemWithError(PyObject *p, PyObject *key);
PyAPI_FUNC(PyObject *) PyDict_GetItemString(PyObject *p, const char *key);
/* *result = new reference; returns 1 found, 0 missing (*result NULL),
   -1 error. */
PyAPI_FUNC(int) PyDict_GetItemRef(PyObject *p, PyObject *key,
                                  PyObject **result);
PyAPI_FUNC(int) PyDict_GetItemStringRef(PyObject *p, const char *key,
                                        PyObject **result);
/* Borrowed; the string-key form raising nothing extra. */
PyAPI_FUNC(PyObject *) _PyDict_GetItemStringWithError(PyObject *p,
                                                      const char *key);
/* Does not steal `key` or `val`. */
PyAPI_FUNC(int) PyDict_SetItem(PyObject *p, PyObject *key, PyObject *val);
PyAPI_FUNC(int) PyDict_SetItemString(PyObject *p, const char *key,
                                     PyObject *val);
PyAPI_FUNC(int) PyDict_DelItem(PyObject *p, PyObject *key);
PyAPI_FUNC(int) PyDict_DelItemString(PyObject *p, const char *key);
/* 1 if present, 0 if not, -1 on error. */
PyAPI_FUNC(int) PyDict_Contains(PyObject *p, PyObject *key);
PyAPI_FUNC(void) PyDict_Clear(PyObject *p);
/* Iterates with *ppos starting at 0; *pkey / *pvalue borrowed.  Not safe
   against concurrent mutation: hold a critical section on the dict. */
PyAPI_FUNC(int) PyDict_Next(PyObject *p, Py_ssize_t *ppos, PyObject **pkey,
                            PyObject **pvalue);
PyAPI_FUNC(PyObject *) PyDict_Keys(PyObject *p);
PyAPI_FUNC(PyObject *) PyDict_Values(PyObject *p);
PyAPI_FUNC(PyObject *) PyDict_Items(PyObject *p);
PyAPI_FUNC(Py_ssize_t) PyDict_Size(PyObject *p);
PyAPI_FUNC(PyObject *) PyDict_Copy(PyObject *p);
PyAPI_FUNC(int) PyDict_Update(PyObject *a, PyObject *b);
PyAPI_FUNC(int) PyDict_Merge(PyObject *a, PyObject *b, int override);
PyAPI_FUNC(int) PyDict_MergeFromSeq2(PyObject *a, PyObject *seq2,
                                     int override);
/* Borrowed: the value now stored under `key`. */
PyAPI_FUNC(PyObject *) PyDict_SetDefault(PyObject *p, PyObject *key,
                                         PyObject *defaultobj);
/* *result = new reference to the value now stored; returns 1 if `key`
   was present, 0 if `default_value` was inserted, -1 on error. */
PyAPI_FUNC(int) PyDict_SetDefaultRef(PyObject *p, PyObject *key,
                                     PyObject *default_value,
                                     PyObject **result);
/* Removes `key`; *result = new reference to its value (or NULL); 1 if it
   was present, 0 if not, -1 on error. */
PyAPI_FUNC(int) PyDict_Pop(PyObject *p, PyObject *key, PyObject **result);
PyAPI_FUNC(int) PyDict_PopString(PyObject *p, const char *key,
                                 PyObject **result);

static inline Py_ssize_t
PyDict_GET_SIZE(PyObject *op)
{
    /* Relaxed: a size is a snapshot anyway. */
    return _Py_atomic_load_ssize_relaxed(&((PyDictObject *)op)->ma_used);
}
#define PyDict_GET_SIZE(op) PyDict_GET_SIZE(_PyObject_CAST(op))

#endif /* !Py_DICTOBJECT_H */
