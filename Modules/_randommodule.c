/* The _random module: the Mersenne Twister (MT19937) behind random.py.
 *
 * The generator is the published algorithm of Matsumoto and Nishimura
 * (1998): a 624-word state, init_genrand / init_by_array seeding, the
 * tempering of each output word, and 53-bit floats built from two words
 * (a >> 5, b >> 6).  Seeding follows the interface documented for
 * random.seed(): an int seeds with the 32-bit chunks of its absolute
 * value (least significant first), any other hashable object with its
 * hash taken as an unsigned machine word, None with fresh OS entropy.
 * For the same seed the output is the same bit for bit as CPython 3.11.
 *
 * Thread safety: a Random object is shared mutable state (its state
 * vector and index).  Every method that reads or changes them runs in a
 * critical section on the object, so concurrent random() calls never
 * see a half-twisted vector.  Nothing inside a section blocks: OS
 * entropy for seed(None) is gathered before the section is entered, and
 * int conversions that could run Python code (__index__, __hash__) are
 * done outside it too.  The module has no mutable C state. */
#include "Python.h"
#include "pycore_critical_section.h"

#include <fcntl.h>
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>

#define MT_N 624
#define MT_M 397
#define MT_MATRIX_A 0x9908b0dfU
#define MT_UPPER_MASK 0x80000000U
#define MT_LOWER_MASK 0x7fffffffU

typedef struct {
    PyObject_HEAD
    int index;                  /* next word of state to temper */
    uint32_t state[MT_N];
} RandomObject;

static PyTypeObject Random_Type;

/* ------------------------------------------------------------------ */
/* The generator (caller holds the object's critical section)         */

/* Regenerate all 624 words (the "twist"). */
static void
mt_twist(uint32_t *mt)
{
    static const uint32_t mag01[2] = {0x0U, MT_MATRIX_A};
    int kk;
    uint32_t y;
    for (kk = 0; kk < MT_N - MT_M; kk++) {
        y = (mt[kk] & MT_UPPER_MASK) | (mt[kk + 1] & MT_LOWER_MASK);
        mt[kk] = mt[kk + MT_M] ^ (y >> 1) ^ mag01[y & 0x1U];
    }
    for (; kk < MT_N - 1; kk++) {
        y = (mt[kk] & MT_UPPER_MASK) | (mt[kk + 1] & MT_LOWER_MASK);
        mt[kk] = mt[kk + (MT_M - MT_N)] ^ (y >> 1) ^ mag01[y & 0x1U];
    }
    y = (mt[MT_N - 1] & MT_UPPER_MASK) | (mt[0] & MT_LOWER_MASK);
    mt[MT_N - 1] = mt[MT_M - 1] ^ (y >> 1) ^ mag01[y & 0x1U];
}

/* One tempered 32-bit output word. */
static uint32_t
mt_genrand(RandomObject *self)
{
    if (self->index >= MT_N) {
        mt_twist(self->state);
        self->index = 0;
    }
    uint32_t y = self->state[self->index++];
    y ^= (y >> 11);
    y ^= (y << 7) & 0x9d2c5680U;
    y ^= (y << 15) & 0xefc60000U;
    y ^= (y >> 18);
    return y;
}

/* Fill the state from one 32-bit seed. */
static void
mt_init_genrand(RandomObject *self, uint32_t s)
{
    uint32_t *mt = self->state;
    mt[0] = s;
    for (int i = 1; i < MT_N; i++) {
        mt[i] = 1812433253U * (mt[i - 1] ^ (mt[i - 1] >> 30)) + (uint32_t)i;
    }
    self->index = MT_N;
}

/* Fill the state from an array of 32-bit words (keylen >= 1). */
static void
mt_init_by_array(RandomObject *self, const uint32_t *key, size_t keylen)
{
    uint32_t *mt = self->state;
    size_t i = 1, j = 0, k;
    mt_init_genrand(self, 19650218U);
    k = (MT_N > keylen ? MT_N : keylen);
    for (; k; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525U))
                + key[j] + (uint32_t)j;
        i++;
        j++;
        if (i >= MT_N) {
            mt[0] = mt[MT_N - 1];
            i = 1;
        }
        if (j >= keylen) {
            j = 0;
        }
    }
    for (k = MT_N - 1; k; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941U))
                - (uint32_t)i;
        i++;
        if (i >= MT_N) {
            mt[0] = mt[MT_N - 1];
            i = 1;
        }
    }
    mt[0] = 0x80000000U;    /* the MSB is 1, assuring a non-zero state */
    self->index = MT_N;
}

/* ------------------------------------------------------------------ */
/* Seeding                                                             */

/* Fill buf with n bytes of OS entropy: getrandom(), else /dev/urandom.
 * Returns 0, or -1 (no exception) if neither works. */
static int
random_os_entropy(unsigned char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom(buf + got, n - got, 0);
        if (r < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        got += (size_t)r;
    }
    if (got == n) {
        return 0;
    }
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            break;
        }
        got += (size_t)r;
    }
    close(fd);
    return got == n ? 0 : -1;
}

/* Build the init_by_array key of a non-negative int: its 32-bit chunks,
 * least significant first, at least one.  n is borrowed.  On success
 * *keyp is a PyMem buffer the caller frees.  0, or -1 with an error. */
static int
random_key_from_long(PyObject *n, uint32_t **keyp, size_t *lenp)
{
    size_t bits = _PyLong_NumBits(n);
    if (bits == (size_t)-1 && PyErr_Occurred()) {
        return -1;
    }
    size_t keylen = bits == 0 ? 1 : (bits - 1) / 32 + 1;
    unsigned char *bytes = PyMem_Malloc(keylen * 4);
    uint32_t *key = PyMem_Malloc(keylen * sizeof(uint32_t));
    if (bytes == NULL || key == NULL) {
        PyMem_Free(bytes);
        PyMem_Free(key);
        PyErr_NoMemory();
        return -1;
    }
    if (_PyLong_AsByteArray((PyLongObject *)n, bytes, keylen * 4, 1, 0) < 0) {
        PyMem_Free(bytes);
        PyMem_Free(key);
        return -1;
    }
    for (size_t i = 0; i < keylen; i++) {
        const unsigned char *p = bytes + 4 * i;
        key[i] = (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
                 ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
    }
    PyMem_Free(bytes);
    *keyp = key;
    *lenp = keylen;
    return 0;
}

/* Seed from arg (borrowed; NULL or None means OS entropy).  Conversions
 * happen first; only the state update holds the object's lock.
 * 0, or -1 with an exception. */
static int
random_seed_impl(RandomObject *self, PyObject *arg)
{
    uint32_t *key = NULL;
    size_t keylen = 0;
    if (arg == NULL || arg == Py_None) {
        uint32_t words[MT_N];
        if (random_os_entropy((unsigned char *)words, sizeof(words)) < 0) {
            /* No entropy source: fall back on the clock and pid. */
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            uint32_t fallback[4] = {(uint32_t)ts.tv_sec,
                                    (uint32_t)ts.tv_nsec,
                                    (uint32_t)getpid(),
                                    (uint32_t)((uint64_t)ts.tv_sec >> 32)};
            Py_BEGIN_CRITICAL_SECTION(self);
            mt_init_by_array(self, fallback, 4);
            Py_END_CRITICAL_SECTION();
            return 0;
        }
        Py_BEGIN_CRITICAL_SECTION(self);
        mt_init_by_array(self, words, MT_N);
        Py_END_CRITICAL_SECTION();
        return 0;
    }
    PyObject *n;
    if (PyLong_Check(arg)) {
        n = PyNumber_Absolute(arg);
    }
    else {
        Py_hash_t h = PyObject_Hash(arg);
        if (h == -1 && PyErr_Occurred()) {
            return -1;
        }
        n = PyLong_FromSize_t((size_t)h);
    }
    if (n == NULL) {
        return -1;
    }
    int rc = random_key_from_long(n, &key, &keylen);
    Py_DECREF(n);
    if (rc < 0) {
        return -1;
    }
    Py_BEGIN_CRITICAL_SECTION(self);
    mt_init_by_array(self, key, keylen);
    Py_END_CRITICAL_SECTION();
    PyMem_Free(key);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Methods                                                             */

/* random() -> float in [0, 1) with 53 random bits.  New reference. */
static PyObject *
random_random(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    RandomObject *self = (RandomObject *)op;
    uint32_t a, b;
    Py_BEGIN_CRITICAL_SECTION(self);
    a = mt_genrand(self) >> 5;
    b = mt_genrand(self) >> 6;
    Py_END_CRITICAL_SECTION();
    return PyFloat_FromDouble((a * 67108864.0 + b) *
                              (1.0 / 9007199254740992.0));
}

/* seed([n]).  Returns None (new reference). */
static PyObject *
random_seed(PyObject *op, PyObject *args)
{
    PyObject *arg = NULL;
    if (!PyArg_UnpackTuple(args, "seed", 0, 1, &arg)) {
        return NULL;
    }
    if (random_seed_impl((RandomObject *)op, arg) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* getstate() -> tuple of 624 words and the index.  New reference. */
static PyObject *
random_getstate(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    RandomObject *self = (RandomObject *)op;
    uint32_t copy[MT_N];
    int index;
    Py_BEGIN_CRITICAL_SECTION(self);
    memcpy(copy, self->state, sizeof(copy));
    index = self->index;
    Py_END_CRITICAL_SECTION();
    PyObject *t = PyTuple_New(MT_N + 1);
    if (t == NULL) {
        return NULL;
    }
    for (int i = 0; i < MT_N; i++) {
        PyObject *v = PyLong_FromUnsignedLong(copy[i]);
        if (v == NULL) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, i, v);
    }
    PyObject *v = PyLong_FromLong(index);
    if (v == NULL) {
        Py_DECREF(t);
        return NULL;
    }
    PyTuple_SET_ITEM(t, MT_N, v);
    return t;
}

/* setstate(state): the inverse of getstate().  state is borrowed.
 * Returns None (new reference) or NULL. */
static PyObject *
random_setstate(PyObject *op, PyObject *state)
{
    RandomObject *self = (RandomObject *)op;
    uint32_t copy[MT_N];
    if (!PyTuple_Check(state)) {
        PyErr_SetString(PyExc_TypeError, "state vector must be a tuple");
        return NULL;
    }
    if (PyTuple_GET_SIZE(state) != MT_N + 1) {
        PyErr_SetString(PyExc_ValueError, "state vector is the wrong size");
        return NULL;
    }
    for (int i = 0; i < MT_N; i++) {
        PyObject *item = PyTuple_GET_ITEM(state, i);
        if (!PyLong_Check(item)) {
            PyErr_SetString(PyExc_TypeError, "an integer is required");
            return NULL;
        }
        unsigned long w = PyLong_AsUnsignedLong(item);
        if (w == (unsigned long)-1 && PyErr_Occurred()) {
            return NULL;
        }
        copy[i] = (uint32_t)w;
    }
    PyObject *item = PyTuple_GET_ITEM(state, MT_N);
    if (!PyLong_Check(item)) {
        PyErr_SetString(PyExc_TypeError, "an integer is required");
        return NULL;
    }
    long index = PyLong_AsLong(item);
    if (index == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (index < 0 || index > MT_N) {
        PyErr_SetString(PyExc_ValueError, "invalid state");
        return NULL;
    }
    Py_BEGIN_CRITICAL_SECTION(self);
    memcpy(self->state, copy, sizeof(copy));
    self->index = (int)index;
    Py_END_CRITICAL_SECTION();
    Py_RETURN_NONE;
}

/* getrandbits(k) -> int with k random bits.  Words are drawn least
 * significant first; the last, partial word keeps its top bits.
 * New reference. */
static PyObject *
random_getrandbits(PyObject *op, PyObject *arg)
{
    RandomObject *self = (RandomObject *)op;
    int k = _PyLong_AsInt(arg);
    if (k == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (k < 0) {
        PyErr_SetString(PyExc_ValueError,
                        "number of bits must be non-negative");
        return NULL;
    }
    if (k == 0) {
        return PyLong_FromLong(0);
    }
    if (k <= 32) {
        uint32_t r;
        Py_BEGIN_CRITICAL_SECTION(self);
        r = mt_genrand(self) >> (32 - k);
        Py_END_CRITICAL_SECTION();
        return PyLong_FromUnsignedLong(r);
    }
    size_t words = ((size_t)k - 1) / 32 + 1;
    unsigned char *bytes = PyMem_Malloc(words * 4);
    if (bytes == NULL) {
        return PyErr_NoMemory();
    }
    Py_BEGIN_CRITICAL_SECTION(self);
    int left = k;
    for (size_t i = 0; i < words; i++, left -= 32) {
        uint32_t r = mt_genrand(self);
        if (left < 32) {
            r >>= (32 - left);
        }
        bytes[4 * i] = (unsigned char)r;
        bytes[4 * i + 1] = (unsigned char)(r >> 8);
        bytes[4 * i + 2] = (unsigned char)(r >> 16);
        bytes[4 * i + 3] = (unsigned char)(r >> 24);
    }
    Py_END_CRITICAL_SECTION();
    PyObject *res = _PyLong_FromByteArray(bytes, words * 4, 1, 0);
    PyMem_Free(bytes);
    return res;
}

/* ------------------------------------------------------------------ */
/* Type                                                                */

/* Random.__init__(self[, seed]): seeds the generator.  The exact type
 * and subclasses that keep this __init__ reject keyword arguments. */
static int
random_init(PyObject *op, PyObject *args, PyObject *kwds)
{
    if (kwds != NULL && PyDict_Check(kwds) && PyDict_GET_SIZE(kwds) != 0) {
        PyErr_SetString(PyExc_TypeError,
                        "Random() takes no keyword arguments");
        return -1;
    }
    if (PyTuple_GET_SIZE(args) > 1) {
        PyErr_SetString(PyExc_TypeError,
                        "Random() requires 0 or 1 argument");
        return -1;
    }
    PyObject *arg = PyTuple_GET_SIZE(args) ? PyTuple_GET_ITEM(args, 0) : NULL;
    return random_seed_impl((RandomObject *)op, arg);
}

static PyMethodDef random_methods[] = {
    {"random", random_random, METH_NOARGS,
     "random() -> x in the interval [0, 1)."},
    {"seed", random_seed, METH_VARARGS,
     "seed([n]) -> None.\n\nDefaults to use urandom and falls back to a "
     "combination\nof the current time and the process identifier."},
    {"getstate", random_getstate, METH_NOARGS,
     "getstate() -> tuple containing the current state."},
    {"setstate", random_setstate, METH_O,
     "setstate(state) -> None.  Restores generator state."},
    {"getrandbits", random_getrandbits, METH_O,
     "getrandbits(k) -> x.  Generates an int with k random bits."},
    {NULL}
};

static PyTypeObject Random_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_random.Random",
    .tp_basicsize = sizeof(RandomObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Random() -> create a random number generator with its own "
              "internal state.",
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_methods = random_methods,
    .tp_init = random_init,
    .tp_new = PyType_GenericNew,
    .tp_free = PyObject_Free,
};

/* Give a static type the __module__ entry that CPython's heap type of
 * the same dotted name carries in its dict (dir() lists it, instances
 * inherit it).  Inserted only if absent, so a re-import changes
 * nothing.  0, or -1 with an error. */
static int
random_set_type_module(PyTypeObject *type, const char *module)
{
    PyObject *key = PyUnicode_InternFromString("__module__");
    PyObject *value = PyUnicode_FromString(module);
    int rc = -1;
    if (key != NULL && value != NULL) {
        PyObject *stored;
        rc = PyDict_SetDefaultRef(type->tp_dict, key, value, &stored);
        Py_XDECREF(stored);
    }
    Py_XDECREF(key);
    Py_XDECREF(value);
    return rc < 0 ? -1 : 0;
}

static PyModuleDef random_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_random",
    .m_doc = "Module implements the Mersenne Twister random number "
             "generator.",
    .m_size = 0,
};

/* Create the _random module.  Returns a new reference. */
PyMODINIT_FUNC
PyInit__random(void)
{
    if (PyType_Ready(&Random_Type) < 0 ||
        random_set_type_module(&Random_Type, "_random") < 0) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&random_module);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddType(m, &Random_Type) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
