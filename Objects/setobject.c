/* set and frozenset: open-addressing hash tables of keys.
 *
 * Thread safety (see Include/setobject.h): every operation on a mutable
 * set runs in a critical section on it (reads too, this round).  Key
 * comparisons may run Python code (__eq__) which can release the
 * critical section or mutate the set: lookups re-check the table and the
 * entry after each comparison and restart when either changed.  A
 * frozenset is filled before anyone else sees it and then only read.
 * Iterators take the set's critical section for each step and raise
 * "Set changed size during iteration" like CPython. */
#include "Python.h"
#include "pycore_critical_section.h"
#include "pycore_object.h"
#include "setobject.h"

static PyObject dummy_struct = {
    .ob_ref_local = _Py_IMMORTAL_REFCNT_LOCAL,
    .ob_type = &_PyNone_Type
};
#define dummy (&dummy_struct)

#define PERTURB_SHIFT 5

/* Finds the entry for KEY: returns it (active or the first free slot),
   or NULL with an exception.  *restart is set when the table changed
   during a comparison. */
static setentry *
set_lookkey(PySetObject *so, PyObject *key, Py_hash_t hash, int *restart)
{
    setentry *table = so->table;
    size_t mask = (size_t)so->mask;
    size_t i = (size_t)hash & mask;
    size_t perturb = (size_t)hash;
    setentry *freeslot = NULL;
    *restart = 0;
    for (;;) {
        setentry *entry = &table[i];
        if (entry->key == NULL) {
            return freeslot != NULL ? freeslot : entry;
        }
        if (entry->key == dummy) {
            if (freeslot == NULL) {
                freeslot = entry;
            }
        }
        else if (entry->key == key) {
            return entry;
        }
        else if (entry->hash == hash) {
            PyObject *startkey = entry->key;
            Py_INCREF(startkey);
            int cmp = PyObject_RichCompareBool(startkey, key, Py_EQ);
            Py_DECREF(startkey);
            if (cmp < 0) {
                return NULL;
            }
            if (table != so->table || entry->key != startkey) {
                *restart = 1;
                return NULL;
            }
            if (cmp > 0) {
                return entry;
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

static setentry *
set_find(PySetObject *so, PyObject *key, Py_hash_t hash)
{
    for (;;) {
        int restart;
        setentry *e = set_lookkey(so, key, hash, &restart);
        if (!restart) {
            return e;
        }
    }
}

/* Rebuilds the table with room for MINUSED active entries. */
static int
set_table_resize(PySetObject *so, Py_ssize_t minused)
{
    size_t newsize = PySet_MINSIZE;
    while (newsize <= (size_t)minused) {
        newsize <<= 1;
    }
    setentry *oldtable = so->table;
    Py_ssize_t oldmask = so->mask;
    setentry small_copy[PySet_MINSIZE];
    int was_small = oldtable == so->smalltable;
    if (was_small) {
        memcpy(small_copy, oldtable, sizeof(small_copy));
        oldtable = small_copy;
    }
    setentry *newtable;
    if (newsize == PySet_MINSIZE) {
        newtable = so->smalltable;
    }
    else {
        newtable = PyMem_Calloc(newsize, sizeof(setentry));
        if (newtable == NULL) {
            PyErr_NoMemory();
            return -1;
        }
    }
    if (newtable == so->smalltable) {
        memset(so->smalltable, 0, sizeof(so->smalltable));
    }
    so->table = newtable;
    so->mask = (Py_ssize_t)newsize - 1;
    so->fill = so->used;
    for (Py_ssize_t j = 0; j <= oldmask; j++) {
        setentry *e = &oldtable[j];
        if (e->key != NULL && e->key != dummy) {
            size_t perturb = (size_t)e->hash;
            size_t i = (size_t)e->hash & (newsize - 1);
            while (newtable[i].key != NULL) {
                perturb >>= PERTURB_SHIFT;
                i = (i * 5 + 1 + perturb) & (newsize - 1);
            }
            newtable[i] = *e;
        }
    }
    if (!was_small && oldtable != so->smalltable) {
        PyMem_Free(oldtable);
    }
    return 0;
}

/* Adds KEY (borrowed) with HASH; caller holds the critical section. */
static int
set_add_entry(PySetObject *so, PyObject *key, Py_hash_t hash)
{
    setentry *e = set_find(so, key, hash);
    if (e == NULL) {
        return -1;
    }
    if (e->key != NULL && e->key != dummy) {
        return 0;
    }
    if (e->key == NULL) {
        so->fill++;
    }
    e->key = Py_NewRef(key);
    e->hash = hash;
    _Py_atomic_store_ssize_relaxed(&so->used, so->used + 1);
    if ((size_t)so->fill * 5 >= (size_t)so->mask * 3) {
        return set_table_resize(so, so->used > 50000 ? so->used * 2
                                                     : so->used * 4);
    }
    return 0;
}

static Py_hash_t
key_hash(PyObject *key)
{
    if (PyUnicode_CheckExact(key)) {
        Py_hash_t h = _Py_atomic_load_ssize_relaxed(
            &((PyASCIIObject *)key)->hash);
        if (h != -1) {
            return h;
        }
    }
    return PyObject_Hash(key);
}

static int
set_add_key(PySetObject *so, PyObject *key)
{
    Py_hash_t hash = key_hash(key);
    if (hash == -1) {
        return -1;
    }
    int r;
    Py_BEGIN_CRITICAL_SECTION(so);
    r = set_add_entry(so, key, hash);
    Py_END_CRITICAL_SECTION();
    return r;
}

/* 1 found, 0 not, -1 error. */
static int
set_contains_key(PySetObject *so, PyObject *key)
{
    Py_hash_t hash = key_hash(key);
    if (hash == -1) {
        return -1;
    }
    int r;
    Py_BEGIN_CRITICAL_SECTION(so);
    setentry *e = set_find(so, key, hash);
    r = e == NULL ? -1 : (e->key != NULL && e->key != dummy);
    Py_END_CRITICAL_SECTION();
    return r;
}

/* 1 removed, 0 absent, -1 error. */
static int
set_discard_key(PySetObject *so, PyObject *key)
{
    Py_hash_t hash = key_hash(key);
    if (hash == -1) {
        return -1;
    }
    int r;
    PyObject *old = NULL;
    Py_BEGIN_CRITICAL_SECTION(so);
    setentry *e = set_find(so, key, hash);
    if (e == NULL) {
        r = -1;
    }
    else if (e->key == NULL || e->key == dummy) {
        r = 0;
    }
    else {
        old = e->key;
        e->key = dummy;
        e->hash = -1;
        _Py_atomic_store_ssize_relaxed(&so->used, so->used - 1);
        r = 1;
    }
    Py_END_CRITICAL_SECTION();
    Py_XDECREF(old);
    return r;
}

static void
set_clear_internal(PySetObject *so)
{
    setentry *table;
    Py_ssize_t mask;
    setentry copy[PySet_MINSIZE];
    Py_BEGIN_CRITICAL_SECTION(so);
    table = so->table;
    mask = so->mask;
    if (table == so->smalltable) {
        memcpy(copy, table, sizeof(copy));
        table = NULL;
    }
    memset(so->smalltable, 0, sizeof(so->smalltable));
    so->table = so->smalltable;
    so->mask = PySet_MINSIZE - 1;
    so->fill = 0;
    _Py_atomic_store_ssize_relaxed(&so->used, 0);
    Py_END_CRITICAL_SECTION();
    setentry *t = table != NULL ? table : copy;
    for (Py_ssize_t i = 0; i <= mask; i++) {
        if (t[i].key != NULL && t[i].key != dummy) {
            Py_DECREF(t[i].key);
        }
    }
    if (table != NULL) {
        PyMem_Free(table);
    }
}

/* Adds every item of ITERABLE. */
static int
set_update_internal(PySetObject *so, PyObject *other)
{
    if (PyAnySet_Check(other) && other != (PyObject *)so) {
        PyObject *lst = PySequence_List(other);
        if (lst == NULL) {
            return -1;
        }
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(lst); i++) {
            if (set_add_key(so, PyList_GET_ITEM(lst, i)) < 0) {
                Py_DECREF(lst);
                return -1;
            }
        }
        Py_DECREF(lst);
        return 0;
    }
    if (PyDict_CheckExact(other)) {
        PyObject *keys = PyDict_Keys(other);
        if (keys == NULL) {
            return -1;
        }
        int r = set_update_internal(so, keys);
        Py_DECREF(keys);
        return r;
    }
    PyObject *it = PyObject_GetIter(other);
    if (it == NULL) {
        return -1;
    }
    PyObject *key;
    while ((key = PyIter_Next(it)) != NULL) {
        if (set_add_key(so, key) < 0) {
            Py_DECREF(key);
            Py_DECREF(it);
            return -1;
        }
        Py_DECREF(key);
    }
    Py_DECREF(it);
    return PyErr_Occurred() ? -1 : 0;
}

static PyObject *
make_new_set(PyTypeObject *type, PyObject *iterable)
{
    PySetObject *so = (PySetObject *)type->tp_alloc(type, 0);
    if (so == NULL) {
        return NULL;
    }
    so->fill = 0;
    so->used = 0;
    so->mask = PySet_MINSIZE - 1;
    so->table = so->smalltable;
    so->hash = -1;
    so->finger = 0;
    so->weakreflist = NULL;
    memset(so->smalltable, 0, sizeof(so->smalltable));
    if (iterable != NULL && set_update_internal(so, iterable) < 0) {
        Py_DECREF(so);
        return NULL;
    }
    return (PyObject *)so;
}

PyObject *
PySet_New(PyObject *iterable)
{
    return make_new_set(&PySet_Type, iterable);
}

PyObject *
PyFrozenSet_New(PyObject *iterable)
{
    return make_new_set(&PyFrozenSet_Type, iterable);
}

Py_ssize_t
PySet_Size(PyObject *anyset)
{
    if (!PyAnySet_Check(anyset)) {
        PyErr_BadInternalCall();
        return -1;
    }
    return PySet_GET_SIZE(anyset);
}

int
PySet_Contains(PyObject *anyset, PyObject *key)
{
    if (!PyAnySet_Check(anyset)) {
        PyErr_BadInternalCall();
        return -1;
    }
    return set_contains_key((PySetObject *)anyset, key);
}

int
PySet_Add(PyObject *anyset, PyObject *key)
{
    if (!PySet_Check(anyset)
        && (!PyFrozenSet_Check(anyset) || Py_REFCNT(anyset) != 1)) {
        PyErr_BadInternalCall();
        return -1;
    }
    return set_add_key((PySetObject *)anyset, key);
}

int
PySet_Discard(PyObject *set, PyObject *key)
{
    if (!PySet_Check(set)) {
        PyErr_BadInternalCall();
        return -1;
    }
    return set_discard_key((PySetObject *)set, key);
}

int
PySet_Clear(PyObject *set)
{
    if (!PySet_Check(set)) {
        PyErr_BadInternalCall();
        return -1;
    }
    set_clear_internal((PySetObject *)set);
    return 0;
}

int
_PySet_Update(PyObject *set, PyObject *iterable)
{
    return set_update_internal((PySetObject *)set, iterable);
}

int
_PySet_NextEntry(PyObject *set, Py_ssize_t *pos, PyObject **key,
                 Py_hash_t *hash)
{
    PySetObject *so = (PySetObject *)set;
    Py_ssize_t i = *pos;
    while (i <= so->mask
           && (so->table[i].key == NULL || so->table[i].key == dummy)) {
        i++;
    }
    *pos = i + 1;
    if (i > so->mask) {
        return 0;
    }
    *key = so->table[i].key;
    *hash = so->table[i].hash;
    return 1;
}

PyObject *
PySet_Pop(PyObject *set)
{
    PySetObject *so = (PySetObject *)set;
    PyObject *key = NULL;
    Py_BEGIN_CRITICAL_SECTION(so);
    if (so->used > 0) {
        Py_ssize_t i = so->finger & so->mask;
        while (so->table[i].key == NULL || so->table[i].key == dummy) {
            i = (i + 1) & so->mask;
        }
        key = so->table[i].key;
        so->table[i].key = dummy;
        so->table[i].hash = -1;
        _Py_atomic_store_ssize_relaxed(&so->used, so->used - 1);
        so->finger = i + 1;
    }
    Py_END_CRITICAL_SECTION();
    if (key == NULL) {
        PyErr_SetString(PyExc_KeyError, "pop from an empty set");
    }
    return key;
}

/* A list snapshot of the keys (new reference). */
static PyObject *
set_keys_list(PySetObject *so)
{
    PyObject *list = NULL;
    Py_BEGIN_CRITICAL_SECTION(so);
    list = PyList_New(so->used);
    if (list != NULL) {
        Py_ssize_t j = 0;
        for (Py_ssize_t i = 0; i <= so->mask; i++) {
            PyObject *k = so->table[i].key;
            if (k != NULL && k != dummy) {
                PyList_SET_ITEM(list, j++, Py_NewRef(k));
            }
        }
    }
    Py_END_CRITICAL_SECTION();
    return list;
}

/* ---- type slots ---- */

static void
set_dealloc(PyObject *self)
{
    PySetObject *so = (PySetObject *)self;
    PyObject_GC_UnTrack(self);
    PyObject_ClearWeakRefs(self);
    for (Py_ssize_t i = 0; i <= so->mask; i++) {
        PyObject *k = so->table[i].key;
        if (k != NULL && k != dummy) {
            Py_DECREF(k);
        }
    }
    if (so->table != so->smalltable) {
        PyMem_Free(so->table);
    }
    Py_TYPE(self)->tp_free(self);
}

static int
set_traverse(PyObject *self, visitproc visit, void *arg)
{
    PySetObject *so = (PySetObject *)self;
    for (Py_ssize_t i = 0; i <= so->mask; i++) {
        PyObject *k = so->table[i].key;
        if (k != NULL && k != dummy) {
            Py_VISIT(k);
        }
    }
    return 0;
}

static int
set_tp_clear(PyObject *self)
{
    set_clear_internal((PySetObject *)self);
    return 0;
}

static Py_ssize_t
set_len(PyObject *self)
{
    return PySet_GET_SIZE(self);
}

static int
set_sq_contains(PyObject *self, PyObject *key)
{
    int r = set_contains_key((PySetObject *)self, key);
    if (r < 0 && PySet_Check(key)
        && PyErr_ExceptionMatches(PyExc_TypeError)) {
        /* A set key is looked up as the equal frozenset. */
        PyErr_Clear();
        PyObject *fs = PyFrozenSet_New(key);
        if (fs == NULL) {
            return -1;
        }
        r = set_contains_key((PySetObject *)self, fs);
        Py_DECREF(fs);
    }
    return r;
}

static PyObject *
set_repr(PyObject *self)
{
    PySetObject *so = (PySetObject *)self;
    int status = Py_ReprEnter(self);
    if (status != 0) {
        if (status < 0) {
            return NULL;
        }
        return PyUnicode_FromFormat("%s(...)", Py_TYPE(so)->tp_name);
    }
    PyObject *result = NULL;
    PyObject *keys = set_keys_list(so);
    if (keys == NULL) {
        goto done;
    }
    if (PyList_GET_SIZE(keys) == 0) {
        result = PyUnicode_FromFormat("%s()", Py_TYPE(so)->tp_name);
        Py_DECREF(keys);
        goto done;
    }
    PyObject *listrepr = PyObject_Repr(keys);
    Py_DECREF(keys);
    if (listrepr == NULL) {
        goto done;
    }
    PyObject *inner = PyUnicode_Substring(listrepr, 1,
                                          PyUnicode_GET_LENGTH(listrepr) - 1);
    Py_DECREF(listrepr);
    if (inner == NULL) {
        goto done;
    }
    if (Py_IS_TYPE(so, &PySet_Type)) {
        result = PyUnicode_FromFormat("{%U}", inner);
    }
    else {
        result = PyUnicode_FromFormat("%s({%U})", Py_TYPE(so)->tp_name,
                                      inner);
    }
    Py_DECREF(inner);
done:
    Py_ReprLeave(self);
    return result;
}

/* Makes a set of SO's type (set for set subclasses' results: 3.11 keeps
   the exact base type) holding the keys of SO. */
static PyObject *
set_copy_as(PyObject *so, PyTypeObject *type)
{
    PyObject *keys = set_keys_list((PySetObject *)so);
    if (keys == NULL) {
        return NULL;
    }
    PyObject *res = make_new_set(type, keys);
    Py_DECREF(keys);
    return res;
}

static PyTypeObject *
result_type(PyObject *so)
{
    return PyFrozenSet_Check(so) ? &PyFrozenSet_Type : &PySet_Type;
}

static PyObject *
set_copy(PyObject *so, PyObject *Py_UNUSED(ignored))
{
    return set_copy_as(so, result_type(so));
}

static PyObject *
frozenset_copy(PyObject *so, PyObject *Py_UNUSED(ignored))
{
    if (PyFrozenSet_CheckExact(so)) {
        return Py_NewRef(so);
    }
    return set_copy(so, NULL);
}

static PyObject *
set_union(PyObject *so, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *result = set_copy(so, NULL);
    if (result == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < nargs; i++) {
        if (set_update_internal((PySetObject *)result, args[i]) < 0) {
            Py_DECREF(result);
            return NULL;
        }
    }
    return result;
}

static PyObject *
set_update(PyObject *so, PyObject *const *args, Py_ssize_t nargs)
{
    for (Py_ssize_t i = 0; i < nargs; i++) {
        if (set_update_internal((PySetObject *)so, args[i]) < 0) {
            return NULL;
        }
    }
    Py_RETURN_NONE;
}

/* Keys of ITERABLE that are (KEEP=1) or are not (KEEP=0) in SO, as a new
   set of SO's result type. */
static PyObject *
set_filter(PyObject *so, PyObject *other, int keep_in_other)
{
    PyObject *result = make_new_set(result_type(so), NULL);
    if (result == NULL) {
        return NULL;
    }
    PyObject *keys = set_keys_list((PySetObject *)so);
    PyObject *otherset = NULL;
    if (keys == NULL) {
        goto fail;
    }
    if (PyAnySet_Check(other)) {
        otherset = Py_NewRef(other);
    }
    else {
        otherset = PySet_New(other);
        if (otherset == NULL) {
            goto fail;
        }
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(keys); i++) {
        PyObject *k = PyList_GET_ITEM(keys, i);
        int r = set_contains_key((PySetObject *)otherset, k);
        if (r < 0) {
            goto fail;
        }
        if (r == keep_in_other && set_add_key((PySetObject *)result, k) < 0) {
            goto fail;
        }
    }
    Py_DECREF(keys);
    Py_DECREF(otherset);
    return result;
fail:
    Py_XDECREF(keys);
    Py_XDECREF(otherset);
    Py_DECREF(result);
    return NULL;
}

static PyObject *
set_intersection_multi(PyObject *so, PyObject *const *args,
                       Py_ssize_t nargs)
{
    PyObject *result = set_copy(so, NULL);
    for (Py_ssize_t i = 0; result != NULL && i < nargs; i++) {
        PyObject *r = set_filter(result, args[i], 1);
        Py_SETREF(result, r);
    }
    return result;
}

static PyObject *
set_difference_multi(PyObject *so, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *result = set_copy(so, NULL);
    for (Py_ssize_t i = 0; result != NULL && i < nargs; i++) {
        PyObject *r = set_filter(result, args[i], 0);
        Py_SETREF(result, r);
    }
    return result;
}

static PyObject *
set_symmetric_difference(PyObject *so, PyObject *other)
{
    PyObject *otherset = PyAnySet_Check(other) ? Py_NewRef(other)
                                               : PySet_New(other);
    if (otherset == NULL) {
        return NULL;
    }
    PyObject *a = set_filter(so, otherset, 0);
    PyObject *b = a ? set_filter(otherset, so, 0) : NULL;
    Py_DECREF(otherset);
    if (b == NULL) {
        Py_XDECREF(a);
        return NULL;
    }
    if (!PyObject_TypeCheck(a, result_type(so))) {
        Py_SETREF(a, set_copy_as(a, result_type(so)));
    }
    int r = a ? set_update_internal((PySetObject *)a, b) : -1;
    Py_DECREF(b);
    if (r < 0) {
        Py_XDECREF(a);
        return NULL;
    }
    return a;
}

/* Replaces SO's contents with those of NEWSET (consumed). */
static PyObject *
set_replace_contents(PyObject *so, PyObject *newset)
{
    if (newset == NULL) {
        return NULL;
    }
    PyObject *keys = set_keys_list((PySetObject *)newset);
    Py_DECREF(newset);
    if (keys == NULL) {
        return NULL;
    }
    set_clear_internal((PySetObject *)so);
    int r = set_update_internal((PySetObject *)so, keys);
    Py_DECREF(keys);
    if (r < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
set_intersection_update(PyObject *so, PyObject *const *args,
                        Py_ssize_t nargs)
{
    return set_replace_contents(so, set_intersection_multi(so, args, nargs));
}

static PyObject *
set_difference_update(PyObject *so, PyObject *const *args, Py_ssize_t nargs)
{
    for (Py_ssize_t i = 0; i < nargs; i++) {
        PyObject *other = args[i];
        if (other == so) {
            set_clear_internal((PySetObject *)so);
            continue;
        }
        PyObject *it = PyObject_GetIter(other);
        if (it == NULL) {
            return NULL;
        }
        PyObject *key;
        while ((key = PyIter_Next(it)) != NULL) {
            int r = set_discard_key((PySetObject *)so, key);
            Py_DECREF(key);
            if (r < 0) {
                Py_DECREF(it);
                return NULL;
            }
        }
        Py_DECREF(it);
        if (PyErr_Occurred()) {
            return NULL;
        }
    }
    Py_RETURN_NONE;
}

static PyObject *
set_symmetric_difference_update(PyObject *so, PyObject *other)
{
    return set_replace_contents(so, set_symmetric_difference(so, other));
}

static PyObject *
set_issubset(PyObject *so, PyObject *other)
{
    PyObject *otherset = PyAnySet_Check(other) ? Py_NewRef(other)
                                               : PySet_New(other);
    if (otherset == NULL) {
        return NULL;
    }
    PyObject *diff = set_filter(so, otherset, 0);
    Py_DECREF(otherset);
    if (diff == NULL) {
        return NULL;
    }
    int empty = PySet_GET_SIZE(diff) == 0;
    Py_DECREF(diff);
    return PyBool_FromLong(empty);
}

static PyObject *
set_issuperset(PyObject *so, PyObject *other)
{
    PyObject *otherset = PyAnySet_Check(other) ? Py_NewRef(other)
                                               : PySet_New(other);
    if (otherset == NULL) {
        return NULL;
    }
    PyObject *r = set_issubset(otherset, so);
    Py_DECREF(otherset);
    return r;
}

static PyObject *
set_isdisjoint(PyObject *so, PyObject *other)
{
    PyObject *inter = set_filter(so, other, 1);
    if (inter == NULL) {
        return NULL;
    }
    int empty = PySet_GET_SIZE(inter) == 0;
    Py_DECREF(inter);
    return PyBool_FromLong(empty);
}

static PyObject *
set_add_method(PyObject *so, PyObject *key)
{
    if (set_add_key((PySetObject *)so, key) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* discard/remove accept a set key and look up the equal frozenset. */
static int
set_discard_maybe_set(PyObject *so, PyObject *key)
{
    int r = set_discard_key((PySetObject *)so, key);
    if (r < 0 && PySet_Check(key)
        && PyErr_ExceptionMatches(PyExc_TypeError)) {
        PyErr_Clear();
        PyObject *fs = PyFrozenSet_New(key);
        if (fs == NULL) {
            return -1;
        }
        r = set_discard_key((PySetObject *)so, fs);
        Py_DECREF(fs);
    }
    return r;
}

static PyObject *
set_discard_method(PyObject *so, PyObject *key)
{
    if (set_discard_maybe_set(so, key) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
set_remove_method(PyObject *so, PyObject *key)
{
    int r = set_discard_maybe_set(so, key);
    if (r < 0) {
        return NULL;
    }
    if (r == 0) {
        PyObject *tup = PyTuple_Pack(1, key);
        if (tup != NULL) {
            PyErr_SetObject(PyExc_KeyError, tup);
            Py_DECREF(tup);
        }
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
set_pop_method(PyObject *so, PyObject *Py_UNUSED(ignored))
{
    return PySet_Pop(so);
}

static PyObject *
set_clear_method(PyObject *so, PyObject *Py_UNUSED(ignored))
{
    set_clear_internal((PySetObject *)so);
    Py_RETURN_NONE;
}

static PyObject *
set_contains_method(PyObject *so, PyObject *key)
{
    int r = set_sq_contains(so, key);
    if (r < 0) {
        return NULL;
    }
    return PyBool_FromLong(r);
}

static PyObject *
set_reduce(PyObject *so, PyObject *Py_UNUSED(ignored))
{
    PyObject *keys = set_keys_list((PySetObject *)so);
    if (keys == NULL) {
        return NULL;
    }
    PyObject *dict = NULL;
    if (_PyObject_LookupAttr(so, PyUnicode_InternFromString("__dict__"),
                             &dict) < 0) {
        Py_DECREF(keys);
        return NULL;
    }
    PyObject *r = Py_BuildValue("O(N)O", Py_TYPE(so), keys,
                                dict ? dict : Py_None);
    Py_XDECREF(dict);
    return r;
}

static PyObject *
set_sizeof(PyObject *so, PyObject *Py_UNUSED(ignored))
{
    PySetObject *s = (PySetObject *)so;
    Py_ssize_t size = (Py_ssize_t)sizeof(PySetObject);
    if (s->table != s->smalltable) {
        size += (s->mask + 1) * (Py_ssize_t)sizeof(setentry);
    }
    return PyLong_FromSsize_t(size);
}

static PyObject *
set_class_getitem(PyObject *cls, PyObject *arg)
{
    return Py_NewRef(cls);
}

/* ---- operators ---- */

static int
both_sets(PyObject *a, PyObject *b)
{
    return PyAnySet_Check(a) && PyAnySet_Check(b);
}

static PyObject *
set_or(PyObject *a, PyObject *b)
{
    if (!both_sets(a, b)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    return set_union(a, &b, 1);
}

static PyObject *
set_and(PyObject *a, PyObject *b)
{
    if (!both_sets(a, b)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    return set_filter(a, b, 1);
}

static PyObject *
set_sub(PyObject *a, PyObject *b)
{
    if (!both_sets(a, b)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    return set_filter(a, b, 0);
}

static PyObject *
set_xor(PyObject *a, PyObject *b)
{
    if (!both_sets(a, b)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    return set_symmetric_difference(a, b);
}

static PyObject *
set_inplace_result(PyObject *a, PyObject *r)
{
    if (r == NULL) {
        return NULL;
    }
    Py_DECREF(r);
    return Py_NewRef(a);
}

static PyObject *
set_ior(PyObject *a, PyObject *b)
{
    if (!PyAnySet_Check(b)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    return set_inplace_result(a, set_update(a, &b, 1));
}

static PyObject *
set_iand(PyObject *a, PyObject *b)
{
    if (!PyAnySet_Check(b)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    return set_inplace_result(a, set_intersection_update(a, &b, 1));
}

static PyObject *
set_isub(PyObject *a, PyObject *b)
{
    if (!PyAnySet_Check(b)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    return set_inplace_result(a, set_difference_update(a, &b, 1));
}

static PyObject *
set_ixor(PyObject *a, PyObject *b)
{
    if (!PyAnySet_Check(b)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    return set_inplace_result(a, set_symmetric_difference_update(a, b));
}

static PyObject *
set_richcompare(PyObject *a, PyObject *b, int op)
{
    if (!PyAnySet_Check(b)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    Py_ssize_t la = PySet_GET_SIZE(a), lb = PySet_GET_SIZE(b);
    PyObject *r;
    switch (op) {
    case Py_EQ:
        if (la != lb) {
            Py_RETURN_FALSE;
        }
        return set_issubset(a, b);
    case Py_NE:
        if (la != lb) {
            Py_RETURN_TRUE;
        }
        r = set_issubset(a, b);
        if (r == NULL) {
            return NULL;
        }
        {
            int v = r == Py_True;
            Py_DECREF(r);
            return PyBool_FromLong(!v);
        }
    case Py_LE:
        return set_issubset(a, b);
    case Py_GE:
        return set_issuperset(a, b);
    case Py_LT:
        if (la >= lb) {
            Py_RETURN_FALSE;
        }
        return set_issubset(a, b);
    case Py_GT:
        if (la <= lb) {
            Py_RETURN_FALSE;
        }
        return set_issuperset(a, b);
    }
    Py_RETURN_NOTIMPLEMENTED;
}

/* frozenset hash: order-independent mix of the key hashes. */
static Py_uhash_t
shuffle_bits(Py_uhash_t h)
{
    return ((h ^ 89869747UL) ^ (h << 16)) * 3644798167UL;
}

static Py_hash_t
frozenset_hash(PyObject *self)
{
    PySetObject *so = (PySetObject *)self;
    Py_hash_t cached = _Py_atomic_load_ssize_relaxed(&so->hash);
    if (cached != -1) {
        return cached;
    }
    Py_uhash_t hash = 0;
    for (Py_ssize_t i = 0; i <= so->mask; i++) {
        PyObject *k = so->table[i].key;
        if (k != NULL && k != dummy) {
            hash ^= shuffle_bits((Py_uhash_t)so->table[i].hash);
        }
    }
    hash ^= ((Py_uhash_t)so->used + 1) * 1927868237UL;
    hash ^= (hash >> 11) ^ (hash >> 25);
    hash = hash * 69069U + 907133923UL;
    if (hash == (Py_uhash_t)-1) {
        hash = 590923713UL;
    }
    _Py_atomic_store_ssize_relaxed(&so->hash, (Py_hash_t)hash);
    return (Py_hash_t)hash;
}

/* ---- construction ---- */

static PyObject *
set_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    if (type == &PySet_Type && !_PyArg_NoKeywords("set", kwds)) {
        return NULL;
    }
    return make_new_set(type, NULL);
}

static int
set_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyObject *iterable = NULL;
    if (!_PyArg_NoKeywords("set", kwds)) {
        return -1;
    }
    if (!PyArg_UnpackTuple(args, Py_TYPE(self)->tp_name, 0, 1, &iterable)) {
        return -1;
    }
    set_clear_internal((PySetObject *)self);
    if (iterable != NULL) {
        return set_update_internal((PySetObject *)self, iterable);
    }
    return 0;
}

static PyObject *
frozenset_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *iterable = NULL;
    if (type == &PyFrozenSet_Type
        && !_PyArg_NoKeywords("frozenset", kwds)) {
        return NULL;
    }
    if (!PyArg_UnpackTuple(args, type->tp_name, 0, 1, &iterable)) {
        return NULL;
    }
    if (type == &PyFrozenSet_Type && iterable != NULL
        && PyFrozenSet_CheckExact(iterable)) {
        return Py_NewRef(iterable);
    }
    return make_new_set(type, iterable);
}

/* ---- iteration ---- */

typedef struct {
    PyObject_HEAD
    PySetObject *si_set;        /* owned; NULL when exhausted */
    Py_ssize_t si_used;
    Py_ssize_t si_pos;
    Py_ssize_t len;
} setiterobject;

static PyObject *
set_iter(PyObject *self)
{
    setiterobject *si = PyObject_GC_New(setiterobject, &PySetIter_Type);
    if (si == NULL) {
        return NULL;
    }
    si->si_set = (PySetObject *)Py_NewRef(self);
    si->si_used = PySet_GET_SIZE(self);
    si->si_pos = 0;
    si->len = si->si_used;
    PyObject_GC_Track(si);
    return (PyObject *)si;
}

static PyObject *
setiter_next(PyObject *self)
{
    setiterobject *si = (setiterobject *)self;
    PySetObject *so = (PySetObject *)_Py_atomic_exchange_ptr(&si->si_set,
                                                            NULL);
    if (so == NULL) {
        return NULL;
    }
    PyObject *key = NULL;
    int changed = 0;
    Py_BEGIN_CRITICAL_SECTION(so);
    if (si->si_used != so->used) {
        changed = 1;
    }
    else {
        Py_ssize_t i = si->si_pos;
        while (i <= so->mask
               && (so->table[i].key == NULL || so->table[i].key == dummy)) {
            i++;
        }
        if (i <= so->mask) {
            key = Py_NewRef(so->table[i].key);
            si->si_pos = i + 1;
            si->len--;
        }
    }
    Py_END_CRITICAL_SECTION();
    if (changed) {
        si->si_used = -1;
        Py_DECREF(so);
        PyErr_SetString(PyExc_RuntimeError,
                        "Set changed size during iteration");
        return NULL;
    }
    if (key == NULL) {
        Py_DECREF(so);
        return NULL;
    }
    /* Put the set back unless another thread exhausted us meanwhile. */
    void *expected = NULL;
    if (!_Py_atomic_compare_exchange_ptr(&si->si_set, &expected, so)) {
        Py_DECREF(so);
    }
    return key;
}

static void
setiter_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    Py_XDECREF(((setiterobject *)self)->si_set);
    PyObject_GC_Del(self);
}

static int
setiter_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((setiterobject *)self)->si_set);
    return 0;
}

static PyObject *
setiter_len(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    setiterobject *si = (setiterobject *)self;
    Py_ssize_t len = 0;
    if (si->si_set != NULL && si->si_used == PySet_GET_SIZE(si->si_set)) {
        len = si->len;
    }
    return PyLong_FromSsize_t(len);
}

static PyMethodDef setiter_methods[] = {
    {"__length_hint__", setiter_len, METH_NOARGS, NULL},
    {NULL}
};

PyTypeObject PySetIter_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "set_iterator",
    .tp_basicsize = sizeof(setiterobject),
    .tp_dealloc = setiter_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = setiter_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = setiter_next,
    .tp_methods = setiter_methods,
};

/* ---- tables ---- */

static PyNumberMethods set_as_number = {
    .nb_subtract = set_sub,
    .nb_and = set_and,
    .nb_xor = set_xor,
    .nb_or = set_or,
    .nb_inplace_subtract = set_isub,
    .nb_inplace_and = set_iand,
    .nb_inplace_xor = set_ixor,
    .nb_inplace_or = set_ior,
};

static PyNumberMethods frozenset_as_number = {
    .nb_subtract = set_sub,
    .nb_and = set_and,
    .nb_xor = set_xor,
    .nb_or = set_or,
};

static PySequenceMethods set_as_sequence = {
    .sq_length = set_len,
    .sq_contains = set_sq_contains,
};

#define FASTCALL(f) _PyCFunction_CAST(f), METH_FASTCALL

static PyMethodDef set_methods[] = {
    {"__class_getitem__", Py_GenericAlias, METH_O | METH_CLASS,
     "See PEP 585"},
    {"add", set_add_method, METH_O, NULL},
    {"clear", set_clear_method, METH_NOARGS, NULL},
    {"__contains__", set_contains_method, METH_O | METH_COEXIST, NULL},
    {"copy", set_copy, METH_NOARGS, NULL},
    {"discard", set_discard_method, METH_O, NULL},
    {"difference", FASTCALL(set_difference_multi), NULL},
    {"difference_update", FASTCALL(set_difference_update), NULL},
    {"intersection", FASTCALL(set_intersection_multi), NULL},
    {"intersection_update", FASTCALL(set_intersection_update), NULL},
    {"isdisjoint", set_isdisjoint, METH_O, NULL},
    {"issubset", set_issubset, METH_O, NULL},
    {"issuperset", set_issuperset, METH_O, NULL},
    {"pop", set_pop_method, METH_NOARGS, NULL},
    {"__reduce__", set_reduce, METH_NOARGS, NULL},
    {"remove", set_remove_method, METH_O, NULL},
    {"__sizeof__", set_sizeof, METH_NOARGS, NULL},
    {"symmetric_difference", set_symmetric_difference, METH_O, NULL},
    {"symmetric_difference_update", set_symmetric_difference_update,
     METH_O, NULL},
    {"union", FASTCALL(set_union), NULL},
    {"update", FASTCALL(set_update), NULL},
    {"__class_getitem__", set_class_getitem, METH_O | METH_CLASS, NULL},
    {NULL}
};

static PyMethodDef frozenset_methods[] = {
    {"__class_getitem__", Py_GenericAlias, METH_O | METH_CLASS,
     "See PEP 585"},
    {"__contains__", set_contains_method, METH_O | METH_COEXIST, NULL},
    {"copy", frozenset_copy, METH_NOARGS, NULL},
    {"difference", FASTCALL(set_difference_multi), NULL},
    {"intersection", FASTCALL(set_intersection_multi), NULL},
    {"isdisjoint", set_isdisjoint, METH_O, NULL},
    {"issubset", set_issubset, METH_O, NULL},
    {"issuperset", set_issuperset, METH_O, NULL},
    {"__reduce__", set_reduce, METH_NOARGS, NULL},
    {"__sizeof__", set_sizeof, METH_NOARGS, NULL},
    {"symmetric_difference", set_symmetric_difference, METH_O, NULL},
    {"union", FASTCALL(set_union), NULL},
    {"__class_getitem__", set_class_getitem, METH_O | METH_CLASS, NULL},
    {NULL}
};

PyTypeObject PySet_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "set",
    .tp_basicsize = sizeof(PySetObject),
    .tp_dealloc = set_dealloc,
    .tp_repr = set_repr,
    .tp_as_number = &set_as_number,
    .tp_as_sequence = &set_as_sequence,
    .tp_hash = PyObject_HashNotImplemented,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC
                | Py_TPFLAGS_BASETYPE,
    .tp_traverse = set_traverse,
    .tp_clear = set_tp_clear,
    .tp_richcompare = set_richcompare,
    .tp_weaklistoffset = offsetof(PySetObject, weakreflist),
    .tp_iter = set_iter,
    .tp_methods = set_methods,
    .tp_init = set_init,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = set_new,
    .tp_free = PyObject_GC_Del,
};

PyTypeObject PyFrozenSet_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "frozenset",
    .tp_basicsize = sizeof(PySetObject),
    .tp_dealloc = set_dealloc,
    .tp_repr = set_repr,
    .tp_as_number = &frozenset_as_number,
    .tp_as_sequence = &set_as_sequence,
    .tp_hash = frozenset_hash,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC
                | Py_TPFLAGS_BASETYPE,
    .tp_traverse = set_traverse,
    .tp_richcompare = set_richcompare,
    .tp_weaklistoffset = offsetof(PySetObject, weakreflist),
    .tp_iter = set_iter,
    .tp_methods = frozenset_methods,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = frozenset_new,
    .tp_free = PyObject_GC_Del,
};

int
_PySet_InitTypes(void)
{
    if (PyType_Ready(&PySet_Type) < 0 || PyType_Ready(&PyFrozenSet_Type) < 0
        || PyType_Ready(&PySetIter_Type) < 0) {
        return -1;
    }
    return 0;
}
