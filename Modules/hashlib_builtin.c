/* The builtin hash modules _md5, _sha1, _sha256, _sha512 and _sha3: the
 * interfaces hashlib falls back to when _hashlib is missing or blocks an
 * algorithm, with Python 3.11's names (e.g. _sha512.sha512(string=b'', *,
 * usedforsecurity=True) returning a _sha512.sha512 object).
 *
 * Design decision: unlike CPython, which ships its own implementations
 * here, Plait computes these digests with the system OpenSSL (libcrypto)
 * through the digest object shared with _hashlib (Modules/hashlib_evp.h);
 * only the type names, constructors and reprs differ.  The _sha3 module
 * reports implementation = 'tiny_sha3' and keccakopt = 0 like 3.11 does,
 * for programs that print them; the computation is OpenSSL's.
 *
 * Thread safety: the objects lock their EVP context with a per-object
 * PyMutex (see hashlib_evp.h).  Each module's state (its types) is written
 * once at import and only read afterwards. */
#include "Python.h"
#include "hashlib_evp.h"

#ifdef HAVE_LIBCRYPTO
#include <string.h>

/* Per-module state: the digest types, in the order of the module's table. */
#define BUILTIN_MAX_TYPES 6

typedef struct {
    PyTypeObject *types[BUILTIN_MAX_TYPES];
} builtin_state;

/* One algorithm of a module: Python name, exposed type attribute (or NULL)
   and the type's flags. */
typedef struct {
    const char *name;
    const char *attr;
    int flags;
} builtin_algo;

/* m_free of all five modules: drops the types. */
static void
builtin_free(void *module)
{
    builtin_state *st = PyModule_GetState((PyObject *)module);
    if (st == NULL) {
        return;
    }
    for (int i = 0; i < BUILTIN_MAX_TYPES; i++) {
        Py_CLEAR(st->types[i]);
    }
}

/* Shared body of the constructor functions NAME(string=b'', *,
   usedforsecurity=True): algorithm number `index` of the module.  New
   reference. */
static PyObject *
builtin_construct(PyObject *module, int index, const char *name,
                  PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"string", "usedforsecurity", NULL};
    PyObject *data = NULL;
    int usedforsecurity = 1;
    char fmt[64];
    PyOS_snprintf(fmt, sizeof(fmt), "|O$p:%s", name);
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, fmt, kwlist, &data,
                                     &usedforsecurity)) {
        return NULL;
    }
    const char *pyname;
    const EVP_MD *md = _PyHashEVP_Lookup(name, &pyname);
    if (md == NULL) {
        return NULL;
    }
    builtin_state *st = PyModule_GetState(module);
    return _PyHashEVP_New(st->types[index], md, pyname, data);
}

/* Creates the module of def with the algorithms of algos: a type
   "MODULE.NAME" per algorithm, stored in the state and, when attr is set,
   exposed under that attribute.  New reference to the module. */
static PyObject *
builtin_init(PyModuleDef *def, const builtin_algo *algos)
{
    PyObject *m = PyModule_Create(def);
    if (m == NULL) {
        return NULL;
    }
    builtin_state *st = PyModule_GetState(m);
    for (int i = 0; i < BUILTIN_MAX_TYPES && algos[i].name != NULL; i++) {
        char tpname[64];
        PyOS_snprintf(tpname, sizeof(tpname), "%s.%s", def->m_name,
                      algos[i].name);
        st->types[i] = _PyHashEVP_MakeType(tpname, algos[i].flags, NULL);
        if (st->types[i] == NULL) {
            goto error;
        }
        const char *attr = algos[i].attr;
        if (attr == NULL && (algos[i].flags & _PyHashEVP_CALLABLE)) {
            attr = algos[i].name;
        }
        if (attr != NULL &&
            PyModule_AddObjectRef(m, attr, (PyObject *)st->types[i]) < 0) {
            goto error;
        }
    }
    return m;

error:
    Py_DECREF(m);
    return NULL;
}

#define BUILTIN_CTOR(FUNC, INDEX, NAME)                                   \
    /* NAME(string=b'', *, usedforsecurity=True): new reference. */       \
    static PyObject *                                                     \
    FUNC(PyObject *module, PyObject *args, PyObject *kwargs)              \
    {                                                                     \
        return builtin_construct(module, INDEX, NAME, args, kwargs);      \
    }

#define BUILTIN_ENTRY(FUNC, NAME)                                         \
    {NAME, (PyCFunction)(void (*)(void))FUNC, METH_VARARGS | METH_KEYWORDS, \
     "Return a new " NAME " hash object; optionally initialized with a "   \
     "string."}

#define BUILTIN_MODULE(VAR, NAME, METHODS)                                \
    static PyModuleDef VAR = {                                            \
        PyModuleDef_HEAD_INIT,                                            \
        .m_name = NAME,                                                   \
        .m_size = sizeof(builtin_state),                                  \
        .m_methods = METHODS,                                             \
        .m_free = builtin_free,                                           \
    }

/* ---------------------------------------------------------------- _md5 */

BUILTIN_CTOR(md5_new, 0, "md5")

static PyMethodDef md5_methods[] = {
    BUILTIN_ENTRY(md5_new, "md5"),
    {NULL, NULL, 0, NULL},
};

static const builtin_algo md5_algos[] = {
    {"md5", "MD5Type", 0},
    {NULL, NULL, 0},
};

BUILTIN_MODULE(md5_module, "_md5", md5_methods);

/* Module init of _md5 (new reference). */
PyMODINIT_FUNC
PyInit__md5(void)
{
    return builtin_init(&md5_module, md5_algos);
}

/* ---------------------------------------------------------------- _sha1 */

BUILTIN_CTOR(sha1_new, 0, "sha1")

static PyMethodDef sha1_methods[] = {
    BUILTIN_ENTRY(sha1_new, "sha1"),
    {NULL, NULL, 0, NULL},
};

static const builtin_algo sha1_algos[] = {
    {"sha1", "SHA1Type", 0},
    {NULL, NULL, 0},
};

BUILTIN_MODULE(sha1_module, "_sha1", sha1_methods);

/* Module init of _sha1 (new reference). */
PyMODINIT_FUNC
PyInit__sha1(void)
{
    return builtin_init(&sha1_module, sha1_algos);
}

/* ---------------------------------------------------------------- _sha256 */

BUILTIN_CTOR(sha224_new, 0, "sha224")
BUILTIN_CTOR(sha256_new, 1, "sha256")

static PyMethodDef sha256_methods[] = {
    BUILTIN_ENTRY(sha224_new, "sha224"),
    BUILTIN_ENTRY(sha256_new, "sha256"),
    {NULL, NULL, 0, NULL},
};

static const builtin_algo sha256_algos[] = {
    {"sha224", "SHA224Type", 0},
    {"sha256", "SHA256Type", 0},
    {NULL, NULL, 0},
};

BUILTIN_MODULE(sha256_module, "_sha256", sha256_methods);

/* Module init of _sha256 (new reference). */
PyMODINIT_FUNC
PyInit__sha256(void)
{
    return builtin_init(&sha256_module, sha256_algos);
}

/* ---------------------------------------------------------------- _sha512 */

BUILTIN_CTOR(sha384_new, 0, "sha384")
BUILTIN_CTOR(sha512_new, 1, "sha512")

static PyMethodDef sha512_methods[] = {
    BUILTIN_ENTRY(sha384_new, "sha384"),
    BUILTIN_ENTRY(sha512_new, "sha512"),
    {NULL, NULL, 0, NULL},
};

/* As in 3.11, the module's SHA384Type attribute ends up naming the sha512
   type (the second registration overwrites the first). */
static const builtin_algo sha512_algos[] = {
    {"sha384", "SHA384Type", 0},
    {"sha512", "SHA384Type", 0},
    {NULL, NULL, 0},
};

BUILTIN_MODULE(sha512_module, "_sha512", sha512_methods);

/* Module init of _sha512 (new reference). */
PyMODINIT_FUNC
PyInit__sha512(void)
{
    return builtin_init(&sha512_module, sha512_algos);
}

/* ---------------------------------------------------------------- _sha3 */

static PyMethodDef sha3_methods[] = {
    {NULL, NULL, 0, NULL},
};

#define SHA3_FLAGS (_PyHashEVP_CALLABLE | _PyHashEVP_SHA3)

static const builtin_algo sha3_algos[] = {
    {"sha3_224", NULL, SHA3_FLAGS},
    {"sha3_256", NULL, SHA3_FLAGS},
    {"sha3_384", NULL, SHA3_FLAGS},
    {"sha3_512", NULL, SHA3_FLAGS},
    {"shake_128", NULL, SHA3_FLAGS | _PyHashEVP_XOF},
    {"shake_256", NULL, SHA3_FLAGS | _PyHashEVP_XOF},
    {NULL, NULL, 0},
};

BUILTIN_MODULE(sha3_module, "_sha3", sha3_methods);

/* Module init of _sha3: the six types are the constructors (new ref). */
PyMODINIT_FUNC
PyInit__sha3(void)
{
    PyObject *m = builtin_init(&sha3_module, sha3_algos);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddStringConstant(m, "implementation", "tiny_sha3") < 0 ||
        PyModule_AddIntConstant(m, "keccakopt", 0) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}

#endif /* HAVE_LIBCRYPTO */
