/* Per-opcode tables built from the one instruction list in
   pycore_opcode.h, for code that indexes by opcode (disassembler,
   assembler, eval loop, specializer). */

#include "Python.h"
#include "pycore_opcode.h"

#define NAME_ENTRY(NAME, POPS, PUSHES, JPUSHES, CACHES, FLAGS, FAMILY) \
    [NAME] = #NAME,
const char *const _PyOpcode_Names[256] = {
    _PY_OPCODES(NAME_ENTRY)
};
#undef NAME_ENTRY

#define CACHE_ENTRY(NAME, POPS, PUSHES, JPUSHES, CACHES, FLAGS, FAMILY) \
    [NAME] = (CACHES),
const uint8_t _PyOpcode_Caches[256] = {
    _PY_OPCODES(CACHE_ENTRY)
};
#undef CACHE_ENTRY

#define FLAGS_ENTRY(NAME, POPS, PUSHES, JPUSHES, CACHES, FLAGS, FAMILY) \
    [NAME] = (FLAGS),
const uint16_t _PyOpcode_Flags[256] = {
    _PY_OPCODES(FLAGS_ENTRY)
};
#undef FLAGS_ENTRY

#define FAMILY_ENTRY(NAME, POPS, PUSHES, JPUSHES, CACHES, FLAGS, FAMILY) \
    [NAME] = FAMILY,
const uint8_t _PyOpcode_Family[256] = {
    _PY_OPCODES(FAMILY_ENTRY)
};
#undef FAMILY_ENTRY

#define PSEUDO_NAME(NAME, POPS, PUSHES, JPUSHES, CACHES, FLAGS, FAMILY) \
    [NAME - _PYOP_PSEUDO_BASE] = #NAME,
const char *const _PyOpcode_PseudoNames[
    _PYOP_PSEUDO_END - _PYOP_PSEUDO_BASE] = {
    _PY_PSEUDO_OPCODES(PSEUDO_NAME)
};
#undef PSEUDO_NAME

#define PSEUDO_FLAGS(NAME, POPS, PUSHES, JPUSHES, CACHES, FLAGS, FAMILY) \
    [NAME - _PYOP_PSEUDO_BASE] = (FLAGS),
const uint16_t _PyOpcode_PseudoFlags[
    _PYOP_PSEUDO_END - _PYOP_PSEUDO_BASE] = {
    _PY_PSEUDO_OPCODES(PSEUDO_FLAGS)
};
#undef PSEUDO_FLAGS

const char *const _PyOpcode_BinOpNames[_PyBinOp_COUNT] = {
    "+", "&", "//", "<<", "@", "*", "%", "|", "**", ">>", "-", "/", "^",
    "+=", "&=", "//=", "<<=", "@=", "*=", "%=", "|=", "**=", ">>=", "-=",
    "/=", "^=",
};

const char *const _PyOpcode_CompareNames[6] = {
    "<", "<=", "==", "!=", ">", ">=",
};

/* The table must fit in a byte and keep the argument-less instructions
   below HAVE_ARGUMENT. */
_Static_assert(_PYOP_NUM_REAL <= 256, "too many opcodes");
_Static_assert(CACHE == 0, "CACHE must be the zero code unit");
_Static_assert(HAVE_ARGUMENT == POP_EXCEPT + 1,
               "HAVE_ARGUMENT must follow the last argument-less opcode");
