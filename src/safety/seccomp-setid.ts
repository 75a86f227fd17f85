/**
 * A classic-BPF seccomp program (for bwrap `--seccomp FD`) that refuses, with EPERM, every way of
 * giving a file the setuid or setgid bit: chmod/fchmod/fchmodat(2) with S_ISUID|S_ISGID, and
 * open/openat/creat/mkdir(at)/mknod(at) creating with them. As root, the agent's uid inside maps
 * to host root, so such a file would be setuid-root on the host. io_uring (which could open files
 * past the filter) and openat2 (whose mode seccomp cannot see) answer ENOSYS, so callers fall back
 * to the plain calls. Pure: builds bytes only. Undefined for an architecture it does not know.
 */
export function setidSeccompProgram(arch: string = process.arch): Buffer | undefined {
  const table = TABLES[arch];
  if (!table) return undefined;
  const prog: Insn[] = [];
  const label = (name: string): Insn => ({ label: name, code: 0, k: 0 });
  prog.push(ld(4), jeq(table.audit, undefined, 'allow'), ld(0));
  // x32 syscalls on x86_64 carry bit 30: refuse the whole ABI rather than filter it twice.
  if (arch === 'x64') prog.push({ code: BPF_JGE, k: 0x40000000, jt: 'deny', jf: undefined });
  for (const [nr, arg] of table.modeArg) prog.push(jeq(nr, `arg${arg}`, undefined));
  for (const nr of table.noSys) prog.push(jeq(nr, 'nosys', undefined));
  prog.push(ret(RET_ALLOW, 'allow'));
  for (const arg of [1, 2, 3]) {
    prog.push(
      label(`arg${arg}`),
      ld(16 + 8 * arg),
      { code: BPF_JSET, k: SETID_BITS, jt: 'deny', jf: undefined },
      ret(RET_ALLOW, `allow${arg}`),
    );
  }
  prog.push(ret(RET_ERRNO | EPERM, 'deny'), ret(RET_ERRNO | ENOSYS, 'nosys'));
  return assemble(prog);
}

const BPF_LD_W_ABS = 0x20;
const BPF_JEQ = 0x15;
const BPF_JGE = 0x35;
const BPF_JSET = 0x45;
const BPF_RET = 0x06;
const RET_ALLOW = 0x7fff0000;
const RET_ERRNO = 0x00050000;
const EPERM = 1;
const ENOSYS = 38;
const SETID_BITS = 0o6000;

/** Per architecture: the audit arch, the syscalls with a mode argument (nr → arg index), and those answered ENOSYS. */
const TABLES: Record<string, { audit: number; modeArg: Array<[number, number]>; noSys: number[] }> = {
  x64: {
    audit: 0xc000003e,
    // open 2, creat 85, mkdir 83, chmod 90, fchmod 91, mknod 133, openat 257, mkdirat 258, mknodat 259, fchmodat 268, fchmodat2 452
    modeArg: [
      [2, 2],
      [85, 1],
      [83, 1],
      [90, 1],
      [91, 1],
      [133, 1],
      [257, 3],
      [258, 2],
      [259, 2],
      [268, 2],
      [452, 2],
    ],
    noSys: [425, 437], // io_uring_setup, openat2
  },
  arm64: {
    audit: 0xc00000b7,
    // mknodat 33, mkdirat 34, fchmod 52, fchmodat 53, openat 56, fchmodat2 452
    modeArg: [
      [33, 2],
      [34, 2],
      [52, 1],
      [53, 2],
      [56, 3],
      [452, 2],
    ],
    noSys: [425, 437],
  },
};

interface Insn {
  code: number;
  k: number;
  jt?: string | undefined;
  jf?: string | undefined;
  label?: string;
  retLabel?: string;
}

function ld(offset: number): Insn {
  return { code: BPF_LD_W_ABS, k: offset };
}
function jeq(k: number, jt: string | undefined, jf: string | undefined): Insn {
  return { code: BPF_JEQ, k, jt, jf };
}
function ret(k: number, name: string): Insn {
  return { code: BPF_RET, k, retLabel: name };
}

/** Resolves labels to relative jumps (a jump to undefined falls through) and packs struct sock_filter. */
function assemble(prog: Insn[]): Buffer {
  const insns: Insn[] = [];
  const at = new Map<string, number>();
  for (const insn of prog) {
    if (insn.label) at.set(insn.label, insns.length);
    else {
      if (insn.retLabel) at.set(insn.retLabel, insns.length);
      insns.push(insn);
    }
  }
  const buf = Buffer.alloc(insns.length * 8);
  insns.forEach((insn, i) => {
    const offset = (target: string | undefined): number => {
      if (target === undefined) return 0;
      const to = at.get(target);
      if (to === undefined || to <= i || to - i - 1 > 255) throw new Error(`seccomp program: bad jump to ${target}`);
      return to - i - 1;
    };
    buf.writeUInt16LE(insn.code, i * 8);
    buf.writeUInt8(offset(insn.jt), i * 8 + 2);
    buf.writeUInt8(offset(insn.jf), i * 8 + 3);
    buf.writeUInt32LE(insn.k >>> 0, i * 8 + 4);
  });
  return buf;
}
