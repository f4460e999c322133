/* Critical sections (Python/critical_section.c), ARCHITECTURE section 4.
 *
 * A critical section locks an object's ob_mutex and sits on a per-thread
 * stack whose top is _PyThreadStateImpl.critical_section.  When the thread
 * detaches (blocks, waits, is suspended) every section it holds is released
 * and marked inactive; when it attaches again only the innermost one is
 * re-locked, outer ones when the inner ends.  So object locks never
 * deadlock against each other or against stop-the-world, and no section
 * gives atomicity across a call that may block or run Python code.
 *
 * The links are tagged pointers: bit 0 = inactive, bit 1 = a two-mutex
 * section. */
#ifndef Py_INTERNAL_CRITICAL_SECTION_H
#define Py_INTERNAL_CRITICAL_SECTION_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "pycore_pystate.h"

#define _Py_CRITICAL_SECTION_INACTIVE     0x1
#define _Py_CRITICAL_SECTION_TWO_MUTEXES  0x2
#define _Py_CRITICAL_SECTION_MASK         0x3

typedef struct PyCriticalSection {
    uintptr_t _cs_prev;     /* tagged link to the enclosing section */
    PyMutex *_cs_mutex;
} PyCriticalSection;

typedef struct PyCriticalSection2 {
    PyCriticalSection _cs_base;
    PyMutex *_cs_mutex2;
} PyCriticalSection2;

PyAPI_FUNC(void) _PyCriticalSection_BeginSlow(PyCriticalSection *c,
                                              PyMutex *m);
PyAPI_FUNC(void) _PyCriticalSection2_BeginSlow(PyCriticalSection2 *c,
                                               PyMutex *m1, PyMutex *m2,
                                               int is_m1_locked);
PyAPI_FUNC(void) _PyCriticalSection_Resume(PyThreadState *tstate);
PyAPI_FUNC(void) _PyCriticalSection_SuspendAll(PyThreadState *tstate);

static inline _PyThreadStateImpl *
_PyCriticalSection_TState(void)
{
    return (_PyThreadStateImpl *)_PyThreadState_GET();
}

static inline void
_PyCriticalSection_BeginMutex(PyCriticalSection *c, PyMutex *m)
{
    if (_PyMutex_TryLock(m)) {
        _PyThreadStateImpl *ts = _PyCriticalSection_TState();
        c->_cs_mutex = m;
        c->_cs_prev = ts->critical_section;
        ts->critical_section = (uintptr_t)c;
    }
    else {
        _PyCriticalSection_BeginSlow(c, m);
    }
}

static inline void
_PyCriticalSection_Begin(PyCriticalSection *c, PyObject *op)
{
    _PyCriticalSection_BeginMutex(c, &op->ob_mutex);
}

/* Pops the section; resumes the enclosing one if it was suspended. */
static inline void
_PyCriticalSection_Pop(PyCriticalSection *c)
{
    _PyThreadStateImpl *ts = _PyCriticalSection_TState();
    uintptr_t prev = c->_cs_prev;
    ts->critical_section = prev;
    if ((prev & _Py_CRITICAL_SECTION_INACTIVE) != 0) {
        _PyCriticalSection_Resume(&ts->base);
    }
}

static inline void
_PyCriticalSection_End(PyCriticalSection *c)
{
    PyMutex_Unlock(c->_cs_mutex);
    _PyCriticalSection_Pop(c);
}

static inline void
_PyCriticalSection2_BeginMutex(PyCriticalSection2 *c, PyMutex *m1,
                               PyMutex *m2)
{
    if (m1 == m2) {
        /* Same object twice: one lock, but End still unlocks two, so
           record a single-mutex section in a two-mutex frame. */
        c->_cs_mutex2 = NULL;
        _PyCriticalSection_BeginMutex(&c->_cs_base, m1);
        return;
    }
    if ((uintptr_t)m2 < (uintptr_t)m1) {
        PyMutex *tmp = m1;
        m1 = m2;
        m2 = tmp;
    }
    if (_PyMutex_TryLock(m1)) {
        if (_PyMutex_TryLock(m2)) {
            _PyThreadStateImpl *ts = _PyCriticalSection_TState();
            c->_cs_base._cs_mutex = m1;
            c->_cs_mutex2 = m2;
            c->_cs_base._cs_prev = ts->critical_section;
            ts->critical_section =
                (uintptr_t)c | _Py_CRITICAL_SECTION_TWO_MUTEXES;
            return;
        }
        _PyCriticalSection2_BeginSlow(c, m1, m2, 1);
        return;
    }
    _PyCriticalSection2_BeginSlow(c, m1, m2, 0);
}

static inline void
_PyCriticalSection2_Begin(PyCriticalSection2 *c, PyObject *a, PyObject *b)
{
    _PyCriticalSection2_BeginMutex(c, &a->ob_mutex, &b->ob_mutex);
}

static inline void
_PyCriticalSection2_End(PyCriticalSection2 *c)
{
    if (c->_cs_mutex2 != NULL) {
        PyMutex_Unlock(c->_cs_mutex2);
    }
    PyMutex_Unlock(c->_cs_base._cs_mutex);
    _PyCriticalSection_Pop(&c->_cs_base);
}

#define Py_BEGIN_CRITICAL_SECTION(op)                                   \
    {                                                                   \
        PyCriticalSection _py_cs;                                       \
        _PyCriticalSection_Begin(&_py_cs, _PyObject_CAST(op))

#define Py_END_CRITICAL_SECTION()                                       \
        _PyCriticalSection_End(&_py_cs);                                \
    }

#define Py_BEGIN_CRITICAL_SECTION2(a, b)                                \
    {                                                                   \
        PyCriticalSection2 _py_cs2;                                     \
        _PyCriticalSection2_Begin(&_py_cs2, _PyObject_CAST(a),          \
                                  _PyObject_CAST(b))

#define Py_END_CRITICAL_SECTION2()                                      \
        _PyCriticalSection2_End(&_py_cs2);                              \
    }

#define Py_BEGIN_CRITICAL_SECTION_MUT(m)                                \
    {                                                                   \
        PyCriticalSection _py_cs;                                       \
        _PyCriticalSection_BeginMutex(&_py_cs, (m))

#endif /* !Py_INTERNAL_CRITICAL_SECTION_H */
