/* The instruction set: the one table that the compiler, the disassembler,
   the bytecode verifier and the eval loop all read.

   Bytecode is an array of 16-bit code units.  A unit holds an 8-bit opcode
   (low byte) and an 8-bit argument (high byte); on a little-endian machine
   the bytes in memory are opcode, oparg, as in CPython's co_code.  An
   argument wider than 8 bits is spelled with up to three EXTENDED_ARG
   prefixes, each contributing 8 more high bits.  An instruction with
   inline caches is followed by that many CACHE units (all zero when the
   compiler emits them), which the eval loop may use for specialization;
   the next instruction starts after them, and relative jump arguments
   count code units from there.

   Each row of _PY_OPCODES is
       X(NAME, POPS, PUSHES, JUMP_PUSHES, CACHES, FLAGS, FAMILY)
   NAME     the opcode, numbered in table order (CACHE is 0);
   POPS     values the instruction takes off the stack, as a C expression
            in `oparg` (an instruction that only looks at a value deep in
            the stack counts it as popped and pushed again, so POPS is also
            the depth it needs);
   PUSHES   values it leaves on the stack when it does not jump;
   JUMP_PUSHES  values it leaves when it jumps (equal to PUSHES for an
            instruction that cannot jump);
   CACHES   inline cache units that follow it;
   FLAGS    _PYOP_* bits below;
   FAMILY   the base instruction a specialized form deoptimizes to; every
            row the compiler may emit names itself.
   Specialized instructions added later by the eval loop go at the end of
   the real instructions with the _PYOP_SPECIALIZED flag, their family's
   name, and the same stack effect and cache size as the family.

   _PY_PSEUDO_OPCODES lists instructions that exist only inside the
   compiler (numbered from 256); the assembler replaces every one of them.

   Argument meanings:
     RESUME             0 function start, 1 after yield, 2 after yield from,
                        3 after await
     BINARY_OP          a _PyBinOp_* value below
     COMPARE_OP         Py_LT..Py_GE (0..5)
     IS_OP, CONTAINS_OP 1 negates the test
     LOAD_GLOBAL        (name index << 1) | 1 if a NULL is pushed first
     LOAD_FAST..        index into the frame's local+cell+free slots
     LOAD_DEREF..       likewise (cells and free variables share that array)
     MAKE_FUNCTION      _PyMakeFunction_* bits below; pops those values
                        (closure tuple, annotations tuple, kw defaults dict,
                        defaults tuple, from top down) under the code object
     FORMAT_VALUE       _PyFormat_* below
     CALL               number of arguments; the stack holds
                        [NULL or method, callable or self, args...]; a
                        preceding KW_NAMES names the last len(names) args
     CALL_FUNCTION_EX   1 when a kwargs mapping is on top; stack holds
                        [NULL, callable, args tuple, (kwargs dict)]
     UNPACK_EX          (values before the star) | (values after << 8)
     GET_AWAITABLE      0 plain await, 1 after __aenter__, 2 after __aexit__
                        (only changes error messages)
     RERAISE            nonzero: the value under the exception is the saved
                        f_lasti (an int) to restore
     SWAP, COPY         1-based depth
     LIST_APPEND, SET_ADD, MAP_ADD, LIST_EXTEND, SET_UPDATE, DICT_UPDATE,
     DICT_MERGE         1-based depth of the container below the popped
                        values
     RAISE_VARARGS      0 re-raise, 1 exception, 2 exception and cause
     BUILD_SLICE        2 or 3 values
     MATCH_CLASS        number of positional sub-patterns; pops subject,
                        class and the tuple of keyword names
     jumps              code units forward from the next instruction, or
                        backward from it (the *_BACKWARD* forms)

   Generators start with RETURN_GENERATOR, POP_TOP, RESUME 0.  `yield
   from`/`await` is GET_YIELD_FROM_ITER|GET_AWAITABLE, LOAD_CONST None,
   SEND (to exit), YIELD_VALUE, RESUME 2|3, JUMP_BACKWARD_NO_INTERRUPT (to
   SEND): a frame suspended at a YIELD_VALUE whose next instruction is
   RESUME 2 or 3 is delegating to the iterator on top of its stack.
   Functions with cells start with MAKE_CELL for each, closures with
   COPY_FREE_VARS; both carry no line number.

   Exception handlers are found through the exception table (see
   pycore_compile.h); the instruction that raised is never told.  On entry
   to a handler the stack is cut to the recorded depth, f_lasti is pushed
   (as an int) when the entry says so, then the exception. */

#ifndef Py_INTERNAL_OPCODE_H
#define Py_INTERNAL_OPCODE_H

#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE"
#endif

#include <stdint.h>

/* Flags. */
#define _PYOP_ARG        0x0001  /* the argument means something */
#define _PYOP_CONST      0x0002  /* argument indexes co_consts */
#define _PYOP_NAME       0x0004  /* argument indexes co_names */
#define _PYOP_LOCAL      0x0008  /* argument indexes fast locals */
#define _PYOP_FREE       0x0010  /* argument indexes cells/free vars */
#define _PYOP_COMPARE    0x0020  /* argument is a comparison operator */
#define _PYOP_JUMP       0x0040  /* argument is a relative jump */
#define _PYOP_BACKWARD   0x0080  /* ... backward */
#define _PYOP_UNCOND     0x0100  /* never falls through to the next one */
#define _PYOP_EXIT       0x0200  /* leaves the frame (return, raise) */
#define _PYOP_EVAL_BREAK 0x0400  /* checks the eval breaker */
#define _PYOP_SPECIALIZED 0x0800 /* a specialized form; never emitted */
#define _PYOP_PSEUDO     0x1000  /* compiler-only; never in bytecode */
#define _PYOP_BLOCK      0x2000  /* pseudo: exception-block push/pop */
#define _PYOP_NO_EXC     0x4000  /* cannot raise (verifier: no handler
                                    edge needed, informational) */

#define _PYOP_JUMPS_ALWAYS (_PYOP_JUMP | _PYOP_UNCOND)

/* Shorthands for the table. */
#define _PYOP_A  _PYOP_ARG
#define _PYOP_K  (_PYOP_ARG | _PYOP_CONST)
#define _PYOP_N  (_PYOP_ARG | _PYOP_NAME)
#define _PYOP_L  (_PYOP_ARG | _PYOP_LOCAL)
#define _PYOP_F  (_PYOP_ARG | _PYOP_FREE)
#define _PYOP_J  (_PYOP_ARG | _PYOP_JUMP)
#define _PYOP_JB (_PYOP_ARG | _PYOP_JUMP | _PYOP_BACKWARD)

/* Real instructions.  Those without an argument come first, so that
   `op >= HAVE_ARGUMENT` tells whether the argument is used. */
#define _PY_OPCODES(X)                                                              \
    X(CACHE,                 0, 0, 0, 0, _PYOP_NO_EXC, CACHE)                       \
    X(POP_TOP,               1, 0, 0, 0, _PYOP_NO_EXC, POP_TOP)                     \
    X(PUSH_NULL,             0, 1, 1, 0, _PYOP_NO_EXC, PUSH_NULL)                   \
    X(NOP,                   0, 0, 0, 0, _PYOP_NO_EXC, NOP)                         \
    X(UNARY_POSITIVE,        1, 1, 1, 0, 0, UNARY_POSITIVE)                         \
    X(UNARY_NEGATIVE,        1, 1, 1, 0, 0, UNARY_NEGATIVE)                         \
    X(UNARY_NOT,             1, 1, 1, 0, 0, UNARY_NOT)                              \
    X(UNARY_INVERT,          1, 1, 1, 0, 0, UNARY_INVERT)                           \
    X(BINARY_SUBSCR,         2, 1, 1, 4, 0, BINARY_SUBSCR)                          \
    X(STORE_SUBSCR,          3, 0, 0, 1, 0, STORE_SUBSCR)                           \
    X(DELETE_SUBSCR,         2, 0, 0, 0, 0, DELETE_SUBSCR)                          \
    X(GET_LEN,               1, 2, 2, 0, 0, GET_LEN)                                \
    X(MATCH_MAPPING,         1, 2, 2, 0, _PYOP_NO_EXC, MATCH_MAPPING)               \
    X(MATCH_SEQUENCE,        1, 2, 2, 0, _PYOP_NO_EXC, MATCH_SEQUENCE)              \
    X(MATCH_KEYS,            2, 3, 3, 0, 0, MATCH_KEYS)                             \
    X(PUSH_EXC_INFO,         1, 2, 2, 0, _PYOP_NO_EXC, PUSH_EXC_INFO)               \
    X(CHECK_EXC_MATCH,       2, 2, 2, 0, 0, CHECK_EXC_MATCH)                        \
    X(CHECK_EG_MATCH,        2, 2, 2, 0, 0, CHECK_EG_MATCH)                         \
    X(WITH_EXCEPT_START,     4, 5, 5, 0, 0, WITH_EXCEPT_START)                      \
    X(GET_AITER,             1, 1, 1, 0, 0, GET_AITER)                              \
    X(GET_ANEXT,             1, 2, 2, 0, 0, GET_ANEXT)                              \
    X(BEFORE_ASYNC_WITH,     1, 2, 2, 0, 0, BEFORE_ASYNC_WITH)                      \
    X(BEFORE_WITH,           1, 2, 2, 0, 0, BEFORE_WITH)                            \
    X(END_ASYNC_FOR,         2, 0, 0, 0, 0, END_ASYNC_FOR)                          \
    X(GET_ITER,              1, 1, 1, 0, 0, GET_ITER)                               \
    X(GET_YIELD_FROM_ITER,   1, 1, 1, 0, 0, GET_YIELD_FROM_ITER)                    \
    X(PRINT_EXPR,            1, 0, 0, 0, 0, PRINT_EXPR)                             \
    X(LOAD_BUILD_CLASS,      0, 1, 1, 0, 0, LOAD_BUILD_CLASS)                       \
    X(LOAD_ASSERTION_ERROR,  0, 1, 1, 0, _PYOP_NO_EXC,                              \
      LOAD_ASSERTION_ERROR)                                                         \
    X(RETURN_GENERATOR,      0, 1, 1, 0, 0, RETURN_GENERATOR)                       \
    X(LIST_TO_TUPLE,         1, 1, 1, 0, 0, LIST_TO_TUPLE)                          \
    X(RETURN_VALUE,          1, 0, 0, 0, _PYOP_UNCOND | _PYOP_EXIT,                 \
      RETURN_VALUE)                                                                 \
    X(IMPORT_STAR,           1, 0, 0, 0, 0, IMPORT_STAR)                            \
    X(SETUP_ANNOTATIONS,     0, 0, 0, 0, 0, SETUP_ANNOTATIONS)                      \
    X(YIELD_VALUE,           1, 1, 1, 0, 0, YIELD_VALUE)                            \
    X(ASYNC_GEN_WRAP,        1, 1, 1, 0, 0, ASYNC_GEN_WRAP)                         \
    X(PREP_RERAISE_STAR,     2, 1, 1, 0, 0, PREP_RERAISE_STAR)                      \
    X(POP_EXCEPT,            1, 0, 0, 0, _PYOP_NO_EXC, POP_EXCEPT)                  \
    /* ---- instructions with an argument ---- */                                   \
    X(STORE_NAME,            1, 0, 0, 0, _PYOP_N, STORE_NAME)                       \
    X(DELETE_NAME,           0, 0, 0, 0, _PYOP_N, DELETE_NAME)                      \
    X(UNPACK_SEQUENCE,       1, oparg, oparg, 1, _PYOP_A, UNPACK_SEQUENCE)          \
    X(FOR_ITER,              1, 2, 0, 1, _PYOP_J, FOR_ITER)                         \
    X(UNPACK_EX,             1, (oparg & 0xFF) + (oparg >> 8) + 1,                  \
      (oparg & 0xFF) + (oparg >> 8) + 1, 0, _PYOP_A, UNPACK_EX)                     \
    X(STORE_ATTR,            2, 0, 0, 4, _PYOP_N, STORE_ATTR)                       \
    X(DELETE_ATTR,           1, 0, 0, 0, _PYOP_N, DELETE_ATTR)                      \
    X(STORE_GLOBAL,          1, 0, 0, 0, _PYOP_N, STORE_GLOBAL)                     \
    X(DELETE_GLOBAL,         0, 0, 0, 0, _PYOP_N, DELETE_GLOBAL)                    \
    X(SWAP,                  oparg, oparg, oparg, 0, _PYOP_A | _PYOP_NO_EXC,        \
      SWAP)                                                                         \
    X(LOAD_CONST,            0, 1, 1, 0, _PYOP_K | _PYOP_NO_EXC, LOAD_CONST)        \
    X(LOAD_NAME,             0, 1, 1, 0, _PYOP_N, LOAD_NAME)                        \
    X(BUILD_TUPLE,           oparg, 1, 1, 0, _PYOP_A, BUILD_TUPLE)                  \
    X(BUILD_LIST,            oparg, 1, 1, 0, _PYOP_A, BUILD_LIST)                   \
    X(BUILD_SET,             oparg, 1, 1, 0, _PYOP_A, BUILD_SET)                    \
    X(BUILD_MAP,             2 * oparg, 1, 1, 0, _PYOP_A, BUILD_MAP)                \
    X(LOAD_ATTR,             1, 1, 1, 9, _PYOP_N, LOAD_ATTR)                        \
    X(COMPARE_OP,            2, 1, 1, 2, _PYOP_A | _PYOP_COMPARE, COMPARE_OP)       \
    X(IMPORT_NAME,           2, 1, 1, 0, _PYOP_N, IMPORT_NAME)                      \
    X(IMPORT_FROM,           1, 2, 2, 0, _PYOP_N, IMPORT_FROM)                      \
    X(JUMP_FORWARD,          0, 0, 0, 0, _PYOP_J | _PYOP_UNCOND | _PYOP_NO_EXC,     \
      JUMP_FORWARD)                                                                 \
    X(JUMP_IF_FALSE_OR_POP,  1, 0, 1, 0, _PYOP_J, JUMP_IF_FALSE_OR_POP)             \
    X(JUMP_IF_TRUE_OR_POP,   1, 0, 1, 0, _PYOP_J, JUMP_IF_TRUE_OR_POP)              \
    X(POP_JUMP_FORWARD_IF_FALSE, 1, 0, 0, 0, _PYOP_J,                               \
      POP_JUMP_FORWARD_IF_FALSE)                                                    \
    X(POP_JUMP_FORWARD_IF_TRUE,  1, 0, 0, 0, _PYOP_J,                               \
      POP_JUMP_FORWARD_IF_TRUE)                                                     \
    X(POP_JUMP_FORWARD_IF_NOT_NONE, 1, 0, 0, 0, _PYOP_J | _PYOP_NO_EXC,             \
      POP_JUMP_FORWARD_IF_NOT_NONE)                                                 \
    X(POP_JUMP_FORWARD_IF_NONE,  1, 0, 0, 0, _PYOP_J | _PYOP_NO_EXC,                \
      POP_JUMP_FORWARD_IF_NONE)                                                     \
    X(POP_JUMP_BACKWARD_IF_FALSE, 1, 0, 0, 0, _PYOP_JB | _PYOP_EVAL_BREAK,          \
      POP_JUMP_BACKWARD_IF_FALSE)                                                   \
    X(POP_JUMP_BACKWARD_IF_TRUE,  1, 0, 0, 0, _PYOP_JB | _PYOP_EVAL_BREAK,          \
      POP_JUMP_BACKWARD_IF_TRUE)                                                    \
    X(POP_JUMP_BACKWARD_IF_NOT_NONE, 1, 0, 0, 0, _PYOP_JB | _PYOP_EVAL_BREAK,       \
      POP_JUMP_BACKWARD_IF_NOT_NONE)                                                \
    X(POP_JUMP_BACKWARD_IF_NONE, 1, 0, 0, 0, _PYOP_JB | _PYOP_EVAL_BREAK,           \
      POP_JUMP_BACKWARD_IF_NONE)                                                    \
    X(JUMP_BACKWARD,         0, 0, 0, 0,                                            \
      _PYOP_JB | _PYOP_UNCOND | _PYOP_EVAL_BREAK, JUMP_BACKWARD)                    \
    X(JUMP_BACKWARD_NO_INTERRUPT, 0, 0, 0, 0,                                       \
      _PYOP_JB | _PYOP_UNCOND | _PYOP_NO_EXC, JUMP_BACKWARD_NO_INTERRUPT)           \
    X(LOAD_GLOBAL,           0, 1 + (oparg & 1), 1 + (oparg & 1), 5, _PYOP_N,       \
      LOAD_GLOBAL)                                                                  \
    X(IS_OP,                 2, 1, 1, 0, _PYOP_A | _PYOP_NO_EXC, IS_OP)             \
    X(CONTAINS_OP,           2, 1, 1, 0, _PYOP_A, CONTAINS_OP)                      \
    X(RERAISE,               1 + (oparg != 0), (oparg != 0),                        \
      (oparg != 0), 0, _PYOP_A | _PYOP_UNCOND | _PYOP_EXIT, RERAISE)                \
    X(COPY,                  oparg, oparg + 1, oparg + 1, 0,                        \
      _PYOP_A | _PYOP_NO_EXC, COPY)                                                 \
    X(BINARY_OP,             2, 1, 1, 1, _PYOP_A, BINARY_OP)                        \
    X(SEND,                  2, 2, 1, 0, _PYOP_J, SEND)                             \
    X(LOAD_FAST,             0, 1, 1, 0, _PYOP_L | _PYOP_NO_EXC, LOAD_FAST)         \
    X(LOAD_FAST_CHECK,       0, 1, 1, 0, _PYOP_L, LOAD_FAST_CHECK)                  \
    X(STORE_FAST,            1, 0, 0, 0, _PYOP_L | _PYOP_NO_EXC, STORE_FAST)        \
    X(DELETE_FAST,           0, 0, 0, 0, _PYOP_L, DELETE_FAST)                      \
    X(RAISE_VARARGS,         oparg, 0, 0, 0,                                        \
      _PYOP_A | _PYOP_UNCOND | _PYOP_EXIT, RAISE_VARARGS)                           \
    X(GET_AWAITABLE,         1, 1, 1, 0, _PYOP_A, GET_AWAITABLE)                    \
    X(MAKE_FUNCTION,         1 + ((oparg & 1) != 0) + ((oparg & 2) != 0)            \
      + ((oparg & 4) != 0) + ((oparg & 8) != 0), 1, 1, 0, _PYOP_A,                  \
      MAKE_FUNCTION)                                                                \
    X(BUILD_SLICE,           oparg, 1, 1, 0, _PYOP_A, BUILD_SLICE)                  \
    X(MAKE_CELL,             0, 0, 0, 0, _PYOP_F | _PYOP_NO_EXC, MAKE_CELL)         \
    X(LOAD_CLOSURE,          0, 1, 1, 0, _PYOP_F | _PYOP_NO_EXC, LOAD_CLOSURE)      \
    X(LOAD_DEREF,            0, 1, 1, 0, _PYOP_F, LOAD_DEREF)                       \
    X(STORE_DEREF,           1, 0, 0, 0, _PYOP_F | _PYOP_NO_EXC, STORE_DEREF)       \
    X(DELETE_DEREF,          0, 0, 0, 0, _PYOP_F, DELETE_DEREF)                     \
    X(CALL_FUNCTION_EX,      3 + (oparg & 1), 1, 1, 0,                              \
      _PYOP_A | _PYOP_EVAL_BREAK, CALL_FUNCTION_EX)                                 \
    X(EXTENDED_ARG,          0, 0, 0, 0, _PYOP_A | _PYOP_NO_EXC, EXTENDED_ARG)      \
    X(LIST_APPEND,           oparg + 1, oparg, oparg, 0, _PYOP_A, LIST_APPEND)      \
    X(SET_ADD,               oparg + 1, oparg, oparg, 0, _PYOP_A, SET_ADD)          \
    X(MAP_ADD,               oparg + 2, oparg, oparg, 0, _PYOP_A, MAP_ADD)          \
    X(LOAD_CLASSDEREF,       0, 1, 1, 0, _PYOP_F, LOAD_CLASSDEREF)                  \
    X(COPY_FREE_VARS,        0, 0, 0, 0, _PYOP_A | _PYOP_NO_EXC,                    \
      COPY_FREE_VARS)                                                               \
    X(RESUME,                0, 0, 0, 0, _PYOP_A | _PYOP_EVAL_BREAK, RESUME)        \
    X(MATCH_CLASS,           3, 1, 1, 0, _PYOP_A, MATCH_CLASS)                      \
    X(FORMAT_VALUE,          1 + ((oparg & 4) != 0), 1, 1, 0, _PYOP_A,              \
      FORMAT_VALUE)                                                                 \
    X(BUILD_CONST_KEY_MAP,   oparg + 1, 1, 1, 0, _PYOP_A, BUILD_CONST_KEY_MAP)      \
    X(BUILD_STRING,          oparg, 1, 1, 0, _PYOP_A, BUILD_STRING)                 \
    X(LOAD_METHOD,           1, 2, 2, 9, _PYOP_N, LOAD_METHOD)                      \
    X(LIST_EXTEND,           oparg + 1, oparg, oparg, 0, _PYOP_A, LIST_EXTEND)      \
    X(SET_UPDATE,            oparg + 1, oparg, oparg, 0, _PYOP_A, SET_UPDATE)       \
    X(DICT_MERGE,            oparg + 1, oparg, oparg, 0, _PYOP_A, DICT_MERGE)       \
    X(DICT_UPDATE,           oparg + 1, oparg, oparg, 0, _PYOP_A, DICT_UPDATE)      \
    X(CALL,                  oparg + 2, 1, 1, 4, _PYOP_A | _PYOP_EVAL_BREAK,        \
      CALL)                                                                         \
    X(KW_NAMES,              0, 0, 0, 0, _PYOP_K | _PYOP_NO_EXC, KW_NAMES)

/* Compiler-only instructions.  The SETUP_* ones push an exception handler
   (their target) for the instructions up to the matching POP_BLOCK; their
   JUMP_PUSHES is what the handler finds above the depth at the SETUP
   (SETUP_WITH's handler also loses the value BEFORE_WITH pushed last).
   The directionless jumps become the *_FORWARD or *_BACKWARD forms. */
#define _PY_PSEUDO_OPCODES(X)                                                       \
    X(SETUP_FINALLY,         0, 0, 1, 0, _PYOP_J | _PYOP_BLOCK, SETUP_FINALLY)      \
    X(SETUP_CLEANUP,         0, 0, 2, 0, _PYOP_J | _PYOP_BLOCK, SETUP_CLEANUP)      \
    X(SETUP_WITH,            0, 0, 1, 0, _PYOP_J | _PYOP_BLOCK, SETUP_WITH)         \
    X(POP_BLOCK,             0, 0, 0, 0, _PYOP_BLOCK, POP_BLOCK)                    \
    X(JUMP,                  0, 0, 0, 0, _PYOP_J | _PYOP_UNCOND, JUMP)              \
    X(JUMP_NO_INTERRUPT,     0, 0, 0, 0, _PYOP_J | _PYOP_UNCOND,                    \
      JUMP_NO_INTERRUPT)                                                            \
    X(POP_JUMP_IF_FALSE,     1, 0, 0, 0, _PYOP_J, POP_JUMP_IF_FALSE)                \
    X(POP_JUMP_IF_TRUE,      1, 0, 0, 0, _PYOP_J, POP_JUMP_IF_TRUE)                 \
    X(POP_JUMP_IF_NONE,      1, 0, 0, 0, _PYOP_J, POP_JUMP_IF_NONE)                 \
    X(POP_JUMP_IF_NOT_NONE,  1, 0, 0, 0, _PYOP_J, POP_JUMP_IF_NOT_NONE)

enum _PyOpcode {
#define _PYOP_ENUM(NAME, POPS, PUSHES, JPUSHES, CACHES, FLAGS, FAMILY) NAME,
    _PY_OPCODES(_PYOP_ENUM)
    _PYOP_NUM_REAL,
    _PYOP_PSEUDO_BASE = 256,
    _PYOP_PSEUDO_BEFORE_FIRST = _PYOP_PSEUDO_BASE - 1,
    _PY_PSEUDO_OPCODES(_PYOP_ENUM)
    _PYOP_PSEUDO_END
#undef _PYOP_ENUM
};

#define HAVE_ARGUMENT STORE_NAME
#define _PYOP_MAX_REAL 255

/* A code unit: opcode in the low byte, argument in the high byte. */
typedef uint16_t _PyCodeUnitWord;
#define _PyCode_OPCODE(word) ((int)((word) & 0xFF))
#define _PyCode_OPARG(word) ((int)((word) >> 8))
#define _PyCode_MAKE_WORD(op, arg) \
    ((_PyCodeUnitWord)(((unsigned)(op) & 0xFF) | (((unsigned)(arg) & 0xFF) << 8)))

/* Arguments of BINARY_OP: the binary operators, then their in-place
   forms at the same distance. */
enum {
    _PyBinOp_ADD = 0,
    _PyBinOp_AND,
    _PyBinOp_FLOOR_DIVIDE,
    _PyBinOp_LSHIFT,
    _PyBinOp_MATRIX_MULTIPLY,
    _PyBinOp_MULTIPLY,
    _PyBinOp_REMAINDER,
    _PyBinOp_OR,
    _PyBinOp_POWER,
    _PyBinOp_RSHIFT,
    _PyBinOp_SUBTRACT,
    _PyBinOp_TRUE_DIVIDE,
    _PyBinOp_XOR,
    _PyBinOp_INPLACE = 13,      /* add to any of the above */
    _PyBinOp_COUNT = 26
};

/* Arguments of MAKE_FUNCTION. */
#define _PyMakeFunction_DEFAULTS    0x01
#define _PyMakeFunction_KWDEFAULTS  0x02
#define _PyMakeFunction_ANNOTATIONS 0x04
#define _PyMakeFunction_CLOSURE     0x08

/* Arguments of FORMAT_VALUE. */
#define _PyFormat_CONV_MASK  0x03
#define _PyFormat_CONV_NONE  0x00
#define _PyFormat_CONV_STR   0x01
#define _PyFormat_CONV_REPR  0x02
#define _PyFormat_CONV_ASCII 0x03
#define _PyFormat_HAVE_SPEC  0x04

/* Arguments of RESUME. */
#define _PyResume_START      0
#define _PyResume_AFTER_YIELD 1
#define _PyResume_AFTER_YIELD_FROM 2
#define _PyResume_AFTER_AWAIT 3

/* Tables generated from the lists above (Python/opcode_metadata.c);
   pseudo-instructions are indexed by op - _PYOP_PSEUDO_BASE in the
   _Pseudo ones. */
extern const char *const _PyOpcode_Names[256];
extern const uint8_t _PyOpcode_Caches[256];
extern const uint16_t _PyOpcode_Flags[256];
extern const uint8_t _PyOpcode_Family[256];
extern const char *const _PyOpcode_PseudoNames[
    _PYOP_PSEUDO_END - _PYOP_PSEUDO_BASE];
extern const uint16_t _PyOpcode_PseudoFlags[
    _PYOP_PSEUDO_END - _PYOP_PSEUDO_BASE];
/* The names of BINARY_OP's arguments as dis shows them ("+", "+=", ...)
   and of COMPARE_OP's ("<", ...). */
extern const char *const _PyOpcode_BinOpNames[_PyBinOp_COUNT];
extern const char *const _PyOpcode_CompareNames[6];

/* Whether OP (real or pseudo) is a valid instruction. */
static inline int
_PyOpcode_IsValid(int op)
{
    return (op >= 0 && op < _PYOP_NUM_REAL)
           || (op > _PYOP_PSEUDO_BEFORE_FIRST && op < _PYOP_PSEUDO_END);
}

/* Flags of OP, real or pseudo. */
static inline int
_PyOpcode_GetFlags(int op)
{
    if (op >= _PYOP_PSEUDO_BASE) {
        return _PyOpcode_PseudoFlags[op - _PYOP_PSEUDO_BASE]
               | _PYOP_PSEUDO;
    }
    return _PyOpcode_Flags[op];
}

/* Name of OP, real or pseudo ("<N>" for no instruction: NULL). */
static inline const char *
_PyOpcode_GetName(int op)
{
    if (op >= _PYOP_PSEUDO_BASE) {
        if (op >= _PYOP_PSEUDO_END) {
            return NULL;
        }
        return _PyOpcode_PseudoNames[op - _PYOP_PSEUDO_BASE];
    }
    return op < 256 ? _PyOpcode_Names[op] : NULL;
}

/* How many values OP takes off the stack (and so needs on it). */
static inline int
_PyOpcode_NumPopped(int op, int oparg)
{
    (void)oparg;
    switch (op) {
#define _PYOP_POPS(NAME, POPS, PUSHES, JPUSHES, CACHES, FLAGS, FAMILY) \
    case NAME: return (POPS);
    _PY_OPCODES(_PYOP_POPS)
    _PY_PSEUDO_OPCODES(_PYOP_POPS)
#undef _PYOP_POPS
    default:
        return -1;
    }
}

/* How many values OP leaves on the stack, when it jumps (JUMP nonzero) or
   not. */
static inline int
_PyOpcode_NumPushed(int op, int oparg, int jump)
{
    (void)oparg;
    switch (op) {
#define _PYOP_PUSHES(NAME, POPS, PUSHES, JPUSHES, CACHES, FLAGS, FAMILY) \
    case NAME: return jump ? (JPUSHES) : (PUSHES);
    _PY_OPCODES(_PYOP_PUSHES)
    _PY_PSEUDO_OPCODES(_PYOP_PUSHES)
#undef _PYOP_PUSHES
    default:
        return -1;
    }
}

/* Net stack effect of OP. */
static inline int
_PyOpcode_StackEffect(int op, int oparg, int jump)
{
    return _PyOpcode_NumPushed(op, oparg, jump)
           - _PyOpcode_NumPopped(op, oparg);
}

#endif /* !Py_INTERNAL_OPCODE_H */
