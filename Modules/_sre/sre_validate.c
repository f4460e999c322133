/* Validation of the programs _sre.compile() is given: the engine trusts
 * what passes here, so every offset, count, group number and nested body
 * is checked to stay inside the program (and inside the marks array), and
 * every body op is one the engine knows.  A program re/_compiler.py makes
 * always passes; anything else gets RuntimeError("invalid SRE code") from
 * the caller instead of a crash later.
 *
 * Thread safety: pure functions over a code array. */

#include "sre.h"

#define NEED(n) do { if (end - pc < (Py_ssize_t)(n)) { return -1; } } while (0)

/* A set: set ops from pc, the last being the FAILURE at end - 1. */
static int
validate_set(const SRE_CODE *code, Py_ssize_t pc, Py_ssize_t end)
{
    while (pc < end) {
        switch (code[pc++]) {
        case SRE_OP_FAILURE:
            return pc == end ? 0 : -1;
        case SRE_OP_NEGATE:
            break;
        case SRE_OP_LITERAL:
            NEED(1);
            pc++;
            break;
        case SRE_OP_CATEGORY:
            NEED(1);
            if (code[pc++] >= SRE_CAT__COUNT) {
                return -1;
            }
            break;
        case SRE_OP_RANGE:
        case SRE_OP_RANGE_UNI_IGNORE:
            NEED(2);
            pc += 2;
            break;
        case SRE_OP_CHARSET:
            NEED(8);
            pc += 8;
            break;
        case SRE_OP_BIGCHARSET: {
            NEED(65);
            SRE_CODE count = code[pc++];
            if (count > 256) {
                return -1;
            }
            const unsigned char *map = (const unsigned char *)&code[pc];
            for (int i = 0; i < 256; i++) {
                if (map[i] >= count) {
                    return -1;
                }
            }
            pc += 64;
            NEED(count * 8);
            pc += count * 8;
            break;
        }
        default:
            return -1;
        }
    }
    return -1;
}

/* The body of a single-character repeat: one such op filling [pc, end). */
static int
validate_one(const SRE_CODE *code, Py_ssize_t pc, Py_ssize_t end)
{
    NEED(1);
    SRE_CODE op = code[pc];
    if (!_PySRE_IsOneOp(op)) {
        return -1;
    }
    if (op == SRE_OP_ANY || op == SRE_OP_ANY_ALL) {
        return end - pc == 1 ? 0 : -1;
    }
    NEED(2);
    if (op == SRE_OP_CATEGORY && code[pc + 1] >= SRE_CAT__COUNT) {
        return -1;
    }
    if (op == SRE_OP_IN || op == SRE_OP_IN_IGNORE ||
        op == SRE_OP_IN_UNI_IGNORE || op == SRE_OP_IN_LOC_IGNORE) {
        Py_ssize_t skip = code[pc + 1];
        if (skip != end - pc - 1) {
            return -1;
        }
        return validate_set(code, pc + 2, end);
    }
    return end - pc == 2 ? 0 : -1;
}

static int validate_seq(const SRE_CODE *code, Py_ssize_t pc, Py_ssize_t end,
                        Py_ssize_t size, Py_ssize_t groups);

/* INFO at pc (the skip word): [skip flags min max] prefix or charset. */
static int
validate_info(const SRE_CODE *code, Py_ssize_t pc, Py_ssize_t end)
{
    SRE_CODE flags = code[pc + 1];
    Py_ssize_t bend = pc + code[pc];
    if (flags & SRE_INFO_PREFIX) {
        if (flags & SRE_INFO_CHARSET) {
            return -1;
        }
        if (bend - pc < 6) {
            return -1;
        }
        Py_ssize_t plen = code[pc + 4], pskip = code[pc + 5];
        if (plen < 1 || pskip > plen || plen > (bend - pc - 6) / 2) {
            return -1;
        }
        return 0;
    }
    if (flags & SRE_INFO_CHARSET) {
        return validate_set(code, pc + 4, bend);
    }
    return 0;
}

/* A BRANCH whose first skip word is at pc; returns the index after it. */
static Py_ssize_t
validate_branch(const SRE_CODE *code, Py_ssize_t pc, Py_ssize_t end,
                Py_ssize_t size, Py_ssize_t groups)
{
    for (;;) {
        NEED(1);
        Py_ssize_t skip = code[pc];
        if (skip == 0) {
            return pc + 1;
        }
        if (skip < 3 || skip > end - pc) {
            return -1;
        }
        if (code[pc + skip - 2] != SRE_OP_JUMP ||
            code[pc + skip - 1] == 0 ||
            (Py_ssize_t)code[pc + skip - 1] > size - (pc + skip - 1)) {
            return -1;
        }
        if (validate_seq(code, pc + 1, pc + skip - 2, size, groups) < 0) {
            return -1;
        }
        pc += skip;
    }
}

/* An op with a body at pc (the op word); returns the index after it. */
static Py_ssize_t
validate_body_op(const SRE_CODE *code, Py_ssize_t pc, Py_ssize_t end,
                 Py_ssize_t size, Py_ssize_t groups)
{
    SRE_CODE op = code[pc++];
    NEED(1);
    Py_ssize_t skip = code[pc];
    switch (op) {
    case SRE_OP_REPEAT_ONE:
    case SRE_OP_MIN_REPEAT_ONE:
    case SRE_OP_POSSESSIVE_REPEAT_ONE:
        NEED(3);
        if (code[pc + 1] > code[pc + 2] || skip < 5 || skip > end - pc ||
            code[pc + skip - 1] != SRE_OP_SUCCESS ||
            validate_one(code, pc + 3, pc + skip - 1) < 0) {
            return -1;
        }
        return pc + skip;
    case SRE_OP_REPEAT:
    case SRE_OP_POSSESSIVE_REPEAT: {
        NEED(3);
        if (code[pc + 1] > code[pc + 2] || skip < 3 || skip >= end - pc) {
            return -1;
        }
        SRE_CODE last = code[pc + skip];
        if (op == SRE_OP_REPEAT ? (last != SRE_OP_MAX_UNTIL &&
                                   last != SRE_OP_MIN_UNTIL)
                                : last != SRE_OP_SUCCESS) {
            return -1;
        }
        if (validate_seq(code, pc + 3, pc + skip, size, groups) < 0) {
            return -1;
        }
        return pc + skip + 1;
    }
    case SRE_OP_ASSERT:
    case SRE_OP_ASSERT_NOT:
        NEED(2);
        if (skip < 3 || skip > end - pc ||
            code[pc + skip - 1] != SRE_OP_SUCCESS ||
            validate_seq(code, pc + 2, pc + skip - 1, size, groups) < 0) {
            return -1;
        }
        return pc + skip;
    case SRE_OP_ATOMIC_GROUP:
        if (skip < 2 || skip > end - pc ||
            code[pc + skip - 1] != SRE_OP_SUCCESS ||
            validate_seq(code, pc + 1, pc + skip - 1, size, groups) < 0) {
            return -1;
        }
        return pc + skip;
    case SRE_OP_IN:
    case SRE_OP_IN_IGNORE:
    case SRE_OP_IN_UNI_IGNORE:
    case SRE_OP_IN_LOC_IGNORE:
        if (skip < 2 || skip > end - pc ||
            validate_set(code, pc + 1, pc + skip) < 0) {
            return -1;
        }
        return pc + skip;
    case SRE_OP_INFO:
        NEED(4);
        if (skip < 4 || skip > end - pc || validate_info(code, pc, end) < 0) {
            return -1;
        }
        return pc + skip;
    default:
        return -1;
    }
}

/* The ops of [pc, end); jumps may leave it but not the program. */
static int
validate_seq(const SRE_CODE *code, Py_ssize_t pc, Py_ssize_t end,
             Py_ssize_t size, Py_ssize_t groups)
{
    while (pc < end) {
        SRE_CODE op = code[pc];
        switch (op) {
        case SRE_OP_FAILURE:
        case SRE_OP_SUCCESS:
        case SRE_OP_ANY:
        case SRE_OP_ANY_ALL:
            pc++;
            break;
        case SRE_OP_AT:
        case SRE_OP_CATEGORY:
        case SRE_OP_MARK:
        case SRE_OP_GROUPREF:
        case SRE_OP_GROUPREF_IGNORE:
        case SRE_OP_GROUPREF_UNI_IGNORE:
        case SRE_OP_GROUPREF_LOC_IGNORE:
        case SRE_OP_LITERAL: case SRE_OP_NOT_LITERAL:
        case SRE_OP_LITERAL_IGNORE: case SRE_OP_NOT_LITERAL_IGNORE:
        case SRE_OP_LITERAL_UNI_IGNORE: case SRE_OP_NOT_LITERAL_UNI_IGNORE:
        case SRE_OP_LITERAL_LOC_IGNORE: case SRE_OP_NOT_LITERAL_LOC_IGNORE: {
            pc++;
            NEED(1);
            SRE_CODE arg = code[pc++];
            if ((op == SRE_OP_AT && arg >= SRE_AT__COUNT) ||
                (op == SRE_OP_CATEGORY && arg >= SRE_CAT__COUNT) ||
                (op == SRE_OP_MARK && (Py_ssize_t)arg >= 2 * groups) ||
                ((op == SRE_OP_GROUPREF || op == SRE_OP_GROUPREF_IGNORE ||
                  op == SRE_OP_GROUPREF_UNI_IGNORE ||
                  op == SRE_OP_GROUPREF_LOC_IGNORE) &&
                 (Py_ssize_t)arg >= groups)) {
                return -1;
            }
            break;
        }
        case SRE_OP_JUMP:
            pc++;
            NEED(1);
            if (code[pc] == 0 || (Py_ssize_t)code[pc] > size - pc) {
                return -1;
            }
            pc++;
            break;
        case SRE_OP_GROUPREF_EXISTS:
            pc++;
            NEED(2);
            if ((Py_ssize_t)code[pc] >= groups || code[pc + 1] < 2 ||
                (Py_ssize_t)code[pc + 1] > end - pc) {
                return -1;
            }
            pc += 2;
            break;
        case SRE_OP_BRANCH:
            pc = validate_branch(code, pc + 1, end, size, groups);
            if (pc < 0) {
                return -1;
            }
            break;
        default:
            pc = validate_body_op(code, pc, end, size, groups);
            if (pc < 0) {
                return -1;
            }
            break;
        }
    }
    return 0;
}

#undef NEED

int
_PySRE_Validate(const SRE_CODE *code, Py_ssize_t size, Py_ssize_t groups)
{
    return validate_seq(code, 0, size, size, groups);
}
