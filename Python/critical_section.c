/* Critical sections: the slow paths (see pycore_critical_section.h).
 *
 * A section that has to wait for its mutex is pushed before it waits, with
 * its mutex field NULL.  If the wait parks, the thread detaches and every
 * held section is suspended (unlocked and marked inactive); when the thread
 * attaches again only the innermost section is resumed, and it holds
 * nothing yet, so the wait never holds an outer lock: no lock-order
 * deadlock is possible between object locks. */
#include "Python.h"
#include "pycore_critical_section.h"

static PyCriticalSection *
untag(uintptr_t link)
{
    return (PyCriticalSection *)(link & ~(uintptr_t)_Py_CRITICAL_SECTION_MASK);
}

void
_PyCriticalSection_BeginSlow(PyCriticalSection *c, PyMutex *m)
{
    _PyThreadStateImpl *ts = _PyCriticalSection_TState();
    c->_cs_mutex = NULL;
    c->_cs_prev = ts->critical_section;
    ts->critical_section = (uintptr_t)c;
    PyMutex_Lock(m);
    c->_cs_mutex = m;
}

void
_PyCriticalSection2_BeginSlow(PyCriticalSection2 *c, PyMutex *m1, PyMutex *m2,
                              int is_m1_locked)
{
    _PyThreadStateImpl *ts = _PyCriticalSection_TState();
    c->_cs_base._cs_mutex = NULL;
    c->_cs_mutex2 = NULL;
    c->_cs_base._cs_prev = ts->critical_section;
    ts->critical_section = (uintptr_t)c | _Py_CRITICAL_SECTION_TWO_MUTEXES;
    if (!is_m1_locked) {
        PyMutex_Lock(m1);
    }
    /* Record m1 before waiting for m2, so a park releases it. */
    c->_cs_base._cs_mutex = m1;
    PyMutex_Lock(m2);
    c->_cs_mutex2 = m2;
}

/* Unlocks every active section of the thread and marks it inactive.
   Called when the thread detaches or is suspended. */
void
_PyCriticalSection_SuspendAll(PyThreadState *tstate)
{
    _PyThreadStateImpl *ts = (_PyThreadStateImpl *)tstate;
    uintptr_t *link = &ts->critical_section;
    while (untag(*link) != NULL) {
        PyCriticalSection *c = untag(*link);
        if ((*link & _Py_CRITICAL_SECTION_INACTIVE) == 0) {
            if ((*link & _Py_CRITICAL_SECTION_TWO_MUTEXES) != 0) {
                PyMutex *m2 = ((PyCriticalSection2 *)c)->_cs_mutex2;
                if (m2 != NULL) {
                    PyMutex_Unlock(m2);
                }
            }
            if (c->_cs_mutex != NULL) {
                PyMutex_Unlock(c->_cs_mutex);
            }
            *link |= _Py_CRITICAL_SECTION_INACTIVE;
        }
        link = &c->_cs_prev;
    }
}

/* Re-locks the innermost section after it was suspended.  The mutex fields
   are cleared while locking, so a park inside PyMutex_Lock (which suspends
   and resumes again) sees a section that holds nothing. */
void
_PyCriticalSection_Resume(PyThreadState *tstate)
{
    _PyThreadStateImpl *ts = (_PyThreadStateImpl *)tstate;
    uintptr_t top = ts->critical_section;
    PyCriticalSection *c = untag(top);
    if (c == NULL || (top & _Py_CRITICAL_SECTION_INACTIVE) == 0) {
        return;
    }
    PyMutex *m1 = c->_cs_mutex;
    PyMutex *m2 = NULL;
    c->_cs_mutex = NULL;
    if ((top & _Py_CRITICAL_SECTION_TWO_MUTEXES) != 0) {
        m2 = ((PyCriticalSection2 *)c)->_cs_mutex2;
        ((PyCriticalSection2 *)c)->_cs_mutex2 = NULL;
    }
    ts->critical_section = top & ~(uintptr_t)_Py_CRITICAL_SECTION_INACTIVE;
    if (m1 != NULL) {
        PyMutex_Lock(m1);
        c->_cs_mutex = m1;
    }
    if (m2 != NULL) {
        PyMutex_Lock(m2);
        ((PyCriticalSection2 *)c)->_cs_mutex2 = m2;
    }
}
