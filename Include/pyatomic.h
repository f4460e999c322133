/* Named atomic operations.
 *
 * Every atomic access in Plait goes through these wrappers so that the memory
 * order is spelled at the call site and can be grepped for.  They operate on
 * plain (non-_Atomic) fields via the GCC/Clang __atomic builtins, which TSan
 * understands.  Families:
 *
 *   _Py_atomic_load_T[_relaxed|_acquire](const T *p)
 *   _Py_atomic_store_T[_relaxed|_release](T *p, T v)
 *   _Py_atomic_add_T(T *p, T v)             -> old value, seq_cst
 *   _Py_atomic_exchange_T(T *p, T v)        -> old value, seq_cst
 *   _Py_atomic_compare_exchange_T(T *p, T *expected, T desired)
 *       seq_cst strong CAS; on failure *expected receives the current value
 *   _Py_atomic_or_T / _Py_atomic_and_T      -> old value, seq_cst
 *
 * A plain load is seq_cst; use _relaxed only with a comment saying why it is
 * enough.
 */
#ifndef Py_PYATOMIC_H
#define Py_PYATOMIC_H

#include <stdint.h>
#include <sys/types.h>

#define _Py_ATOMIC_FAMILY(NAME, T)                                          \
    static inline T                                                         \
    _Py_atomic_load_##NAME(const T *p)                                      \
    { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }                        \
    static inline T                                                         \
    _Py_atomic_load_##NAME##_relaxed(const T *p)                            \
    { return __atomic_load_n(p, __ATOMIC_RELAXED); }                        \
    static inline T                                                         \
    _Py_atomic_load_##NAME##_acquire(const T *p)                            \
    { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }                        \
    static inline void                                                      \
    _Py_atomic_store_##NAME(T *p, T v)                                      \
    { __atomic_store_n(p, v, __ATOMIC_SEQ_CST); }                           \
    static inline void                                                      \
    _Py_atomic_store_##NAME##_relaxed(T *p, T v)                            \
    { __atomic_store_n(p, v, __ATOMIC_RELAXED); }                           \
    static inline void                                                      \
    _Py_atomic_store_##NAME##_release(T *p, T v)                            \
    { __atomic_store_n(p, v, __ATOMIC_RELEASE); }                           \
    static inline T                                                         \
    _Py_atomic_exchange_##NAME(T *p, T v)                                   \
    { return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); }                 \
    static inline int                                                       \
    _Py_atomic_compare_exchange_##NAME(T *p, T *expected, T desired)        \
    {                                                                       \
        return __atomic_compare_exchange_n(p, expected, desired, 0,         \
                                           __ATOMIC_SEQ_CST,                \
                                           __ATOMIC_SEQ_CST);               \
    }

#define _Py_ATOMIC_INT_FAMILY(NAME, T)                                      \
    _Py_ATOMIC_FAMILY(NAME, T)                                              \
    static inline T                                                         \
    _Py_atomic_add_##NAME(T *p, T v)                                        \
    { return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); }                  \
    static inline T                                                         \
    _Py_atomic_add_##NAME##_relaxed(T *p, T v)                              \
    { return __atomic_fetch_add(p, v, __ATOMIC_RELAXED); }                  \
    static inline T                                                         \
    _Py_atomic_or_##NAME(T *p, T v)                                         \
    { return __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST); }                   \
    static inline T                                                         \
    _Py_atomic_and_##NAME(T *p, T v)                                        \
    { return __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST); }

_Py_ATOMIC_INT_FAMILY(int, int)
_Py_ATOMIC_INT_FAMILY(int8, int8_t)
_Py_ATOMIC_INT_FAMILY(uint8, uint8_t)
_Py_ATOMIC_INT_FAMILY(uint16, uint16_t)
_Py_ATOMIC_INT_FAMILY(int32, int32_t)
_Py_ATOMIC_INT_FAMILY(uint32, uint32_t)
_Py_ATOMIC_INT_FAMILY(int64, int64_t)
_Py_ATOMIC_INT_FAMILY(uint64, uint64_t)
_Py_ATOMIC_INT_FAMILY(intptr, intptr_t)
_Py_ATOMIC_INT_FAMILY(uintptr, uintptr_t)
_Py_ATOMIC_INT_FAMILY(ssize, ssize_t)

/* Pointer operations take the address of any pointer-typed field. */
static inline void *
_Py_atomic_load_ptr(const void *p)
{ return __atomic_load_n((void *const *)p, __ATOMIC_SEQ_CST); }
static inline void *
_Py_atomic_load_ptr_relaxed(const void *p)
{ return __atomic_load_n((void *const *)p, __ATOMIC_RELAXED); }
static inline void *
_Py_atomic_load_ptr_acquire(const void *p)
{ return __atomic_load_n((void *const *)p, __ATOMIC_ACQUIRE); }
static inline void
_Py_atomic_store_ptr(void *p, void *v)
{ __atomic_store_n((void **)p, v, __ATOMIC_SEQ_CST); }
static inline void
_Py_atomic_store_ptr_relaxed(void *p, void *v)
{ __atomic_store_n((void **)p, v, __ATOMIC_RELAXED); }
static inline void
_Py_atomic_store_ptr_release(void *p, void *v)
{ __atomic_store_n((void **)p, v, __ATOMIC_RELEASE); }
static inline void *
_Py_atomic_exchange_ptr(void *p, void *v)
{ return __atomic_exchange_n((void **)p, v, __ATOMIC_SEQ_CST); }
static inline int
_Py_atomic_compare_exchange_ptr(void *p, void *expected, void *desired)
{
    /* expected is a pointer to a pointer variable */
    return __atomic_compare_exchange_n((void **)p, (void **)expected, desired,
                                       0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

#undef _Py_ATOMIC_FAMILY
#undef _Py_ATOMIC_INT_FAMILY

static inline void
_Py_atomic_fence_seq_cst(void)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static inline void
_Py_atomic_fence_acquire(void)
{
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
}

static inline void
_Py_atomic_fence_release(void)
{
    __atomic_thread_fence(__ATOMIC_RELEASE);
}

/* CPU hint inside spin loops. */
static inline void
_Py_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield" ::: "memory");
#endif
}

#endif /* !Py_PYATOMIC_H */
